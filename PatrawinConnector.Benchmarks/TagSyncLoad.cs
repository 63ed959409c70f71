using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace PatrawinConnector.Benchmarks;

/// <summary>
/// Drives a connector process that a user started (scripts/bench-tag-sync.sh starts it): triggers its first
/// tag-sync through the ops API and watches it from outside, through the Connect API stand-in's counters and the
/// process's /proc status. Then one tag-refresh run, and an incremental tag-sync after three new cases, added to the
/// Patrawin the connector reads: the SQLite file (--patrawin) or the database on a TDS server (--patrawin-tds).
/// </summary>
internal static class TagSyncLoad
{
    private const string ThreeNewCases = """
        INSERT INTO ARENDE_1 (Arendenr, Slagord, Skapatdat, Rowguid, Officeid, Electronic_file, Excludedfromiprcontrol, Outsourced)
        VALUES ('N0000001SE00', 'New one', '2031-01-01 10:00:00', 'n1', 1, 0, 0, 0),
               ('N0000002SE00', 'New two', '2031-01-01 10:00:00', 'n2', 1, 0, 0, 0),
               ('N0000003SE00', 'New three', '2031-01-01 10:01:00', 'n3', 1, 0, 0, 0);
        INSERT INTO KUND_ARENDE_25 (Kundtyp, Arendenr, Kundnr, Part)
        VALUES (2, 'N0000001SE00', 'K000001', 1), (2, 'N0000002SE00', 'K000002', 1), (2, 'N0000003SE00', 'K000003', 1);
        """;

    /// <summary>The same three cases in T-SQL: Rowguid is a uniqueidentifier there.</summary>
    private const string ThreeNewCasesTds = """
        INSERT INTO dbo.ARENDE_1 (Arendenr, Slagord, Skapatdat, Rowguid, Officeid, Electronic_file, Excludedfromiprcontrol, Outsourced)
        VALUES ('N0000001SE00', N'New one', '2031-01-01T10:00:00', NEWID(), 1, 0, 0, 0),
               ('N0000002SE00', N'New two', '2031-01-01T10:00:00', NEWID(), 1, 0, 0, 0),
               ('N0000003SE00', N'New three', '2031-01-01T10:01:00', NEWID(), 1, 0, 0, 0);
        INSERT INTO dbo.KUND_ARENDE_25 (Kundtyp, Arendenr, Kundnr, Part)
        VALUES (2, 'N0000001SE00', 'K000001', 1), (2, 'N0000002SE00', 'K000002', 1), (2, 'N0000003SE00', 'K000003', 1);
        """;

    /// <summary>
    /// A TDS Patrawin outlives a run (generating it again costs minutes), so a run first takes out the three cases a
    /// previous run added: with a fresh DATA_DIR that is the state generate-tds left, as a fresh copy is for SQLite.
    /// </summary>
    private const string RemoveNewCasesTds = """
        DELETE FROM dbo.KUND_ARENDE_25 WHERE Arendenr IN ('N0000001SE00', 'N0000002SE00', 'N0000003SE00');
        DELETE FROM dbo.ARENDE_1 WHERE Arendenr IN ('N0000001SE00', 'N0000002SE00', 'N0000003SE00');
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var connector = new Uri(Args.Option(args, "--connector", "http://127.0.0.1:18300"));
        var standIn = new Uri(Args.Option(args, "--standin", "http://127.0.0.1:18390"));
        var pid = Args.Int(args, "--pid", 0);
        var patrawin = Args.Option(args, "--patrawin", "");
        var patrawinTds = Args.Option(args, "--patrawin-tds", "");
        if (patrawin.Length > 0 && patrawinTds.Length > 0)
        {
            Console.Error.WriteLine("--patrawin FILE or --patrawin-tds CONNECTION_STRING, not both");
            return 64;
        }
        var concurrency = Args.Int(args, "--concurrency", 4);
        var batch = Args.Int(args, "--batch", 500);
        var latencyMs = Args.Int(args, "--latency-ms", 20);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        if (patrawinTds.Length > 0)
        {
            await ExecuteAsync(new SqlConnection(patrawinTds), RemoveNewCasesTds);
        }
        await WarmUpStandInAsync(http, standIn, Args.Int(args, "--standin-warmup", 400), batch, concurrency);
        var rssAtStart = PeakMegabytes(pid);

        var before = await StatsAsync(http, standIn);
        var sync = await RunJobAsync(http, connector, "tag-sync");
        var after = await StatsAsync(http, standIn);
        var answered = (await http.GetFromJsonAsync<long[][]>(new Uri(standIn, "/stats/batches")))!.Skip((int)before.Batches).ToList();
        var tags = after.Tags - before.Tags;
        var batches = after.Batches - before.Batches;
        var wall = sync.FinishedAt - sync.StartedAt;
        var floor = TimeSpan.FromMilliseconds(Math.Ceiling(tags / (double)batch) * latencyMs / concurrency);
        var (first, last) = TenthPaces(answered, sync.StartedAt);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"concurrency {concurrency}: {tags} tags in {batches} batches, wall {wall.TotalSeconds:F2} s, {tags / wall.TotalSeconds:F0} tags/s, " +
            $"latency floor {floor.TotalSeconds:F2} s ({100 * floor.TotalSeconds / wall.TotalSeconds:F0}% of the floor's speed), " +
            $"first tenth {first:F0} tags/s, last tenth {last:F0} tags/s (last/first {last / first:F2}), " +
            $"peak RSS {PeakMegabytes(pid):F0} MB ({rssAtStart:F0} MB before the run), {sync.Outcome}"));

        var refresh = await RunJobAsync(http, connector, "tag-refresh");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tag-refresh run (one page of cases and one of clients): {(refresh.FinishedAt - refresh.StartedAt).TotalSeconds:F2} s, {refresh.Outcome}: {refresh.Message}"));

        if (patrawin.Length > 0 || patrawinTds.Length > 0)
        {
            await (patrawinTds.Length > 0
                ? ExecuteAsync(new SqlConnection(patrawinTds), ThreeNewCasesTds)
                : ExecuteAsync(new SqliteConnection($"Data Source={patrawin}"), ThreeNewCases));
            var beforeIncremental = await StatsAsync(http, standIn);
            var incremental = await RunJobAsync(http, connector, "tag-sync");
            var sent = (await StatsAsync(http, standIn)).Tags - beforeIncremental.Tags;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"incremental tag-sync after 3 new cases: {(incremental.FinishedAt - incremental.StartedAt).TotalSeconds:F2} s " +
                $"(one batch at {latencyMs} ms included), {sent} tags sent, {incremental.Outcome}"));
        }
        return sync.Outcome == "succeeded" ? 0 : 1;
    }

    /// <summary>
    /// The stand-in is a fresh process, and the remote API it plays is not: its first few hundred batches run its
    /// JSON parsing as unoptimised code, on the connector's cores. It is warmed up with batches of its own, before
    /// the counters the run is measured by are read.
    /// </summary>
    private static async Task WarmUpStandInAsync(HttpClient http, Uri standIn, int batches, int size, int concurrency)
    {
        var tags = Enumerable.Range(0, size).Select(i => new { name = $"WARMUP{i:D6}SE00", description = "Stand-in warm-up", path = "/Patrawin/" });
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { tags });
        await Parallel.ForAsync(0, batches, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency) }, async (_, ct) =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(new Uri(standIn, "/connect/api/tag/batch"), content, ct);
            response.EnsureSuccessStatusCode();
        });
    }

    /// <summary>Runs one batch on the Patrawin, in one transaction, and closes the connection.</summary>
    private static async Task ExecuteAsync(DbConnection patrawin, string sql)
    {
        await using var connection = patrawin;
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    private sealed record StandInStats(long Tags, long Requests, long Batches, double DelayMs);

    private sealed record Run(DateTime StartedAt, DateTime FinishedAt, string Outcome, string? Message);

    private sealed record JobView(string Id, RunViewDto? LastRun);

    private sealed record RunViewDto(long Id, DateTime StartedAt, DateTime? FinishedAt, string Outcome, string? Message);

    private static async Task<StandInStats> StatsAsync(HttpClient http, Uri standIn) =>
        (await http.GetFromJsonAsync<StandInStats>(new Uri(standIn, "/stats")))!;

    /// <summary>Triggers the job through the ops API and waits for the run it started to end, as the dashboard shows it.</summary>
    private static async Task<Run> RunJobAsync(HttpClient http, Uri connector, string job)
    {
        var previous = (await LastRunAsync(http, connector, job))?.Id ?? 0;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            // Right after start-up the scheduler may not take triggers yet (the webhook answers first).
            using var trigger = new HttpRequestMessage(HttpMethod.Post, new Uri(connector, $"/ops/api/jobs/{job}/trigger"));
            trigger.Headers.Add("X-Requested-By", "bench-tag-sync");
            using var response = await http.SendAsync(trigger);
            if (response.IsSuccessStatusCode)
            {
                break;
            }
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"triggering {job} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            await Task.Delay(200);
        }
        while (waited.Elapsed < TimeSpan.FromHours(3))
        {
            if (await LastRunAsync(http, connector, job) is { FinishedAt: { } finished } run && run.Id > previous && run.Outcome != "running")
            {
                return new Run(run.StartedAt, finished, run.Outcome, run.Message);
            }
            await Task.Delay(250);   // the run's times come from the connector; polling often would only cost it CPU
        }
        throw new TimeoutException($"{job} did not finish within 3 hours");
    }

    private static async Task<RunViewDto?> LastRunAsync(HttpClient http, Uri connector, string job) =>
        (await http.GetFromJsonAsync<List<JobView>>(new Uri(connector, "/ops/api/jobs")))!.Single(j => j.Id == job).LastRun;

    /// <summary>Tags per second over the first and over the last tenth of the tags, from when each batch was answered.</summary>
    private static (double First, double Last) TenthPaces(List<long[]> answered, DateTime startedAt)
    {
        var total = answered.Sum(a => a[1]);
        if (total == 0)
        {
            return (double.NaN, double.NaN);
        }
        var ordered = answered.OrderBy(a => a[0]).ToList();
        var start = new DateTimeOffset(DateTime.SpecifyKind(startedAt, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
        long done = 0, tenthAt = 0, lastTenthFrom = 0;
        foreach (var a in ordered)
        {
            if (done < total * 9 / 10 && done + a[1] >= total * 9 / 10)
            {
                lastTenthFrom = a[0];
            }
            done += a[1];
            if (tenthAt == 0 && done >= total / 10)
            {
                tenthAt = a[0];
            }
        }
        var end = ordered[^1][0];
        return (total / 10.0 / Math.Max(1, tenthAt - start) * 1000, total / 10.0 / Math.Max(1, end - lastTenthFrom) * 1000);
    }

    /// <summary>The connector process's peak resident set (VmHWM), in MB.</summary>
    private static double PeakMegabytes(int pid) => ResidentMemory.PeakMegabytes($"/proc/{pid}/status");
}
