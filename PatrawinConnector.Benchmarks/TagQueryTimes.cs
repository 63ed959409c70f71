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
            .LogTo(m => { if (m.Contains("Executed DbCommand", StringComparison.Ordinal)) { Console.WriteLine(m[..Math.Min(m.Length, 300)]); } }, Microsoft.Extensions.Logging.LogLevel.Information)
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .Options);
        var queries = new TagQueries(db);
        await using (var raw = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file}"))
        {
            await raw.OpenAsync();
            for (var i = 0; i < 3; i++)
            {
                await using var cmd = raw.CreateCommand();
                cmd.CommandText = "SELECT count(*) FROM (SELECT Arendenr, Skapatdat FROM ARENDE_1 ORDER BY CASE WHEN Skapatdat IS NULL OR Skapatdat <= '1900-01-01 00:00:00' THEN '1900-01-01 00:00:00' ELSE Skapatdat END, Arendenr LIMIT 250)";
                var t0 = Stopwatch.GetTimestamp();
                await cmd.ExecuteScalarAsync();
                Console.WriteLine($"raw window {Stopwatch.GetElapsedTime(t0).TotalMilliseconds} ms");
                cmd.CommandText = "SELECT count(*) FROM KUND_ARENDE_25 WHERE Arendenr IN ('P0999999SE00','x')";
                t0 = Stopwatch.GetTimestamp();
                await cmd.ExecuteScalarAsync();
                Console.WriteLine($"raw link scan {Stopwatch.GetElapsedTime(t0).TotalMilliseconds} ms");
                cmd.CommandText = File.ReadAllText("/tmp/b12/q6.sql").Split(".parameter set @min \"'1900-01-01 00:00:00'\"")[1];
                cmd.Parameters.AddWithValue("@createdAt", "2030-01-01 00:00:00");
                cmd.Parameters.AddWithValue("@number", "P0");
                cmd.Parameters.AddWithValue("@min", "1900-01-01 00:00:00");
                t0 = Stopwatch.GetTimestamp();
                await using (var r = await cmd.ExecuteReaderAsync()) { while (await r.ReadAsync()) { } }
                Console.WriteLine($"raw few {Stopwatch.GetElapsedTime(t0).TotalMilliseconds} ms");
                cmd.CommandText = "EXPLAIN QUERY PLAN " + cmd.CommandText;
                await using (var r = await cmd.ExecuteReaderAsync()) { while (await r.ReadAsync()) { Console.WriteLine(r.GetString(3)); } }
                cmd.Parameters.Clear();
                cmd.CommandText = "select sqlite_version()";
                Console.WriteLine(await cmd.ExecuteScalarAsync());
            }
        }
        foreach (var kind in new[] { TagKind.Case, TagKind.Client, TagKind.Case, TagKind.Client })
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
