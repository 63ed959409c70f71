using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PatrawinConnector.Domain;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.Tags;
using PatrawinConnector.Domain.WiseTime;

namespace PatrawinConnector.Benchmarks;

/// <summary>
/// The whole first tag-sync of a large Patrawin against the Connect API stand-in, with the connector's own services
/// (keyset queries, cursor store, Connect API client with its Polly pipeline), in a fresh state directory.
/// </summary>
internal static class TagSyncLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var file = Args.Option(args, "--patrawin", "");
        var url = Args.Option(args, "--url", "http://127.0.0.1:18090/connect/api");
        var concurrency = Args.Int(args, "--concurrency", 4);
        var batch = Args.Int(args, "--batch", 500);
        var latencyMs = Args.Int(args, "--latency-ms", 20);
        var dataDir = Directory.CreateTempSubdirectory("tag-sync-bench-").FullName;

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<StateOptions>(o => o.DataDir = dataDir);
        builder.Services.Configure<PatrawinOptions>(o =>
        {
            o.Provider = PatrawinProvider.Sqlite;
            o.ConnectionString = $"Data Source={file}";
        });
        builder.Services.Configure<WiseTimeOptions>(o =>
        {
            o.ApiKey = "benchmark";
            o.BaseUrl = url;
        });
        builder.Services.Configure<TagOptions>(o =>
        {
            o.TagUpsertConcurrency = concurrency;
            o.TagUpsertBatchSize = batch;
        });
        builder.AddConnectorDomain();
        using var host = builder.Build();
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<ConnectorStateDbContext>>().CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
        }

        var (firstPage, firstDatedPage, lastPage) = await PageQueryTimesAsync(host.Services, batch);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"page query ({batch} cases, median of 21): first page {firstPage:F2} ms, first dated page {firstDatedPage:F2} ms, " +
            $"last page {lastPage:F2} ms (last/first dated = {lastPage / firstDatedPage:F2})"));

        using var http = new HttpClient();
        var before = await http.GetFromJsonAsync<StandInStats>(new Uri(new Uri(url), "/stats"));
        var watch = Stopwatch.StartNew();
        TagRunSummary summary;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            summary = await scope.ServiceProvider.GetRequiredService<TagSyncService>().RunAsync(CancellationToken.None);
        }
        var wall = watch.Elapsed;

        var after = await http.GetFromJsonAsync<StandInStats>(new Uri(new Uri(url), "/stats"));
        var sentTags = after!.Tags - before!.Tags;
        var peakMb = ResidentMemory.PeakMegabytes();
        var floor = TimeSpan.FromMilliseconds(latencyMs * (after.Requests - before.Requests) / (double)concurrency);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"concurrency {concurrency}: {summary.Upserted} tags in {summary.Batches} batches, wall {wall.TotalSeconds:F2} s, " +
            $"{summary.Upserted / wall.TotalSeconds:F0} tags/s, latency floor {floor.TotalSeconds:F2} s " +
            $"({100 * floor.TotalSeconds / wall.TotalSeconds:F0}% of the floor's speed), peak RSS {peakMb:F0} MB, stand-in received {sentTags} tags, its delay averaged {(after.DelayMs - before.DelayMs) / Math.Max(1, after.Requests - before.Requests):F2} ms"));
        Directory.Delete(dataDir, recursive: true);
        return 0;
    }

    private sealed record StandInStats(long Tags, long Requests, double DelayMs);

    /// <summary>The median time of the very first page, of the first page past the undated cases, and of the last page, as the sync reads them.</summary>
    private static async Task<(double First, double FirstDated, double Last)> PageQueryTimesAsync(IServiceProvider services, int batch)
    {
        await using var scope = services.CreateAsyncScope();
        var queries = scope.ServiceProvider.GetRequiredService<TagQueries>();
        var db = scope.ServiceProvider.GetRequiredService<PatrawinDbContext>();
        var last = await db.Cases.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Number).Skip(batch).FirstAsync();
        var lastPosition = new KeysetPosition(last.CreatedAt ?? KeysetPosition.MinCreated, last.Number);
        var firstDated = await db.Cases.Where(c => c.CreatedAt > KeysetPosition.MinCreated).OrderBy(c => c.CreatedAt).ThenBy(c => c.Number).FirstAsync();
        var firstDatedPosition = new KeysetPosition(firstDated.CreatedAt!.Value, firstDated.Number);

        async Task<double> MedianAsync(KeysetPosition position)
        {
            var times = new List<double>();
            for (var i = 0; i < 21; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await queries.NextPageAsync(TagKind.Case, position, batch, false, CancellationToken.None);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            times.Sort();
            return times[times.Count / 2];
        }

        return (await MedianAsync(KeysetPosition.Start), await MedianAsync(firstDatedPosition), await MedianAsync(lastPosition));
    }
}
