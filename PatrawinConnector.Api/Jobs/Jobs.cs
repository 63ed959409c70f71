using PatrawinConnector.Domain.ActivityTypes;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Domain.Tags;

namespace PatrawinConnector.Api.Jobs;

// The recurring jobs of the contract. Each is a thin shell over its Domain service: run it, log and return the summary
// (Hangfire keeps it as the run's result). A failure propagates, so Hangfire records the run as failed with its stack;
// the next scheduled run tries again from the saved cursor. SingleRunFilter keeps two runs of one job from overlapping,
// and no automatic retry is registered (Composition/Jobs.cs).

/// <summary>A recurring job: one run of its Domain service, stopped between batches when the token fires.</summary>
public interface IConnectorJob
{
    Task<string> RunAsync(CancellationToken cancellationToken);
}

public sealed class TagSyncJob(TagSyncService sync, ILogger<TagSyncJob> logger) : IConnectorJob
{
    public const string Id = "tag-sync";

    public async Task<string> RunAsync(CancellationToken cancellationToken) =>
        JobSummary.Log(logger, Id, await sync.RunAsync(cancellationToken));
}

public sealed class TagRefreshJob(TagRefreshService refresh, ILogger<TagRefreshJob> logger) : IConnectorJob
{
    public const string Id = "tag-refresh";

    public async Task<string> RunAsync(CancellationToken cancellationToken) =>
        JobSummary.Log(logger, Id, await refresh.RunAsync(cancellationToken));
}

public sealed class ActivityTypeSyncJob(ActivityTypeSyncService sync, ILogger<ActivityTypeSyncJob> logger) : IConnectorJob
{
    public const string Id = "activity-type-sync";

    public async Task<string> RunAsync(CancellationToken cancellationToken) =>
        JobSummary.Log(logger, Id, await sync.RunAsync(cancellationToken));
}

public sealed class ExternalHoursSyncJob(ExternalHoursSyncService sync, ILogger<ExternalHoursSyncJob> logger) : IConnectorJob
{
    public const string Id = "external-hours-sync";

    public async Task<string> RunAsync(CancellationToken cancellationToken) =>
        JobSummary.Log(logger, Id, await sync.RunAsync(cancellationToken));
}

internal static class JobSummary
{
    /// <summary>The one summary line of a successful run; the summary is also the run's result in Hangfire.</summary>
    public static string Log<T>(ILogger logger, string jobId, T summary) where T : notnull
    {
        var text = summary.ToString() ?? string.Empty;
        logger.LogInformation("Job {JobId} succeeded: {Summary}", jobId, text);
        return text;
    }
}
