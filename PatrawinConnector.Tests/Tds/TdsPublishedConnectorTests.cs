using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Tds;

/// <summary>
/// The published connector, started as an operator starts it, with the JDBC settings of a SQL Server Patrawin: its
/// SqlClient must load everything it needs to read and write (issue 10: the pruned Microsoft.SqlServer.Server broke the
/// first read from any real server, which no in-memory test could see).
/// </summary>
[NonParallelizable]
public sealed class TdsPublishedConnectorTests
{
    [OneTimeSetUp]
    public Task FreshPatrawin() => TdsSuite.Patrawin.ReseedAsync();

    [Test]
    public async Task PublishedOutput_JdbcUrl_ReadyAndPostsTheExampleTimeGroupIntoPendingTime()
    {
        using var publish = new TempDirectory();
        using var data = new TempDirectory();
        var configuration = TestContext.CurrentContext.TestDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        await RunToEndAsync("dotnet", "publish", RepositoryFiles.Path("PatrawinConnector.Api/PatrawinConnector.Api.csproj"),
            "-c", configuration, "--no-build", "-o", publish.Path);
        var address = $"http://127.0.0.1:{FreePort()}";
        using var connector = StartConnector(publish.File("PatrawinConnector.Api.dll"), address, data.Path);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            await WaitForPingAsync(http, connector);

            using var readiness = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
            var ready = await readiness.Content.ReadAsStringAsync();
            var checks = HealthProbe.Checks(System.Text.Json.Nodes.JsonNode.Parse(ready)!);
            using var post = await http.PostAsync(new Uri("/receiveTimePostedEvent", UriKind.Relative),
                new StringContent(Fixtures.ExampleJson().ToJsonString(), Encoding.UTF8, "application/json"));

            Assert.That(checks["patrawin"], Does.StartWith("Healthy"), ready);
            Assert.That(checks["patrawin-schema"], Does.StartWith("Healthy"));
            Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.OK), await post.Content.ReadAsStringAsync());
            var rows = await TdsSuite.Patrawin.PendingTimeAsync();
            Assert.That(rows.Select(r => (r.CaseNumber, r.ClientNumber, r.Minutes)), Is.EqualTo(new (string?, string, int)[] { ("P1033SE00", "C10045", 23), (null, "C10045", 23) }));
        }
        finally
        {
            connector.Kill(entireProcessTree: true);
            await connector.WaitForExitAsync();
        }
    }

    private static Process StartConnector(string dll, string address, string dataDir)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = address;
        start.Environment["DATA_DIR"] = dataDir;
        start.Environment["CALLER_KEY"] = "s3cret-caller-key";
        start.Environment["LOG_LEVEL"] = "WARN";
        foreach (var (key, value) in TdsPatrawin.Settings())
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForPingAsync(HttpClient http, Process connector)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !connector.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/ping", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        Assert.Fail(connector.HasExited ? $"the connector exited with {connector.ExitCode}" : "the connector did not answer /ping within 60 s");
    }

    private static async Task RunToEndAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"{file} {string.Join(' ', arguments)}:\n{await output}\n{await errors}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
