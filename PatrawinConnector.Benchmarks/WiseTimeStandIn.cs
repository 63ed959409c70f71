using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PatrawinConnector.Benchmarks;

/// <summary>
/// A Connect API stand-in for benchmarks: every call is answered after a fixed latency, as the real API over a WAN would;
/// tag batches are counted so the run can be checked. Listens on 127.0.0.1 only.
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
        long tags = 0, requests = 0, delayTicks = 0;

        app.MapPost("/connect/api/tag/batch", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            Interlocked.Add(ref tags, body.RootElement.GetProperty("tags").GetArrayLength());
            Interlocked.Increment(ref requests);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await Task.Delay(latency);
            Interlocked.Add(ref delayTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
            return Results.Text("{}", "application/json");
        });
        app.MapGet("/stats", () => Results.Json(new
        {
            tags = Interlocked.Read(ref tags),
            requests = Interlocked.Read(ref requests),
            delayMs = TimeSpan.FromTicks(Interlocked.Read(ref delayTicks)).TotalMilliseconds,   // the latency actually served, summed
        }));
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
