using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Composition;

/// <summary>The real entry point with broken settings: it must stop with one clear line per problem and exit code 2.</summary>
[NonParallelizable]
public sealed class StartupConfigurationTests
{
    private TempDirectory _directory = null!;

    [SetUp]
    public void CreateDataDir() => _directory = new TempDirectory();

    [TearDown]
    public void RemoveDataDir() => _directory.Dispose();

    [TestCase("TAG_UPSERT_BATCH_SIZE=abc", "TAG_UPSERT_BATCH_SIZE 'abc' is not a whole number. Example: TAG_UPSERT_BATCH_SIZE=500")]
    [TestCase("TAG_UPSERT_BATCH_SIZE=5000", "TAG_UPSERT_BATCH_SIZE must be between 1 and 2000")]
    [TestCase("RECEIVE_POSTED_TIME=SOMETIMES", "RECEIVE_POSTED_TIME 'SOMETIMES' is not one of WEBHOOK, LONG_POLL, DISABLED. Example: RECEIVE_POSTED_TIME=WEBHOOK")]
    [TestCase("ADD_SUMMARY_TO_NARRATIVE=yes", "ADD_SUMMARY_TO_NARRATIVE 'yes' is neither true nor false. Example: ADD_SUMMARY_TO_NARRATIVE=false")]
    [TestCase("LONG_POLL_BATCH_SIZE= 30 ", "LONG_POLL_BATCH_SIZE must be between 1 and 25, not 30")]
    [TestCase("TIMEZONE=Mars/Olympus", "TIMEZONE 'Mars/Olympus' is not a known IANA time zone. Example: TIMEZONE=Europe/Stockholm")]
    [TestCase("TAG_UPSERT_PATH=Patrawin", "TAG_UPSERT_PATH 'Patrawin' must start and end with '/'")]
    [TestCase("WISETIME_API_URL=wisetime.com", "WISETIME_API_URL 'wisetime.com' is not an http(s) URL")]
    [TestCase("PATRAWIN_PROVIDER=oracle", "PATRAWIN_PROVIDER 'oracle' is not one of AUTO, SQL_SERVER, SQLITE")]
    [TestCase("WEBHOOK_PORT=0", "WEBHOOK_PORT must be between 1 and 65535")]
    [TestCase("LOG_LEVEL=LOUD", "LOG_LEVEL 'LOUD' is not one of TRACE, DEBUG, INFO, WARN, ERROR, OFF")]
    [TestCase("TAG_SCAN=MAYBE", "TAG_SCAN 'MAYBE' is not one of ENABLED, DISABLED. Example: TAG_SCAN=ENABLED")]
    [TestCase("TAG_UPSERT_CONCURRENCY=0", "TAG_UPSERT_CONCURRENCY must be between 1 and 32")]
    [TestCase("TAG_SYNC_SLOW_LOOP_INTERVAL_MIN=30000", "TAG_SYNC_SLOW_LOOP_INTERVAL_MIN must be between 1 and 20160")]
    [TestCase("ACTIVITY_TYPE_BATCH_SIZE=2001", "ACTIVITY_TYPE_BATCH_SIZE must be between 1 and 2000")]
    [TestCase("JOB_STORE=SQL_SERVER", "JOB_STORE is SQL_SERVER but JOB_STORE_CONNECTION_STRING is not set")]
    [TestCase("WISETIME_MAX_RETRIES=-1", "WISETIME_MAX_RETRIES must be between 0 and 10")]
    public async Task Main_InvalidSetting_ExitsWithOneClearLine(string setting, string expected)
    {
        var (exitCode, errors) = await RunAsync(setting);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(errors, Has.Some.Contains(expected));
    }

    private const string BothEnds = "KIMAI_URL=https://kimai.example.org;CIVICRM_API4_URL=https://crm.example.org/civicrm/ajax/api4;CIVICRM_API_KEY=civi";

    [TestCase("KIMAI_API_VERSION=3;" + BothEnds + ";KIMAI_API_TOKEN=Hunter2token",
        "KIMAI_API_VERSION '3' must be 2 (Kimai 2's REST API) or 1 (Kimai 1 with kimai1_civicrm). Example: KIMAI_API_VERSION=2")]
    [TestCase("KIMAI_API_VERSION=1;" + BothEnds, "KIMAI_API_VERSION=1 needs KIMAI_API_KEY, or KIMAI_API_USER and KIMAI_API_PASSWORD")]
    [TestCase("KIMAI_API_VERSION=1;" + BothEnds + ";KIMAI_API_USER=civisync", "KIMAI_API_VERSION=1 needs KIMAI_API_KEY, or KIMAI_API_USER and KIMAI_API_PASSWORD")]
    [TestCase("KIMAI_API_VERSION=1;" + BothEnds + ";KIMAI_API_TOKEN=Hunter2token;KIMAI_API_PASSWORD=Hunter2pass", "KIMAI_API_TOKEN is a Kimai 2 token; with KIMAI_API_VERSION=1 set KIMAI_API_KEY")]
    [TestCase(BothEnds + ";KIMAI_API_KEY=Hunter2key", "KIMAI_API_KEY is a Kimai 1 key; with KIMAI_API_VERSION=2 set KIMAI_API_TOKEN")]
    [TestCase("KIMAI_API_VERSION=1;KIMAI_URL=https://kimai.example.org;KIMAI_API_KEY=Hunter2key",
        "External hours need KIMAI_URL with KIMAI_API_TOKEN (or KIMAI_API_USER and KIMAI_API_PASSWORD; for KIMAI_API_VERSION=1 KIMAI_API_KEY), and CIVICRM_API4_URL with CIVICRM_API_KEY")]
    [TestCase("KIMAI_API_VERSION=one", "KIMAI_API_VERSION 'one' is not a whole number. Example: KIMAI_API_VERSION=2")]
    public async Task Main_InvalidKimaiSettings_ExitsNamingTheSettingNeverTheSecret(string settings, string expected)
    {
        var (exitCode, errors) = await RunAsync(settings.Split(';'));

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(errors, Has.Some.Contains(expected));
        Assert.That(string.Join('\n', errors), Does.Not.Contain("Hunter2"));
    }

    [Test]
    public async Task Main_BrokenJdbcUrlWithPassword_NamesTheProblemButNotThePassword()
    {
        var (exitCode, errors) = await RunAsync("PATRAWIN_JDBC_URL=jdbc:sqlserver://db:port;password=Hunter2secret", "PATRAWIN_DB_PASSWORD=Hunter2secret");

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(errors, Has.Some.Contains("PATRAWIN_JDBC_URL is not a SQL Server JDBC URL: port 'port'"));
        Assert.That(string.Join('\n', errors), Does.Not.Contain("Hunter2"));
    }

    [Test]
    public async Task Main_SeveralInvalidSettings_OneLineEach()
    {
        var (_, errors) = await RunAsync("TAG_UPSERT_BATCH_SIZE=x", "LONG_POLL_BATCH_SIZE=y");

        Assert.That(errors, Has.Count.EqualTo(2));
        Assert.That(errors, Has.All.StartWith("Configuration error: "));
    }

    private async Task<(int ExitCode, List<string> Errors)> RunAsync(params string[] settings)
    {
        var args = settings.Select(s => "--" + s).Append($"--DATA_DIR={_directory.Path}").Append("--urls=http://127.0.0.1:0").ToArray();
        var original = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            var result = typeof(Program).Assembly.EntryPoint!.Invoke(null, [args]);
            var exitCode = result is Task<int> task ? await task : (int)result!;
            return (exitCode, captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList());
        }
        finally
        {
            Console.SetError(original);
        }
    }
}
