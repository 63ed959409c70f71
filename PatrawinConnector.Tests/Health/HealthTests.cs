using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PatrawinConnector.Api.Health;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Tests.Support;
using static PatrawinConnector.Tests.Support.HealthProbe;

namespace PatrawinConnector.Tests.Health;

public sealed class HealthTests
{
    [Test]
    public async Task Ready_EverythingAnswers_200NamingEveryCheck()
    {
        using var factory = await new ConnectorApiFactory(withScheduler: true).StartAsync();

        var (status, body) = await GetAsync(factory, "/health/ready");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body["status"]!.GetValue<string>(), Is.EqualTo("Healthy"));
        Assert.That(Checks(body).Keys, Is.EquivalentTo(new[] { "patrawin", "patrawin-schema", "state-store", "scheduler", "wisetime", "pending-time", "long-poll", "external-hours" }));
        Assert.That(body["checks"]!.AsArray().Select(c => c!["durationMs"]!.GetValue<double>()), Has.All.GreaterThanOrEqualTo(0));
    }

    [Test]
    public async Task Live_ProcessWorks_200()
    {
        using var factory = await new ConnectorApiFactory().StartAsync();

        var (status, body) = await GetAsync(factory, "/health/live");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Checks(body).Keys, Is.EqualTo(new[] { "self-check" }));
    }

    [Test]
    public async Task Ready_SchedulerNotRunning_503NamingIt()
    {
        using var factory = await new ConnectorApiFactory().StartAsync();

        var (status, body) = await GetAsync(factory, "/health/ready");

        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(Checks(body)["scheduler"], Does.StartWith("Unhealthy").And.Contain("the sync jobs do not run"));
    }

    [Test]
    public async Task Ready_WiseTimeRefusesKey_503NamingWiseTime()
    {
        using var factory = await new ConnectorApiFactory(new() { ["API_KEY"] = "revoked-key" }, withScheduler: true).StartAsync();
        factory.WiseTime.FailWith = new WiseTimeApiException(WiseTimeErrorCategory.Auth, "WiseTime answered 401 to team/info: invalid key");

        var (status, body) = await GetAsync(factory, "/health/ready");

        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(Checks(body)["wisetime"], Does.Contain("refuses the API key"));
        Assert.That(body.ToJsonString(), Does.Not.Contain("revoked-key"));
    }

    [Test]
    public async Task Ready_TeamInfoCached_NotCalledOnEveryProbe()
    {
        using var factory = await new ConnectorApiFactory(new() { ["API_KEY"] = "key" }, withScheduler: true).StartAsync();

        for (var i = 0; i < 5; i++)
        {
            await GetAsync(factory, "/health/ready");
        }

        Assert.That(factory.WiseTime.Calls.Count(c => c == "team/info"), Is.EqualTo(1));
    }

    [Test]
    public async Task Ready_TimeWaitingForImport_503WithWhatToDo()
    {
        using var directory = new TempDirectory();
        var patrawin = await SandboxPatrawin.CreateAsync(directory.File("patrawin.db"));
        await patrawin.ExecuteAsync("""
            INSERT INTO PENDING_TIME_335 (User_Id, Kundnr, StartTimeUtc, Minutes, Fakturatextnr, Text, ImportStatus, Created)
            VALUES (1, 'C10045', '2024-01-01 08:00:00', 30, 120, 'stuck', 0, '2024-01-01 08:00:05')
            """);
        using var factory = await new ConnectorApiFactory(new()
        {
            ["PATRAWIN_PROVIDER"] = "sqlite",
            ["PATRAWIN_CONNECTION_STRING"] = $"Data Source={directory.File("patrawin.db")}",
        }, withScheduler: true).StartAsync();

        var (status, body) = await GetAsync(factory, "/health/ready");

        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(Checks(body)["pending-time"], Does.Contain("2024-01-01 08:00:05").And.Contain("PendingTimeMonitor"));
        Assert.That(Checks(body)["patrawin"], Does.StartWith("Healthy"));
    }

    [Test]
    public async Task Ready_PatrawinFileCannotBeOpened_PendingTimeReportsWhyInsteadOfThrowing()
    {
        using var directory = new TempDirectory();
        await SandboxPatrawin.CreateAsync(directory.File("patrawin.db"));
        using var factory = await new ConnectorApiFactory(new()
        {
            ["PATRAWIN_PROVIDER"] = "sqlite",
            ["PATRAWIN_CONNECTION_STRING"] = $"Data Source={directory.File("patrawin.db")}",
        }).StartAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(directory.File("patrawin.db"));
        Directory.CreateDirectory(directory.File("patrawin.db"));   // a directory where the file was: SQLite cannot open it

        var (status, body) = await GetAsync(factory, "/health/ready");

        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(Checks(body)["pending-time"], Does.StartWith("Unhealthy: PENDING_TIME_335 cannot be read").And.Contain("unable to open database file"));
    }

    [Test]
    public async Task Ready_PatrawinMissesAColumn_503NamingTheTable()
    {
        using var directory = new TempDirectory();
        var patrawin = await SandboxPatrawin.CreateAsync(directory.File("patrawin.db"));
        await patrawin.ExecuteAsync("ALTER TABLE BEHORIG_50 DROP COLUMN Email");
        using var factory = await new ConnectorApiFactory(new()
        {
            ["PATRAWIN_PROVIDER"] = "sqlite",
            ["PATRAWIN_CONNECTION_STRING"] = $"Data Source={directory.File("patrawin.db")}",
        }, withScheduler: true).StartAsync();

        var (status, body) = await GetAsync(factory, "/health/ready");

        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(Checks(body)["patrawin-schema"], Does.Contain("BEHORIG_50").And.Contain("Email"));
    }

    [Test]
    public async Task SelfCheck_FailsThreeTimesInARow_LivenessFails()
    {
        using var factory = await new ConnectorApiFactory().StartAsync();   // no scheduler: the self-check fails
        var monitor = factory.Services.GetRequiredService<SelfCheckMonitor>();

        for (var i = 0; i < 3; i++)
        {
            await monitor.CheckOnceAsync(CancellationToken.None);
        }
        var (status, body) = await GetAsync(factory, "/health/live");

        Assert.That(monitor.GaveUp, Is.True);
        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(Checks(body)["self-check"], Does.Contain("3 times in a row").And.Contain("scheduler"));
    }

    [Test]
    [NonParallelizable]
    public async Task SelfCheck_KeepsFailing_StopsTheApplicationWithExitCode3()
    {
        using var factory = await new ConnectorApiFactory().StartAsync();   // no scheduler: the self-check fails
        var lifetime = new StoppingLifetime();
        var monitor = new SelfCheckMonitor(factory.Services, lifetime,
            Microsoft.Extensions.Options.Options.Create(new HealthOptions { SelfCheckIntervalSeconds = 1, SelfCheckFailures = 2 }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SelfCheckMonitor>.Instance);
        try
        {
            await monitor.StartAsync(CancellationToken.None);
            var stopped = await Task.WhenAny(lifetime.Stopped.Task, Task.Delay(TimeSpan.FromSeconds(15)));

            Assert.That(stopped, Is.SameAs(lifetime.Stopped.Task), "the monitor asked the host to stop");
            Assert.That(Environment.ExitCode, Is.EqualTo(SelfCheckMonitor.ExitCode));
        }
        finally
        {
            Environment.ExitCode = 0;
            await monitor.StopAsync(CancellationToken.None);
        }
    }

    private sealed class StoppingLifetime : Microsoft.Extensions.Hosting.IHostApplicationLifetime
    {
        public TaskCompletionSource Stopped { get; } = new();
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() => Stopped.TrySetResult();
    }

    [Test]
    public async Task SelfCheck_WiseTimeDown_NotCountedAsFailure()
    {
        using var factory = await new ConnectorApiFactory(new() { ["API_KEY"] = "key" }, withScheduler: true).StartAsync();
        factory.WiseTime.FailWith = new WiseTimeApiException(WiseTimeErrorCategory.Transient, "503");
        var monitor = factory.Services.GetRequiredService<SelfCheckMonitor>();

        await monitor.CheckOnceAsync(CancellationToken.None);

        Assert.That(monitor.ConsecutiveFailures, Is.Zero);
    }
}
