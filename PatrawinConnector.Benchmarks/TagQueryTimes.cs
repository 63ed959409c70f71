using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.Tags;

namespace PatrawinConnector.Benchmarks;

/// <summary>
/// Database time of the tag queries alone on a Patrawin-shaped file, with no uploads: a whole run's stream from the
/// start (time to its first row and to its end), a run that finds nothing new after the last row, and refresh pages.
/// </summary>
internal static class TagQueryTimes
{
    public static async Task<int> RunAsync(string[] args)
    {
        var file = Args.Option(args, "--patrawin", "");
        var take = Args.Int(args, "--refresh-page", 250);
        await using var db = new PatrawinDbContext(new DbContextOptionsBuilder<PatrawinDbContext>()
            .UseSqlite($"Data Source={file}")
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .Options);
        var queries = new TagQueries(db);
        foreach (var kind in new[] { TagKind.Case, TagKind.Client })
        {
            var started = Stopwatch.GetTimestamp();
            double firstRowMs = 0;
            var rows = 0;
            var last = KeysetPosition.Start;
            await foreach (var row in queries.NewAfterAsync(kind, KeysetPosition.Start, CancellationToken.None))
            {
                if (rows++ == 0)
                {
                    firstRowMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
                last = row.Position;
            }
            var wholeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            started = Stopwatch.GetTimestamp();
            var none = 0;
            await foreach (var _ in queries.NewAfterAsync(kind, last, CancellationToken.None))
            {
                none++;
            }
            var incrementalMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            started = Stopwatch.GetTimestamp();
            var page = await queries.NextPageAsync(kind, KeysetPosition.Start, take, refresh: true, CancellationToken.None);
            var firstPageMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            started = Stopwatch.GetTimestamp();
            await queries.NextPageAsync(kind, page[page.Count / 2].Position, take, refresh: true, CancellationToken.None);
            var laterPageMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{kind}s: the first run's stream {rows} rows, first row after {firstRowMs:F0} ms, all after {wholeMs:F0} ms; " +
                $"a run with nothing new {incrementalMs:F0} ms ({none} rows); refresh page of {take}: {firstPageMs:F0} ms, the next {laterPageMs:F0} ms"));
        }
        return 0;
    }
}
