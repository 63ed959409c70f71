using System.Globalization;
using Hangfire;

namespace PatrawinConnector.Api.Jobs;

/// <summary>The last run of a job as /ops/api/jobs shows it; <see cref="ConsecutiveFailures"/> feeds the health checks.</summary>
public sealed record JobRunRecord(
    string BackgroundJobId, DateTime StartedAt, DateTime? FinishedAt, string Outcome, string? Message, string? Error, int ConsecutiveFailures)
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>
/// Each job's last run, kept in Hangfire's storage next to the runs themselves (a hash per job), so every replica of a
/// shared SQL Server store reads the same answer. Written only by SingleRunFilter and the start-up clean-up.
/// </summary>
public sealed class JobRunJournal(JobStorage storage)
{
    private const int MaxText = 4000;

    public void Started(string jobId, string backgroundJobId, DateTime at) => Write(jobId, new Dictionary<string, string>
    {
        [nameof(JobRunRecord.BackgroundJobId)] = backgroundJobId,
        [nameof(JobRunRecord.StartedAt)] = Format(at),
        [nameof(JobRunRecord.FinishedAt)] = string.Empty,
        [nameof(JobRunRecord.Outcome)] = JobRunRecord.Running,
        [nameof(JobRunRecord.Message)] = string.Empty,
        [nameof(JobRunRecord.Error)] = string.Empty,
    });

    public void Finished(string jobId, DateTime at, string? message, Exception? failure)
    {
        var failures = failure is null ? 0 : (Last(jobId)?.ConsecutiveFailures ?? 0) + 1;
        Write(jobId, new Dictionary<string, string>
        {
            [nameof(JobRunRecord.FinishedAt)] = Format(at),
            [nameof(JobRunRecord.Outcome)] = failure is null ? JobRunRecord.Succeeded : JobRunRecord.Failed,
            [nameof(JobRunRecord.Message)] = Truncate(failure?.Message ?? message),
            [nameof(JobRunRecord.Error)] = Truncate(failure?.ToString()),
            [nameof(JobRunRecord.ConsecutiveFailures)] = failures.ToString(CultureInfo.InvariantCulture),
        });
    }

    public JobRunRecord? Last(string jobId)
    {
        using var connection = storage.GetConnection();
        var hash = connection.GetAllEntriesFromHash(Key(jobId));
        if (hash is null || !hash.TryGetValue(nameof(JobRunRecord.StartedAt), out var started) || Parse(started) is not { } startedAt)
        {
            return null;
        }
        return new JobRunRecord(
            Text(hash, nameof(JobRunRecord.BackgroundJobId)) ?? string.Empty,
            startedAt,
            Parse(Text(hash, nameof(JobRunRecord.FinishedAt))),
            Text(hash, nameof(JobRunRecord.Outcome)) ?? JobRunRecord.Running,
            Text(hash, nameof(JobRunRecord.Message)),
            Text(hash, nameof(JobRunRecord.Error)),
            int.TryParse(Text(hash, nameof(JobRunRecord.ConsecutiveFailures)), CultureInfo.InvariantCulture, out var n) ? n : 0);
    }

    private void Write(string jobId, Dictionary<string, string> fields)
    {
        using var connection = storage.GetConnection();
        connection.SetRangeInHash(Key(jobId), fields);
    }

    private static string Key(string jobId) => $"patrawin:job-run:{jobId}";

    private static string? Text(Dictionary<string, string> hash, string field) =>
        hash.TryGetValue(field, out var value) && value.Length > 0 ? value : null;

    private static string Format(DateTime at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTime? Parse(string? text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static string Truncate(string? text) => text is { Length: > MaxText } ? text[..MaxText] : text ?? string.Empty;
}
