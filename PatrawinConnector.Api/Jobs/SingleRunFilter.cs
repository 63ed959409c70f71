using System.Collections.Concurrent;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;

namespace PatrawinConnector.Api.Jobs;

/// <summary>
/// The cross-cutting rules of every connector job, registered once as a Hangfire filter (Composition/Jobs.cs):
/// a run starts only when no other run of the same job holds its lock, on this process or any other; a run that finds
/// the lock held is skipped at once (never queued behind it, never failed) and shows in the dashboard as deleted with
/// the reason; each run's start and end go to the <see cref="JobRunJournal"/>, failures and shutdowns to the log.
/// </summary>
public sealed class SingleRunFilter(IJobRunLocks locks, JobRunJournal journal, TimeProvider clock, ILogger<SingleRunFilter> logger)
    : IServerFilter, IElectStateFilter
{
    private const string HeldLock = "patrawin:run-lock";
    private readonly ConcurrentDictionary<string, string> _skipped = new(StringComparer.Ordinal);

    public void OnPerforming(PerformingContext context)
    {
        if (JobCatalog.Of(context.BackgroundJob.Job.Type) is not { } job)
        {
            return;
        }
        var held = locks.TryAcquire(context.Connection, $"run:{job.Id}");
        if (held is null)
        {
            var reason = $"Skipped: a run of {job.Id} is already in progress";
            logger.LogInformation("Job {JobId} run {BackgroundJobId} skipped: a run is already in progress", job.Id, context.BackgroundJob.Id);
            _skipped[context.BackgroundJob.Id] = reason;
            context.Canceled = true;
            return;
        }
        context.Items[HeldLock] = held;
        logger.LogInformation("Job {JobId} run {BackgroundJobId} started", job.Id, context.BackgroundJob.Id);
        journal.Started(job.Id, context.BackgroundJob.Id, clock.GetUtcNow().UtcDateTime);
    }

    public void OnPerformed(PerformedContext context)
    {
        if (JobCatalog.Of(context.BackgroundJob.Job.Type) is not { } job || !context.Items.TryGetValue(HeldLock, out var held))
        {
            return;
        }
        using var release = (IDisposable)held;
        logger.LogInformation("Job {JobId} run {BackgroundJobId} ended", job.Id, context.BackgroundJob.Id);
        var failure = context.Exception is JobPerformanceException { InnerException: { } inner } ? inner : context.Exception;
        if (failure is OperationCanceledException)
        {
            logger.LogWarning("Job {JobId} was stopped by shutdown; Hangfire runs it again after the restart, from the saved cursor", job.Id);
        }
        else if (failure is not null)
        {
            logger.LogError(failure, "Job {JobId} failed: {Reason}", job.Id, failure.Message);
        }
        journal.Finished(job.Id, clock.GetUtcNow().UtcDateTime, context.Result as string,
            failure is OperationCanceledException ? new OperationCanceledException("Stopped by shutdown between batches; it runs again after the restart") : failure);
    }

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is SucceededState && _skipped.TryRemove(context.BackgroundJob.Id, out var reason))
        {
            context.CandidateState = new DeletedState { Reason = reason };
        }
    }
}
