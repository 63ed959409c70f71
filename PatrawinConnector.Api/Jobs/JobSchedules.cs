using System.Globalization;
using Hangfire;
using Hangfire.Storage;

namespace PatrawinConnector.Api.Jobs;

/// <summary>A job's interval schedule: null interval = switched off (runs only when triggered); paused = our own flag.</summary>
public sealed record JobSchedule(int? IntervalMinutes, DateTime? NextRunAt, bool Paused);

/// <summary>
/// The interval schedules and paused flags, in Hangfire's storage (a hash per job), shared by every replica. Hangfire's
/// recurring jobs are cron-only and have no pause; IntervalScheduler reads these and triggers the recurring jobs.
/// </summary>
public sealed class JobSchedules(JobStorage storage)
{
    private const string Interval = "IntervalMinutes";
    private const string Next = "NextRunAt";
    private const string PausedField = "Paused";

    public void Schedule(string jobId, int intervalMinutes, DateTime firstRunAt) => Write(jobId, new Dictionary<string, string>
    {
        [Interval] = intervalMinutes.ToString(CultureInfo.InvariantCulture),
        [Next] = Format(firstRunAt),
    });

    public void Unschedule(string jobId) => Write(jobId, new Dictionary<string, string> { [Interval] = string.Empty, [Next] = string.Empty });

    public void SetPaused(string jobId, bool paused) => Write(jobId, new Dictionary<string, string> { [PausedField] = paused ? "true" : "false" });

    public void Advance(IStorageConnection connection, string jobId, DateTime nextRunAt) =>
        connection.SetRangeInHash(Key(jobId), new Dictionary<string, string> { [Next] = Format(nextRunAt) });

    public JobSchedule Get(string jobId)
    {
        using var connection = storage.GetConnection();
        return Get(connection, jobId);
    }

    public static JobSchedule Get(IStorageConnection connection, string jobId)
    {
        var hash = connection.GetAllEntriesFromHash(Key(jobId)) ?? [];
        int? interval = hash.TryGetValue(Interval, out var i) && int.TryParse(i, CultureInfo.InvariantCulture, out var minutes) && minutes > 0 ? minutes : null;
        DateTime? next = hash.TryGetValue(Next, out var n) &&
                         DateTime.TryParse(n, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;
        return new JobSchedule(interval, interval is null ? null : next, hash.TryGetValue(PausedField, out var p) && p == "true");
    }

    /// <summary>The first slot of the interval after <paramref name="now"/> (missed slots are skipped, not caught up).</summary>
    public static DateTime NextAfter(DateTime due, int intervalMinutes, DateTime now)
    {
        var interval = TimeSpan.FromMinutes(intervalMinutes);
        var missed = Math.Max(0, (long)Math.Floor((now - due) / interval));
        return due + (interval * (missed + 1));
    }

    private void Write(string jobId, Dictionary<string, string> fields)
    {
        using var connection = storage.GetConnection();
        connection.SetRangeInHash(Key(jobId), fields);
    }

    private static string Key(string jobId) => $"patrawin:job-schedule:{jobId}";

    private static string Format(DateTime at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
