using PatrawinConnector.Benchmarks;

return args.FirstOrDefault() switch
{
    "webhook" => await WebhookLoad.RunAsync(args[1..]),
    "generate" => await LargePatrawin.GenerateAsync(args[1..]),
    "generate-tds" => await LargeTdsPatrawin.GenerateAsync(args[1..]),
    "wisetime-standin" => await WiseTimeStandIn.RunAsync(args[1..]),
    "tag-sync" => await TagSyncLoad.RunAsync(args[1..]),
    "tag-queries" => await TagQueryTimes.RunAsync(args[1..]),
    "external-hours-standins" => await ExternalHoursStandIns.RunAsync(args[1..]),
    "external-hours" => await ExternalHoursLoad.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: PatrawinConnector.Benchmarks COMMAND [options]
          webhook            [--url URL] [--groups N] [--concurrency C] [--warmup W] [--caller-key KEY]
                             posts N distinct time groups at concurrency C to a running connector; prints posts/s, p50, p99
          generate           --out FILE [--cases N] [--clients N] [--sandbox-indexes]
                             writes a Patrawin-shaped SQLite file with N cases and clients (2% of clients blocked),
                             primary keys only unless --sandbox-indexes
          generate-tds       --server CONNECTION_STRING [--database patrawin] [--cases N] [--clients N] [--demo]
                             creates a Patrawin database on a TDS server (Babelfish or SQL Server): primary keys only, the tests'
                             stand-in pw_PostTime, and N cases and clients shaped as by generate, or the sandbox's demo firm
          wisetime-standin   [--port P] [--latency-ms MS]
                             a Connect API stand-in on 127.0.0.1 that answers every call after MS milliseconds
          tag-sync           --connector URL --standin URL --pid PID [--patrawin FILE | --patrawin-tds CONNECTION_STRING]
                             [--concurrency C] [--batch B] [--latency-ms MS] [--standin-warmup BATCHES]
                             warms the stand-in up (400 batches of its own), triggers a running connector's first tag-sync
                             and watches it from outside; prints wall time, tags/s, share of the latency floor, first/last
                             tenth pace, peak RSS; then a tag-refresh and, when it is told the Patrawin (SQLite file or TDS
                             database), an incremental run after 3 new cases
          tag-queries        --patrawin FILE [--refresh-page N]
                             database time of the tag queries alone: a first run's stream, a run with nothing new, refresh pages
          external-hours-standins [--port P] [--latency-ms MS] [--entries N] [--projects P]
                             Kimai and CiviCRM stand-ins on 127.0.0.1 holding N entries over P projects, answering after MS milliseconds
          external-hours     [--url URL] [--concurrency C]
                             the first Kimai → CiviCRM sync against the stand-ins; prints entries/s, peak memory, a no-op rerun
        scripts/bench-webhook.sh, scripts/bench-tag-sync.sh and scripts/bench-external-hours.sh run them end to end.
        """);
    return 64;
}

internal static class Args
{
    public static string Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    public static int Int(string[] args, string name, int fallback) =>
        int.Parse(Option(args, name, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);
}

internal static class ResidentMemory
{
    /// <summary>A process's peak resident set (VmHWM), in MB: this one's unless another's /proc/PID/status is given.</summary>
    public static double PeakMegabytes(string status = "/proc/self/status")
    {
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }
}
