using Hangfire;
using Hangfire.Server;

namespace PatrawinConnector.Api.Jobs;

/// <summary>
/// Fires the recurring jobs on their intervals (Hangfire's own recurring scheduler is cron-only, and an interval of
/// 7 minutes or 14 days is not a cron). A Hangfire background process: it runs inside the Hangfire server, on every
/// replica, and each tick holds the scheduler lock, so a due job is triggered once whichever replica sees it first.
/// A paused job's slots pass without a run.
/// </summary>
public sealed class IntervalScheduler(
    IRecurringJobManagerV2 recurringJobs, IJobRunLocks locks, JobSchedules schedules, TimeProvider clock, ILogger<IntervalScheduler> logger)
    : IBackgroundProcess
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    public void Execute(BackgroundProcessContext context)
    {
        using (var connection = context.Storage.GetConnection())
        using (var held = locks.TryAcquire(connection, "interval-scheduler"))
        {
            if (held is not null)
            {
                foreach (var job in JobCatalog.All)
                {
                    var schedule = JobSchedules.Get(connection, job.Id);
                    var now = clock.GetUtcNow().UtcDateTime;
                    if (schedule is not { IntervalMinutes: { } interval, NextRunAt: { } due } || due > now)
                    {
                        continue;
                    }
                    // The slot moves on first: a crash between the two lines loses this one run, never doubles it.
                    schedules.Advance(connection, job.Id, JobSchedules.NextAfter(due, interval, now));
                    if (schedule.Paused)
                    {
                        logger.LogDebug("Job {JobId} is paused: its run due at {DueAt} is left out", job.Id, due);
                    }
                    else
                    {
                        recurringJobs.TriggerJob(job.Id);
                    }
                }
            }
        }
        context.Wait(Tick);
    }
}
