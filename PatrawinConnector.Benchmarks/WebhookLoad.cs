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

        var template = Template(callerKey);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false })
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromSeconds(30),
        };

        Console.WriteLine($"warm-up: {warmup} groups at concurrency {concurrency}");
        await RunBatchAsync(http, template, "warmup", warmup, concurrency);

        Console.WriteLine($"measuring: {groups} distinct groups at concurrency {concurrency} against {url}");
        var result = await RunBatchAsync(http, template, "run", groups, concurrency);
        var latencies = result.LatenciesMs;
        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"posts: {groups}, errors: {result.Errors}, wall: {result.Wall.TotalSeconds:F2} s, " +
            $"throughput: {groups / result.Wall.TotalSeconds:F0} posts/s, " +
            $"p50: {Percentile(latencies, 0.50):F2} ms, p99: {Percentile(latencies, 0.99):F2} ms, max: {latencies[^1]:F2} ms"));
        if (result.FirstError is not null)
        {
            Console.WriteLine($"first error: {result.FirstError}");
        }
        return result.Errors == 0 ? 0 : 1;
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
