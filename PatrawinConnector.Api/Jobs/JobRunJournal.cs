using System.Text.Json;
using Hangfire;
using Hangfire.Storage;

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
/// Each job's last run, kept in Hangfire's storage next to the runs themselves, so every replica of a shared SQL Server
/// store reads the same answer. The record is one JSON value in one hash field: a reader never sees half of a write
/// (the outcome of the new run next to the message of the old one), which separate fields allowed. Written only by
/// SingleRunFilter, while it holds the job's run lock, and by the start-up clean-up, before any run.
/// </summary>
public sealed class JobRunJournal(JobStorage storage)
{
    private const int MaxText = 4000;
    private const string Field = "run";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Started(string jobId, string backgroundJobId, DateTime at)
    {
        using var connection = storage.GetConnection();
        Write(connection, jobId, new JobRunRecord(backgroundJobId, at.ToUniversalTime(), null, JobRunRecord.Running, null, null,
            Last(connection, jobId)?.ConsecutiveFailures ?? 0));
    }

    public void Finished(string jobId, DateTime at, string? message, Exception? failure)
    {
        using var connection = storage.GetConnection();
        var last = Last(connection, jobId);
        Write(connection, jobId, new JobRunRecord(
            last?.BackgroundJobId ?? string.Empty,
            last?.StartedAt ?? at.ToUniversalTime(),
            at.ToUniversalTime(),
            failure is null ? JobRunRecord.Succeeded : JobRunRecord.Failed,
            Truncate(failure?.Message ?? message),
            Truncate(failure?.ToString()),
            failure is null ? 0 : (last?.ConsecutiveFailures ?? 0) + 1));
    }

    public JobRunRecord? Last(string jobId)
    {
        using var connection = storage.GetConnection();
        return Last(connection, jobId);
    }

    /// <summary>The last run, on a connection the caller already has open (one per request, not one per job).</summary>
    public static JobRunRecord? Last(IStorageConnection connection, string jobId)
    {
        var text = connection.GetAllEntriesFromHash(Key(jobId))?.GetValueOrDefault(Field);
        return string.IsNullOrEmpty(text) ? null : JsonSerializer.Deserialize<JobRunRecord>(text, Json);
    }

    private static void Write(IStorageConnection connection, string jobId, JobRunRecord run) =>
        connection.SetRangeInHash(Key(jobId), [new KeyValuePair<string, string>(Field, JsonSerializer.Serialize(run, Json))]);

    private static string Key(string jobId) => $"patrawin:job-run:{jobId}";

    private static string? Truncate(string? text) => text is { Length: > MaxText } ? text[..MaxText] : string.IsNullOrEmpty(text) ? null : text;
}
