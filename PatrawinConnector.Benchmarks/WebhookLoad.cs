using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace PatrawinConnector.Benchmarks;

/// <summary>
/// A load generator for the posted-time webhook: N distinct time groups at concurrency C against a running
/// connector, reporting throughput and latency percentiles. Every answer other than 200 counts as an error.
/// </summary>
internal static class WebhookLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = Args.Option(args, "--url", "http://127.0.0.1:8080");
        var groups = Args.Int(args, "--groups", 20000);
        var concurrency = Args.Int(args, "--concurrency", 16);
        var warmup = Args.Int(args, "--warmup", 1000);
        var callerKey = Args.Option(args, "--caller-key", "s3cret-caller-key");
        var pid = Args.Int(args, "--pid", 0);

        var template = Template(callerKey);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false })
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromSeconds(30),
        };

        if (args.Contains("--after-start-up-runs"))
        {
            var waited = await WaitForStartUpRunsAsync(http, TimeSpan.FromMinutes(2));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"the scheduled jobs' first runs after start-up finished; waited {waited.TotalSeconds:F0} s"));
        }

        Console.WriteLine($"warm-up: {warmup} groups at concurrency {concurrency}");
        var cold = await RunBatchAsync(http, template, "warmup", warmup, concurrency);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warm-up (not measured): {warmup / cold.Wall.TotalSeconds:F0} posts/s, p99 {Percentile([.. cold.LatenciesMs.Order()], 0.99):F2} ms, errors: {cold.Errors}"));

        Console.WriteLine($"measuring: {groups} distinct groups at concurrency {concurrency} against {url}");
        var cpuBefore = CpuTime(pid);
        var result = await RunBatchAsync(http, template, "run", groups, concurrency);
        var cpu = CpuTime(pid) - cpuBefore;
        Console.WriteLine("p99 by quarter of the run, in the order sent: " + string.Join(", ", Enumerable.Range(0, 4).Select(q =>
        {
            var quarter = result.LatenciesMs[(q * groups / 4)..((q + 1) * groups / 4)];
            Array.Sort(quarter);
            return string.Create(CultureInfo.InvariantCulture, $"{Percentile(quarter, 0.99):F1} ms");
        })));
        var latencies = result.LatenciesMs;
        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"posts: {groups}, errors: {result.Errors}, wall: {result.Wall.TotalSeconds:F2} s, " +
            $"throughput: {groups / result.Wall.TotalSeconds:F0} posts/s, " +
            $"p50: {Percentile(latencies, 0.50):F2} ms, p99: {Percentile(latencies, 0.99):F2} ms, max: {latencies[^1]:F2} ms"));
        if (pid > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"connector CPU during the measured posts: {cpu.TotalSeconds:F2} s, {cpu.TotalMilliseconds / groups:F2} ms per post"));
        }
        if (result.FirstError is not null)
        {
            Console.WriteLine($"first error: {result.FirstError}");
        }
        return result.Errors == 0 ? 0 : 1;
    }

    /// <summary>
    /// Waits until every scheduled job has finished its first run (ops API), so that the measurement sees the connector
    /// as it runs all day, not during the start-up runs that JIT-compile and execute the sync code once.
    /// </summary>
    private static async Task<TimeSpan> WaitForStartUpRunsAsync(HttpClient http, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var jobs = JsonNode.Parse(await http.GetStringAsync("/ops/api/jobs"))!.AsArray();
            var pending = jobs.Where(j => j!["scheduled"]?.GetValue<bool>() == true && j["lastRun"]?["finishedAt"] is null).ToList();
            if (pending.Count == 0)
            {
                return waited.Elapsed;
            }
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"jobs still before their first run after {timeout}: {string.Join(", ", pending.Select(j => j!["id"]))}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>User plus system CPU time of a process on this machine, from /proc/PID/stat (zero without a pid).</summary>
    private static TimeSpan CpuTime(int pid)
    {
        if (pid <= 0)
        {
            return TimeSpan.Zero;
        }
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);   // USER_HZ is 100 on Linux
    }

    private sealed record BatchResult(double[] LatenciesMs, int Errors, TimeSpan Wall, string? FirstError);

    private static async Task<BatchResult> RunBatchAsync(HttpClient http, string template, string prefix, int count, int concurrency)
    {
        var latencies = new double[count];
        var next = -1;
        var errors = 0;
        string? firstError = null;
        var runId = Guid.NewGuid().ToString("N")[..8];
        var wall = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var body = template.Replace("GROUP_ID", $"{prefix}-{runId}-{i}", StringComparison.Ordinal);
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.PostAsync("/receiveTimePostedEvent", content);
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}", null);
                    }
                }
                catch (HttpRequestException e)
                {
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, e.Message, null);
                }
            }
        });
        await Task.WhenAll(workers);
        return new BatchResult(latencies, errors, wall.Elapsed, firstError);
    }

    /// <summary>The specification's example group with one case tag, a placeholder group id and the given caller key.</summary>
    private static string Template(string callerKey)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "timegroup-example.json")))!.AsObject();
        json["groupId"] = "GROUP_ID";
        json["callerKey"] = callerKey;
        json["tags"] = new JsonArray(new JsonObject { ["name"] = "P1033SE00", ["path"] = "/Patrawin/", ["description"] = "ACME widget" });
        return json.ToJsonString();
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
