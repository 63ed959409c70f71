using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using PatrawinConnector.Api.Jobs;

namespace PatrawinConnector.Api.Ops;

/// <summary>
/// /ops/api/jobs from Hangfire's store: the schedule and paused flag (JobSchedules), the last run (JobRunJournal), and
/// Hangfire's own recurring-job record. A run that was triggered but has not started yet (waiting in the queue for a
/// worker, or taken by one that has not recorded its start in the journal yet) shows as due now, so a job is never
/// shown as neither due nor running in the moment it is started.
/// </summary>
public sealed class JobStatusReader(JobStorage storage, TimeProvider clock)
{
    private static readonly string[] Waiting = [EnqueuedState.StateName, ScheduledState.StateName, AwaitingState.StateName, ProcessingState.StateName];

    public IReadOnlyList<JobView> All()
    {
        // One storage connection for the whole view (the dashboard polls it), not one per job and per record.
        using var connection = storage.GetConnection();
        var recurring = connection.GetRecurringJobs(JobCatalog.All.Select(j => j.Id));
        return JobCatalog.All.Select(job =>
        {
            var schedule = JobSchedules.Get(connection, job.Id);
            var last = JobRunJournal.Last(connection, job.Id);
            var hangfire = recurring.Find(r => r.Id == job.Id);
            var waiting = hangfire is { LastJobId: { } queued } && Waiting.Contains(hangfire.LastJobState) && last?.BackgroundJobId != queued;
            var nextRunAt = waiting ? hangfire!.LastExecution ?? clock.GetUtcNow().UtcDateTime : schedule.NextRunAt;
            return new JobView(job.Id, job.Description, nextRunAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null,
                schedule.Paused, schedule.IntervalMinutes is not null, schedule.IntervalMinutes, last is null ? null : RunView.Of(last));
        }).ToList();
    }
}
