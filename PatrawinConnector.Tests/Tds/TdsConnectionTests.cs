using System.Net;
using System.Text;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.DependencyInjection;
using PatrawinConnector.Api.Health;
using PatrawinConnector.Tests.Support;
using static PatrawinConnector.Tests.Support.HealthProbe;

namespace PatrawinConnector.Tests.Tds;

/// <summary>Settings as an operator writes them, readiness, and a server that goes away, on the TDS Patrawin.</summary>
[NonParallelizable]
public sealed class TdsConnectionTests
{
    private const string WrongPassword = "Not-The-Passw0rd-42";

    /// <summary>The readiness checks that ask Patrawin's server.</summary>
    private static readonly string[] PatrawinChecks = ["patrawin", "pending-time"];

    [OneTimeSetUp]
    public Task FreshPatrawin() => TdsSuite.Patrawin.ReseedAsync();

    [TestCase("jdbc:sqlserver://{host}:{port};databaseName=patrawin;encrypt=false", true)]
    [TestCase("jdbc:sqlserver://{host}:{port};database=patrawin;encrypt=false;trustServerCertificate=true", true)]
    [TestCase("jdbc:sqlserver://{host}:{port};databaseName=patrawin;user={user};password={password};encrypt=false;loginTimeout=5", false)]
    public async Task Ready_JdbcUrlAsTheJavaConnectorTookIt_PatrawinAndSchemaHealthy(string url, bool separateLogin)
    {
        var settings = new Dictionary<string, string?>
        {
            ["PATRAWIN_JDBC_URL"] = url.Replace("{host}", TdsPatrawin.Host, StringComparison.Ordinal)
                .Replace("{port}", TdsPatrawin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{user}", TdsPatrawin.User, StringComparison.Ordinal)
                .Replace("{password}", TdsPatrawin.Password, StringComparison.Ordinal),
        };
        if (separateLogin)
        {
            settings["PATRAWIN_DB_USER"] = TdsPatrawin.User;
            settings["PATRAWIN_DB_PASSWORD"] = TdsPatrawin.Password;
        }
        using var factory = await new ConnectorApiFactory(settings).StartAsync();

        var (_, body) = await GetAsync(factory, "/health/ready");

        Assert.That(Checks(body)["patrawin"], Does.StartWith("Healthy"));
        Assert.That(Checks(body)["patrawin-schema"], Does.StartWith("Healthy"));
    }

    [Test]
    public async Task Ready_AdoNetConnectionString_PatrawinHealthy()
    {
        using var factory = await new ConnectorApiFactory(new() { ["PATRAWIN_CONNECTION_STRING"] = TdsPatrawin.ConnectionString() }).StartAsync();

        var (_, body) = await GetAsync(factory, "/health/ready");

        Assert.That(Checks(body)["patrawin"], Does.StartWith("Healthy"));
    }

    [Test]
    public async Task WrongPassword_ReadinessAndWebhookNameTheLoginAndNeverThePassword()
    {
        var settings = TdsPatrawin.Settings();
        settings["PATRAWIN_DB_PASSWORD"] = WrongPassword;
        using var factory = await new ConnectorApiFactory(settings).StartAsync();
        using var client = factory.CreateClient();

        var (status, body) = await GetAsync(factory, "/health/ready");
        var post = await client.PostAsync("/receiveTimePostedEvent",
            new StringContent(Fixtures.ExampleJson().ToJsonString(), Encoding.UTF8, "application/json"));
        var answer = await post.Content.ReadAsStringAsync();

        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(Checks(body)["patrawin"], Does.StartWith("Unhealthy").And.Contain("Login failed for user").And.Contain(TdsPatrawin.User));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(answer, Does.Contain("error posting time to the Patrawin database"));
        Assert.That(body.ToJsonString() + answer, Does.Not.Contain(WrongPassword));
        Assert.That(factory.Logs.Entries, Has.None.Contains(WrongPassword));
        Assert.That(factory.Logs.Entries, Has.Some.Contains("Login failed for user"));
    }

    [Test]
    public async Task WrongDatabase_ReadinessSaysWhichDatabase()
    {
        var settings = TdsPatrawin.Settings();
        settings["PATRAWIN_JDBC_URL"] = TdsPatrawin.JdbcUrl.Replace("databaseName=patrawin", "databaseName=patrawin_typo", StringComparison.Ordinal);
        using var factory = await new ConnectorApiFactory(settings).StartAsync();

        var (status, body) = await GetAsync(factory, "/health/ready");

        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(Checks(body)["patrawin"], Does.StartWith("Unhealthy").And.Contain("patrawin_typo"));
    }

    [Test]
    public async Task ServerStoppedThenBack_ReadyUnhealthyWithAReasonThenHealthyWithoutRestarting()
    {
        using var factory = await new ConnectorApiFactory(TdsPatrawin.Settings(), withScheduler: true).StartAsync();
        var monitor = factory.Services.GetRequiredService<SelfCheckMonitor>();
        var (_, before) = await GetAsync(factory, "/health/ready");

        await Babelfish.StopAsync();
        (HttpStatusCode Status, System.Text.Json.Nodes.JsonNode Body) down;
        try
        {
            down = await GetAsync(factory, "/health/ready");
            for (var i = 0; i < 5; i++)
            {
                await monitor.CheckOnceAsync(CancellationToken.None);
            }
        }
        finally
        {
            await Babelfish.StartAsync();
            SqlConnection.ClearAllPools();
        }
        var back = await WaitForHealthyAsync(factory, PatrawinChecks);
        var (live, _) = await GetAsync(factory, "/health/live");

        Assert.That(PatrawinChecks.Select(name => Checks(before)[name]), Has.All.StartWith("Healthy"));
        Assert.That(down.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        foreach (var name in PatrawinChecks)
        {
            Assert.That(Checks(down.Body)[name], Does.Match("^(Unhealthy|Degraded): .{20,}"), $"{name} names why it fails");
            Assert.That(Checks(down.Body)[name], Does.Not.Contain("A task was canceled").And.Not.Contain("A timeout occurred while running check")
                .And.Not.Contain("Exception"), $"{name} reports a reason, not an exception");
        }
        Assert.That(Checks(down.Body)["pending-time"], Does.Contain("PENDING_TIME_335 cannot be read"));
        Assert.That((monitor.GaveUp, monitor.ConsecutiveFailures), Is.EqualTo((false, 0)), "a stopped Patrawin is no reason to restart the connector");
        Assert.That(PatrawinChecks.Select(name => Checks(back)[name]), Has.All.StartWith("Healthy"), "back without a restart");
        Assert.That(live, Is.EqualTo(HttpStatusCode.OK));
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> WaitForHealthyAsync(ConnectorApiFactory factory, IReadOnlyList<string> names)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var (_, body) = await GetAsync(factory, "/health/ready");
            if (names.All(name => Checks(body)[name].StartsWith("Healthy", StringComparison.Ordinal)) || DateTime.UtcNow > deadline)
            {
                return body;
            }
            await Task.Delay(500);
        }
    }
}
