using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PatrawinConnector.Api.Jobs;
using PatrawinConnector.Api.Security;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.ExternalHours;

/// <summary>The mapping part of the ops API, with the real clients talking to the stand-ins.</summary>
public sealed class ExternalHoursApiTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["KIMAI_URL"] = "https://kimai.test", ["KIMAI_API_TOKEN"] = "token",
        ["CIVICRM_API4_URL"] = "https://crm.test/civicrm/ajax/api4", ["CIVICRM_API_KEY"] = "civi-key",
    };

    [Test]
    public async Task PutMapping_Organisation_StoredWithNamesAndListed()
    {
        using var kimai = new KimaiStandIn(() => DateTime.UtcNow);
        using var civicrm = new CiviCrmStandIn();
        kimai.Projects.Add(new() { ["id"] = 3, ["name"] = "Servers", ["customer"] = 1, ["parentTitle"] = "Acme" });
        using var factory = await Factory(kimai, civicrm).StartAsync();
        using var client = Client(factory);

        var put = await client.PutAsJsonAsync("/ops/api/external-hours/mappings/3", new { civicrmContactId = 202 });
        var mappings = JsonNode.Parse(await client.GetStringAsync("/ops/api/external-hours/mappings"))!.AsArray();

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(mappings.Single()!["kimaiProjectId"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(mappings.Single()!["organisationName"]!.GetValue<string>(), Is.EqualTo("Acme Ltd"));
        Assert.That(mappings.Single()!["projectName"]!.GetValue<string>(), Is.EqualTo("Servers"));
    }

    [Test]
    public async Task GetProjects_KimaiBusyTwice_TheRegisteredClientRetriesAndAnswers()
    {
        using var kimai = new KimaiStandIn(() => DateTime.UtcNow) { BusyAnswers = 2 };
        using var civicrm = new CiviCrmStandIn();
        kimai.Projects.Add(new() { ["id"] = 3, ["name"] = "Servers", ["customer"] = 1, ["parentTitle"] = "Acme" });
        using var factory = await Factory(kimai, civicrm).StartAsync();
        using var client = Client(factory);

        var projects = JsonNode.Parse(await client.GetStringAsync("/ops/api/external-hours/projects"))!.AsArray();

        Assert.That(projects.Single()!["name"]!.GetValue<string>(), Is.EqualTo("Servers"));
        Assert.That(kimai.Requests, Is.EqualTo(3));
    }

    [Test]
    public async Task PutMapping_NotAnOrganisation_400()
    {
        using var kimai = new KimaiStandIn(() => DateTime.UtcNow);
        using var civicrm = new CiviCrmStandIn();
        using var factory = await Factory(kimai, civicrm).StartAsync();
        using var client = Client(factory);

        var put = await client.PutAsJsonAsync("/ops/api/external-hours/mappings/3", new { civicrmContactId = 999 });

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await put.Content.ReadAsStringAsync(), Does.Contain("not an existing organisation"));
    }

    [Test]
    public async Task DeleteMapping_Existing_204ThenGone404()
    {
        using var kimai = new KimaiStandIn(() => DateTime.UtcNow);
        using var civicrm = new CiviCrmStandIn();
        using var factory = await Factory(kimai, civicrm).StartAsync();
        using var client = Client(factory);
        await client.PutAsJsonAsync("/ops/api/external-hours/mappings/3", new { civicrmContactId = 202 });

        var first = await client.DeleteAsync("/ops/api/external-hours/mappings/3");
        var second = await client.DeleteAsync("/ops/api/external-hours/mappings/3");

        Assert.That((first.StatusCode, second.StatusCode), Is.EqualTo((HttpStatusCode.NoContent, HttpStatusCode.NotFound)));
    }

    [Test]
    public async Task Mappings_NotConfigured_404Saying()
    {
        using var factory = await new ConnectorApiFactory().StartAsync();
        using var client = Client(factory);

        var response = await client.GetAsync("/ops/api/external-hours/mappings");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("KIMAI_URL"));
    }

    [TestCase(3, "Degraded: external-hours-sync failed 3 runs in a row")]
    [TestCase(2, "Healthy: last run Failed")]
    public async Task Ready_ConsecutiveFailedRuns_DegradedNamingThePeerAfterThree(int failures, string expected)
    {
        using var kimai = new KimaiStandIn(() => DateTime.UtcNow);
        using var civicrm = new CiviCrmStandIn();
        using var factory = await Factory(kimai, civicrm).StartAsync();
        await SeedRunsAsync(factory, JobRunRecord.Succeeded, failures);

        var check = await ExternalHoursCheckAsync(factory);

        Assert.That($"{check["status"]}: {check["description"]}", Does.StartWith(expected));
        Assert.That(check["description"]!.GetValue<string>(), Does.Contain("CiviCRM: refused the API key"));
    }

    [Test]
    public async Task Ready_FailuresThenSuccess_Healthy()
    {
        using var kimai = new KimaiStandIn(() => DateTime.UtcNow);
        using var civicrm = new CiviCrmStandIn();
        using var factory = await Factory(kimai, civicrm).StartAsync();
        await SeedRunsAsync(factory, JobRunRecord.Failed, 3);
        await SeedRunsAsync(factory, JobRunRecord.Succeeded, 0);

        var check = await ExternalHoursCheckAsync(factory);

        Assert.That(check["status"]!.GetValue<string>(), Is.EqualTo("Healthy"));
    }

    /// <summary>The external-hours entry of /health/ready (the test host runs no scheduler, so the whole answer is 503).</summary>
    private static async Task<JsonNode> ExternalHoursCheckAsync(ConnectorApiFactory factory)
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/health/ready");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "external-hours")!;
    }

    /// <summary>One run with <paramref name="first"/>'s outcome, then <paramref name="failures"/> failed runs, as the job filter records them.</summary>
    private static Task SeedRunsAsync(ConnectorApiFactory factory, string first, int failures)
    {
        var journal = factory.Services.GetRequiredService<JobRunJournal>();
        var at = DateTime.UtcNow.AddHours(-1);
        journal.Started(ExternalHoursSyncJob.Id, "1", at);
        journal.Finished(ExternalHoursSyncJob.Id, at, "fetched 3", first == JobRunRecord.Failed ? new InvalidOperationException("CiviCRM: refused the API key (HTTP 401)") : null);
        for (var i = 1; i <= failures; i++)
        {
            journal.Started(ExternalHoursSyncJob.Id, (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), at.AddMinutes(i));
            journal.Finished(ExternalHoursSyncJob.Id, at.AddMinutes(i), null, new InvalidOperationException("CiviCRM: refused the API key (HTTP 401)"));
        }
        return Task.CompletedTask;
    }

    private static ConnectorApiFactory Factory(KimaiStandIn kimai, CiviCrmStandIn civicrm) => new(Settings, configureServices: services =>
    {
        services.AddHttpClient<KimaiClient>().ConfigurePrimaryHttpMessageHandler(() => kimai);
        services.AddHttpClient<CiviCrmClient>().ConfigurePrimaryHttpMessageHandler(() => civicrm);
    });

    private static HttpClient Client(ConnectorApiFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(OpsAccessMiddleware.RequestedByHeader, "test");
        return client;
    }
}
