using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PatrawinConnector.Api.Composition;
using PatrawinConnector.Api.Jobs;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Tests.Support;
using Quartz;

namespace PatrawinConnector.Tests.Jobs;

/// <summary>The real scheduler: Quartz with its SQLite job store in DATA_DIR, the jobs of the contract, the run history.</summary>
public sealed class JobSchedulingTests
{
    [Test]
    public async Task Start_Default_ThreeJobsWithTheirIntervalsInThePersistentStore()
    {
        using var factory = await new ConnectorApiFactory(new() { ["TAG_SYNC_SLOW_LOOP_INTERVAL_MIN"] = "7" }, withScheduler: true).StartAsync();
        var scheduler = await SchedulerAsync(factory);

        var intervals = new Dictionary<string, TimeSpan>();
        foreach (var key in new[] { TagSyncJob.Key, TagRefreshJob.Key, ActivityTypeSyncJob.Key })
        {
            var trigger = (ISimpleTrigger?)await scheduler.GetTrigger(Api.Composition.Jobs.TriggerOf(key));
            intervals[key.Name] = trigger!.RepeatInterval;
        }

        Assert.That(intervals, Is.EqualTo(new Dictionary<string, TimeSpan>
        {
            ["tag-sync"] = TimeSpan.FromMinutes(1), ["tag-refresh"] = TimeSpan.FromMinutes(7), ["activity-type-sync"] = TimeSpan.FromMinutes(5),
        }));
        Assert.That((await scheduler.GetMetadata()).JobStorePersistent, Is.True);
        Assert.That(File.Exists(Path.Combine(factory.DataDir, "jobs.db")), Is.True);
    }

    [Test]
    public async Task TriggerJob_TagSync_RunsOnceAndRecordsItsSummary()
    {
        using var factory = await new ConnectorApiFactory(withScheduler: true).StartAsync();
        var scheduler = await SchedulerAsync(factory);

        await scheduler.TriggerJob(TagSyncJob.Key);
        var run = await WaitForRunAsync(factory, "tag-sync");

        Assert.That(run.Outcome, Is.EqualTo(JobRunOutcome.Succeeded));
        Assert.That(run.Message, Is.EqualTo("19 upserted, 0 deleted, 0 skipped in 2 batches"));
        Assert.That(factory.WiseTime.UpsertedNames.Count(), Is.EqualTo(19));
    }

    [Test]
    public async Task TriggerJob_WiseTimeDown_RunRecordedAsFailedWithReason()
    {
        using var factory = await new ConnectorApiFactory(withScheduler: true).StartAsync();
        factory.WiseTime.FailWith = new WiseTimeApiException(WiseTimeErrorCategory.Transient, "WiseTime answered 503 to tag/batch: down for maintenance");
        var scheduler = await SchedulerAsync(factory);

        await scheduler.TriggerJob(TagSyncJob.Key);
        var run = await WaitForRunAsync(factory, "tag-sync");

        Assert.That(run.Outcome, Is.EqualTo(JobRunOutcome.Failed));
        Assert.That(run.Message, Does.Contain("down for maintenance"));
        Assert.That(run.Error, Does.Contain("WiseTimeApiException"));
    }

    [Test]
    public async Task Restart_TagScanSwitchedOff_StoredSchedulesRemovedJobsKept()
    {
        using var directory = new TempDirectory();
        using (var before = await new ConnectorApiFactory(withScheduler: true, dataDir: directory.Path).StartAsync())
        {
            Assert.That(await (await SchedulerAsync(before)).GetTrigger(Api.Composition.Jobs.TriggerOf(TagSyncJob.Key)), Is.Not.Null);
        }

        using var factory = await new ConnectorApiFactory(new() { ["TAG_SCAN"] = "DISABLED", ["ACTIVITY_TYPE_SCAN"] = "disabled" },
            withScheduler: true, dataDir: directory.Path).StartAsync();
        var scheduler = await SchedulerAsync(factory);
        for (var i = 0; i < 100 && await scheduler.GetTrigger(Api.Composition.Jobs.TriggerOf(TagSyncJob.Key)) is not null; i++)
        {
            await Task.Delay(20);   // DisabledJobTriggers runs as the host starts
        }

        Assert.That(await scheduler.GetTrigger(Api.Composition.Jobs.TriggerOf(TagSyncJob.Key)), Is.Null);
        Assert.That(await scheduler.GetTrigger(Api.Composition.Jobs.TriggerOf(TagRefreshJob.Key)), Is.Null);
        Assert.That(await scheduler.GetTrigger(Api.Composition.Jobs.TriggerOf(ActivityTypeSyncJob.Key)), Is.Null);
        Assert.That(await scheduler.GetJobDetail(TagSyncJob.Key), Is.Not.Null, "still runnable from the dashboard");
    }

    private static async Task<IScheduler> SchedulerAsync(ConnectorApiFactory factory)
    {
        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        Assert.That(scheduler.Status, Is.EqualTo(SchedulerStatus.Running));
        return scheduler;
    }

    private static async Task<JobRun> WaitForRunAsync(ConnectorApiFactory factory, string jobId)
    {
        var state = factory.Services.GetRequiredService<IDbContextFactory<ConnectorStateDbContext>>();
        for (var i = 0; i < 300; i++)
        {
            await using var db = await state.CreateDbContextAsync();
            var run = await db.JobRuns.AsNoTracking().Where(r => r.JobId == jobId && r.Outcome != JobRunOutcome.Running).FirstOrDefaultAsync();
            if (run is not null)
            {
                return run;
            }
            await Task.Delay(50);
        }
        throw new AssertionException($"{jobId} did not finish within 15 s");
    }
}
