using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PatrawinConnector.Api.Security;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.ExternalHours;

/// <summary>KIMAI_API_VERSION=1 through the host's composition: the registered Kimai 1 client with its pipeline, the ops API, the job's service.</summary>
public sealed class KimaiV1ApiTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["KIMAI_API_VERSION"] = "1", ["KIMAI_URL"] = "https://kimai1.test", ["KIMAI_API_USER"] = KimaiV1StandIn.User, ["KIMAI_API_PASSWORD"] = KimaiV1StandIn.Password,
        ["CIVICRM_API4_URL"] = "https://crm.test/civicrm/ajax/api4", ["CIVICRM_API_KEY"] = "civi-key",
    };

    [Test]
    public async Task Projects_KimaiOne_FromGetProjectsAndMappable()
    {
        using var kimai = new KimaiV1StandIn(() => DateTime.UtcNow);
        using var civicrm = new CiviCrmStandIn();
        kimai.Projects.Add(new() { ["projectID"] = "3", ["name"] = "Servers", ["customerID"] = "1", ["customerName"] = "Acme" });
        using var factory = await Factory(kimai, civicrm).StartAsync();
        using var client = Client(factory);

        var projects = JsonNode.Parse(await client.GetStringAsync("/ops/api/external-hours/projects"))!.AsArray();
        var put = await client.PutAsJsonAsync("/ops/api/external-hours/mappings/3", new { civicrmContactId = 202 });

        Assert.That((projects.Single()!["id"]!.GetValue<int>(), projects.Single()!["name"]!.GetValue<string>()), Is.EqualTo((3, "Servers")));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(kimai.Calls.Take(2), Is.EqualTo(new[] { "authenticate", "getProjects" }));
    }

    [Test]
    public async Task Projects_KimaiOneBusyTwice_TheRegisteredClientRetriesAndAnswers()
    {
        using var kimai = new KimaiV1StandIn(() => DateTime.UtcNow) { BusyAnswers = 2 };
        using var civicrm = new CiviCrmStandIn();
        kimai.Projects.Add(new() { ["projectID"] = "3", ["name"] = "Servers", ["customerID"] = "1", ["customerName"] = "Acme" });
        using var factory = await Factory(kimai, civicrm).StartAsync();
        using var client = Client(factory);

        var projects = JsonNode.Parse(await client.GetStringAsync("/ops/api/external-hours/projects"))!.AsArray();

        Assert.That(projects.Single()!["name"]!.GetValue<string>(), Is.EqualTo("Servers"));
        Assert.That(kimai.Calls, Is.EqualTo(new[] { "authenticate", "getProjects" }), "the two 503s were answered before the stand-in read a call");
    }

    [Test]
    public async Task Run_KimaiOneComposed_TheJobsServiceReadsTheQueue()
    {
        using var kimai = new KimaiV1StandIn(() => DateTime.UtcNow);
        using var civicrm = new CiviCrmStandIn();
        kimai.Projects.Add(new() { ["projectID"] = "3", ["name"] = "Servers", ["customerID"] = "1", ["customerName"] = "Acme" });
        kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3, "Fixed mail relay");
        using var factory = await Factory(kimai, civicrm).StartAsync();
        using var client = Client(factory);
        await client.PutAsJsonAsync("/ops/api/external-hours/mappings/3", new { civicrmContactId = 202 });

        using var scope = factory.Services.CreateScope();
        var summary = await scope.ServiceProvider.GetRequiredService<ExternalHoursSyncService>().RunAsync(CancellationToken.None);

        Assert.That(summary.Created, Is.EqualTo(1));
        Assert.That(civicrm.ActivityFor(1201)["duration"]!.GetValue<int>(), Is.EqualTo(90));
        Assert.That(kimai.Unconfirmed, Is.Zero);
    }

    [Test]
    public async Task ImportExtension_Posted_AnswersWhatItTookOver()
    {
        using var kimai = new KimaiV1StandIn(() => DateTime.UtcNow);
        using var civicrm = new CiviCrmStandIn();
        civicrm.ProjectContacts.Add((3, 203));
        using var factory = await Factory(kimai, civicrm).StartAsync();
        using var client = Client(factory);

        using var response = await client.PostAsync("/ops/api/external-hours/import-extension", null);
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((result["mappingsAdded"]!.GetValue<int>(), result["activitiesTagged"]!.GetValue<int>()), Is.EqualTo((1, 0)));
    }

    private static ConnectorApiFactory Factory(KimaiV1StandIn kimai, CiviCrmStandIn civicrm) => new(Settings, configureServices: services =>
    {
        services.AddHttpClient<KimaiV1Client>().ConfigurePrimaryHttpMessageHandler(() => kimai);
        services.AddHttpClient<CiviCrmClient>().ConfigurePrimaryHttpMessageHandler(() => civicrm);
    });

    private static HttpClient Client(ConnectorApiFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(OpsAccessMiddleware.RequestedByHeader, "test");
        return client;
    }
}
