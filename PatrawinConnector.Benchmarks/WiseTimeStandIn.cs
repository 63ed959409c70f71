using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PatrawinConnector.Benchmarks;

/// <summary>
/// A Connect API stand-in for benchmarks: every call is answered after a fixed latency, as the real API over a WAN would;
/// tag batches are counted, and when each was answered, so that the run can be checked and its pace read from outside
/// the connector. Listens on 127.0.0.1 only.
/// </summary>
internal static class WiseTimeStandIn
{
    public static async Task<int> RunAsync(string[] args)
    {
        var port = Args.Int(args, "--port", 18090);
        var latency = TimeSpan.FromMilliseconds(Args.Int(args, "--latency-ms", 20));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        long tags = 0, requests = 0, batches = 0, delayTicks = 0;
        var answered = new System.Collections.Concurrent.ConcurrentQueue<long[]>();   // [unix ms when answered, tags] per tag batch

        app.MapPost("/connect/api/tag/batch", async (HttpRequest request) =>
        {
            // The latency counts from the request's arrival, as a remote API's answer time does: reading and counting
            // the body is the stand-in's own work (on the connector's cores here, on WiseTime's in production).
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            using var body = await JsonDocument.ParseAsync(request.Body);
            Interlocked.Add(ref tags, body.RootElement.GetProperty("tags").GetArrayLength());
            Interlocked.Increment(ref requests);
            var left = latency - System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left);
            }
            Interlocked.Add(ref delayTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
            Interlocked.Increment(ref batches);
            answered.Enqueue([DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), body.RootElement.GetProperty("tags").GetArrayLength()]);
            return Results.Text("{}", "application/json");
        });
        app.MapGet("/stats", () => Results.Json(new
        {
            tags = Interlocked.Read(ref tags),
            requests = Interlocked.Read(ref requests),
            batches = Interlocked.Read(ref batches),
            delayMs = TimeSpan.FromTicks(Interlocked.Read(ref delayTicks)).TotalMilliseconds,   // the latency actually served, summed
        }));
        app.MapGet("/stats/batches", () => Results.Json(answered.ToArray()));
        app.MapFallback(async () =>
        {
            Interlocked.Increment(ref requests);
            await Task.Delay(latency);
            return Results.Text("{}", "application/json");
        });
        await app.RunAsync();
        return 0;
    }
}
