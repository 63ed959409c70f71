using PatrawinConnector.Domain.ActivityTypes;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Domain.Tags;
using Quartz;

namespace PatrawinConnector.Api.Jobs;

// The recurring jobs of the contract. Each is a thin shell over its Domain service: run it, hand the summary to
// JobRunListener (context.Result). A failure propagates as JobExecutionException so the run shows as failed; the next
// scheduled run tries again from the saved cursor. Quartz never runs a job concurrently with itself.

[DisallowConcurrentExecution]
public sealed class TagSyncJob(TagSyncService sync) : IJob
{
    public static readonly JobKey Key = new("tag-sync");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        context.Result = await JobFailure.Wrap(() => sync.RunAsync(cancellationToken));
}

[DisallowConcurrentExecution]
public sealed class TagRefreshJob(TagRefreshService refresh) : IJob
{
    public static readonly JobKey Key = new("tag-refresh");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        context.Result = await JobFailure.Wrap(() => refresh.RunAsync(cancellationToken));
}

[DisallowConcurrentExecution]
public sealed class ActivityTypeSyncJob(ActivityTypeSyncService sync) : IJob
{
    public static readonly JobKey Key = new("activity-type-sync");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        context.Result = await JobFailure.Wrap(() => sync.RunAsync(cancellationToken));
}

[DisallowConcurrentExecution]
public sealed class ExternalHoursSyncJob(ExternalHoursSyncService sync) : IJob
{
    public static readonly JobKey Key = new("external-hours-sync");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        context.Result = await JobFailure.Wrap(() => sync.RunAsync(cancellationToken));
}

internal static class JobFailure
{
    /// <summary>Runs a job's work; anything it throws becomes a JobExecutionException (not refired now: the schedule retries).</summary>
    public static async Task<string> Wrap<T>(Func<Task<T>> work) where T : notnull
    {
        try
        {
            return (await work()).ToString() ?? string.Empty;
        }
        catch (Exception e) when (e is not JobExecutionException and not OperationCanceledException)
        {
            throw new JobExecutionException(e.Message, e);
        }
    }
}
