using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using PatrawinConnector.Domain.State;
using Microsoft.Extensions.Options;

namespace PatrawinConnector.Api.Jobs;

/// <summary>One job of the plan: switched on (with its interval and its first run after start-up) or off.</summary>
public sealed record PlannedJob(string Id, bool Enabled, int IntervalMinutes, TimeSpan FirstRunDelay);

/// <summary>The schedule Composition/Jobs.cs derives from the options, one entry per job of the catalog.</summary>
public sealed record JobPlan(IReadOnlyList<PlannedJob> Jobs, bool SingleProcessStore);

/// <summary>
/// Runs before the Hangfire server starts: registers the four recurring jobs (all of them, so that "run now" works for
/// a switched-off job too), writes their interval schedules (first run a few seconds after start-up, staggered),
/// clears the schedule of a switched-off job, and tidies what an earlier process left behind.
/// </summary>
internal sealed class RecurringJobRegistration(
    IRecurringJobManager recurringJobs,
    JobSchedules schedules,
    JobRunJournal journal,
    JobPlan plan,
    JobStorage storage,
    IBackgroundJobClient client,
    IOptions<StateOptions> state,
    TimeProvider clock,
    ILogger<RecurringJobRegistration> logger) : IHostedService
{
    private const string QuartzStore = "jobs.db";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        RemoveQuartzStore();
        if (plan.SingleProcessStore)
        {
            FailInterruptedRuns();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var run = typeof(IConnectorJob).GetMethod(nameof(IConnectorJob.RunAsync))!;
        foreach (var job in plan.Jobs)
        {
            var entry = JobCatalog.Find(job.Id)!;
            recurringJobs.AddOrUpdate(job.Id, new Job(entry.JobType, run, CancellationToken.None), Cron.Never(),
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
            if (job.Enabled)
            {
                schedules.Schedule(job.Id, job.IntervalMinutes, now + job.FirstRunDelay);
            }
            else
            {
                schedules.Unschedule(job.Id);
                logger.LogInformation("Job {JobId} is switched off: it runs only when triggered from the dashboard", job.Id);
            }
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// With the SQLite store this is the only process on DATA_DIR (DataDirLock), so a run still "processing" was cut off
    /// by a kill or a crash: it is marked failed (not run again: the next scheduled run continues from the cursor).
    /// </summary>
    private void FailInterruptedRuns()
    {
        const string reason = "Interrupted: the connector stopped (killed or crashed) during this run; the next run continues from the saved cursor";
        var monitoring = storage.GetMonitoringApi();
        foreach (var (id, _) in monitoring.ProcessingJobs(0, 1000))
        {
            client.ChangeState(id, new FailedState(new InvalidOperationException(reason)) { Reason = reason }, ProcessingState.StateName);
            logger.LogWarning("Run {BackgroundJobId} was cut off by the last stop of the connector: marked failed", id);
        }
        foreach (var job in JobCatalog.All)
        {
            if (journal.Last(job.Id) is { Outcome: JobRunRecord.Running })
            {
                journal.Finished(job.Id, clock.GetUtcNow().UtcDateTime, null, new InvalidOperationException(reason));
            }
        }
    }

    /// <summary>Versions before Hangfire kept their schedules in a Quartz store, DATA_DIR/jobs.db: nothing reads it now.</summary>
    private void RemoveQuartzStore()
    {
        var path = Path.Combine(state.Value.FullDataDir, QuartzStore);
        if (!File.Exists(path))
        {
            return;
        }
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            File.Delete(file);
        }
        logger.LogInformation("Removed {File}, the Quartz job store of an earlier version: the schedules are in Hangfire's store now", path);
    }
}
