using System.Diagnostics;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Tds;

/// <summary>The Babelfish server under the TDS tests: stop and start it (scripts/babelfish.sh), and ask its PostgreSQL side.</summary>
public static class Babelfish
{
    private static string Home => Environment.GetEnvironmentVariable("BABELFISH_HOME") ?? "/tmp/babelfish";

    public static Task StopAsync() => RunAsync("bash", [RepositoryFiles.Path("scripts/babelfish.sh"), "stop"]);

    public static Task StartAsync() => RunAsync("bash", [RepositoryFiles.Path("scripts/babelfish.sh"), "start"]);

    /// <summary>Runs SQL on the PostgreSQL side (port 5439), where a session can be terminated as a network fault would.</summary>
    public static Task<string> PostgresAsync(string sql) => RunAsync(Path.Combine(Home, "pg", "bin", "psql"),
        ["-h", "127.0.0.1", "-p", TdsPatrawin.PostgresPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "-U", TdsPatrawin.User, "-d", "babelfish_db", "-Atc", sql],
        ("PGPASSWORD", TdsPatrawin.Password), ("LD_LIBRARY_PATH", Path.Combine(Home, "pg", "lib")));

    private static async Task<string> RunAsync(string file, string[] arguments, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.That(process.ExitCode, Is.Zero, $"{file} {string.Join(' ', arguments)}: {await errors}");
        return (await output).Trim();
    }
}
