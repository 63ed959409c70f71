using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Ops;

public sealed class OpsApiTests
{
    [Test]
    public async Task Jobs_Get_ContractShapeForEveryJob()
    {
        using var factory = await new ConnectorApiFactory(withScheduler: true).StartAsync();
        using var client = factory.CreateClient();

        var jobs = JsonNode.Parse(await client.GetStringAsync("/ops/api/jobs"))!.AsArray();

        Assert.That(jobs.Select(j => j!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "tag-sync", "tag-refresh", "activity-type-sync", "external-hours-sync" }));
        Assert.That(jobs.Select(j => j!["paused"]!.GetValue<bool>()), Has.All.False);
        Assert.That(jobs.Take(3).Select(j => j!["nextRunAt"]), Has.All.Not.Null);
        Assert.That(jobs[3]!["nextRunAt"], Is.Null, "external hours are not configured: no schedule");
        Assert.That(jobs.Select(j => j!["lastRun"]), Has.All.Null);
    }

    [Test]
    public async Task Trigger_KnownJob_202AndLastRunShowsOutcome()
    {
        using var factory = await new ConnectorApiFactory(withScheduler: true).StartAsync();
        using var client = DashboardClient(factory);

        var response = await client.PostAsync("/ops/api/jobs/activity-type-sync/trigger", null);
        JsonNode? lastRun = null;
        for (var i = 0; i < 200 && lastRun?["outcome"]?.GetValue<string>() is null or "running"; i++)
        {
            await Task.Delay(50);
            lastRun = JsonNode.Parse(await client.GetStringAsync("/ops/api/jobs"))!.AsArray().Single(j => j!["id"]!.GetValue<string>() == "activity-type-sync")!["lastRun"];
        }

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(lastRun!["outcome"]!.GetValue<string>(), Is.EqualTo("succeeded"));
        Assert.That(lastRun["message"]!.GetValue<string>(), Is.EqualTo("sent 6 activity types (first sync)"));
        Assert.That(lastRun["startedAt"], Is.Not.Null);
        Assert.That(lastRun["finishedAt"], Is.Not.Null);
    }

    [Test]
    public async Task Trigger_JobsReadAtOnce_DueOrRunningNeverNeither()
    {
        using var factory = await new ConnectorApiFactory(withScheduler: true).StartAsync();
        using var client = DashboardClient(factory);

        var before = DateTimeOffset.UtcNow;
        await client.PostAsync("/ops/api/jobs/tag-refresh/trigger", null);
        var job = JsonNode.Parse(await client.GetStringAsync("/ops/api/jobs"))!.AsArray().Single(j => j!["id"]!.GetValue<string>() == "tag-refresh")!;
        var now = DateTimeOffset.UtcNow;

        var due = job["nextRunAt"]?.GetValue<DateTimeOffset>() <= now;
        var started = job["lastRun"]?["startedAt"]?.GetValue<DateTimeOffset>() >= before.AddSeconds(-1);
        Assert.That(due || started, Is.True, $"just triggered, so due now or running: {job.ToJsonString()}");
    }

    [Test]
    public async Task Hangfire_PostWithoutAntiforgeryToken_RefusedAndNothingRuns()
    {
        using var factory = await new ConnectorApiFactory(withScheduler: true).StartAsync();
        using var client = factory.CreateClient();

        var response = await client.PostAsync("/hangfire/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", "tag-sync")]));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var connection = factory.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();
        Assert.That(Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection, ["tag-sync"]).Single().LastJobId, Is.Null);
    }

    [Test]
    public async Task Hangfire_Get_DashboardTitledForTheConnectorWithoutConnectionString()
    {
        using var factory = await new ConnectorApiFactory().StartAsync();
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync("/hangfire");

        Assert.That(html, Does.Contain("Patrawin Connector"));
        Assert.That(html, Does.Contain("/ops#postings-section").And.Contain("/ops#external-hours"));
        Assert.That(html, Does.Not.Contain(factory.DataDir), "DisplayStorageConnectionString is off");
    }

    [Test]
    public async Task Trigger_UnknownJob_404NamingTheJobs()
    {
        using var factory = await new ConnectorApiFactory(withScheduler: true).StartAsync();
        using var client = DashboardClient(factory);

        var response = await client.PostAsync("/ops/api/jobs/make-coffee/trigger", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("tag-sync"));
    }

    [Test]
    public async Task PauseAndResume_Job_PausedFlagFollows()
    {
        using var factory = await new ConnectorApiFactory(withScheduler: true).StartAsync();
        using var client = DashboardClient(factory);

        await client.PostAsync("/ops/api/jobs/tag-refresh/pause", null);
        var paused = await PausedAsync(client, "tag-refresh");
        await client.PostAsync("/ops/api/jobs/tag-refresh/resume", null);

        Assert.That(paused, Is.True);
        Assert.That(await PausedAsync(client, "tag-refresh"), Is.False);
    }

    [Test]
    public async Task Postings_Search_FindsByUserOrCase()
    {
        using var factory = await new ConnectorApiFactory().StartAsync();
        using var client = factory.CreateClient();
        var other = Fixtures.ExampleJson();
        other["user"]!["externalId"] = "AKL";
        other["user"]!["email"] = "anders.karlsson@example.com";
        other["tags"] = new JsonArray(new JsonObject { ["name"] = "P2040SE00", ["path"] = "/Patrawin/" });
        await client.PostAsync("/receiveTimePostedEvent", new StringContent(Fixtures.ExampleJson().ToJsonString(), Encoding.UTF8, "application/json"));
        await client.PostAsync("/receiveTimePostedEvent", new StringContent(other.ToJsonString(), Encoding.UTF8, "application/json"));

        var all = JsonNode.Parse(await client.GetStringAsync("/ops/api/postings"))!.AsArray();
        var found = JsonNode.Parse(await client.GetStringAsync("/ops/api/postings?search=P2040"))!.AsArray();

        Assert.That(all, Has.Count.EqualTo(2));
        Assert.That(found.Select(p => p!["userName"]!.GetValue<string>()), Is.EqualTo(new[] { "anders.karlsson@example.com" }));
        Assert.That(found[0]!["status"]!.GetValue<string>(), Is.EqualTo("Posted"));
    }

    [Test]
    public async Task Trigger_WithoutTheDashboardHeader_403AndNothingRuns()
    {
        using var factory = await new ConnectorApiFactory(withScheduler: true).StartAsync();
        using var client = factory.CreateClient();

        var response = await client.PostAsync("/ops/api/jobs/tag-sync/trigger", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("X-Requested-By"));
        Assert.That(factory.WiseTime.Calls, Is.Empty);
    }

    private static HttpClient DashboardClient(ConnectorApiFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(Api.Security.OpsAccessMiddleware.RequestedByHeader, "test");
        return client;
    }

    private static async Task<bool> PausedAsync(HttpClient client, string id) =>
        JsonNode.Parse(await client.GetStringAsync("/ops/api/jobs"))!.AsArray().Single(j => j!["id"]!.GetValue<string>() == id)!["paused"]!.GetValue<bool>();

    [Test]
    public async Task Dashboard_Get_SelfContainedHtml()
    {
        using var factory = await new ConnectorApiFactory().StartAsync();
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/ops");
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        Assert.That(html, Does.Contain("<title>Patrawin Connector · operations</title>"));
        Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"), "no CDN or other outside resource");
    }
}

public sealed class OpsAccessTests
{
    private const string User = "ops";
    private const string Password = "correct horse battery staple";

    [TestCase("/ops")]
    [TestCase("/ops/api/jobs")]
    [TestCase("/OPS/api/jobs/")]
    [TestCase("/swagger/index.html")]
    [TestCase("/hangfire")]
    [TestCase("/hangfire/recurring")]
    public async Task Get_WithoutCredentials_401AskingForBasic(string path)
    {
        using var factory = await new ConnectorApiFactory(new() { ["OPS_USERNAME"] = User, ["OPS_PASSWORD"] = Password }).StartAsync();
        using var client = factory.CreateClient();

        var response = await client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.Single().Scheme, Is.EqualTo("Basic"));
    }

    [TestCase(User, "wrong")]
    [TestCase("admin", Password)]
    [TestCase(User, Password + "x")]
    public async Task Get_WrongCredentials_401(string user, string password)
    {
        using var factory = await new ConnectorApiFactory(new() { ["OPS_USERNAME"] = User, ["OPS_PASSWORD"] = Password }).StartAsync();
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = Basic(user, password);

        Assert.That((await client.GetAsync("/ops/api/jobs")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Get_RightCredentials_200AndWebhookUnaffected()
    {
        using var factory = await new ConnectorApiFactory(new() { ["OPS_USERNAME"] = User, ["OPS_PASSWORD"] = Password }).StartAsync();
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = Basic(User, Password);

        Assert.That((await client.GetAsync("/ops/api/cursors")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await factory.CreateClient().GetAsync("/ping")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(string.Join('\n', factory.Logs.Entries), Does.Not.Contain(Password));
    }

    [TestCase("203.0.113.7", null, 403)]
    [TestCase("10.1.2.3", null, 403)]
    [TestCase("127.0.0.1", null, 200)]
    [TestCase("::1", null, 200)]
    [TestCase("127.0.0.1", "X-Forwarded-For", 403)]
    [TestCase("127.0.0.1", "Forwarded", 403)]
    public async Task Invoke_NoCredentialsConfigured_OnlyLoopbackServed(string remote, string? proxyHeader, int expected)
    {
        foreach (var path in new[] { "/ops/api/jobs", "/hangfire/recurring" })
        {
            Assert.That(await InvokeAsync(remote, proxyHeader, path), Is.EqualTo(expected), path);
        }
    }

    private static async Task<int> InvokeAsync(string remote, string? proxyHeader, string path)
    {
        var middleware = new Api.Security.OpsAccessMiddleware(
            context => { context.Response.StatusCode = 200; return Task.CompletedTask; },
            Microsoft.Extensions.Options.Options.Create(new Api.Ops.OpsOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Api.Security.OpsAccessMiddleware>.Instance);
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Request.Method = "GET";
        context.Request.Path = path;
        if (proxyHeader is not null)
        {
            context.Request.Headers[proxyHeader] = "for=203.0.113.7";
        }

        await middleware.InvokeAsync(context);
        return context.Response.StatusCode;
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
