using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.DependencyInjection;
using PatrawinConnector.Api.Composition;
using PatrawinConnector.Api.Jobs;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Jobs;

/// <summary>The real scheduler: Hangfire with its SQLite store in DATA_DIR, the jobs of the contract, their last runs.</summary>
public sealed class JobSchedulingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Test]
    public async Task Start_Default_FourRecurringJobsThreeIntervalsInThePersistentStore()
    {
        using var factory = await new ConnectorApiFactory(new() { ["TAG_SYNC_SLOW_LOOP_INTERVAL_MIN"] = "7" }, withScheduler: true).StartAsync();
        var schedules = factory.Services.GetRequiredService<JobSchedules>();

        var intervals = new[] { TagSyncJob.Id, TagRefreshJob.Id, ActivityTypeSyncJob.Id, ExternalHoursSyncJob.Id }
            .ToDictionary(id => id, id => schedules.Get(id).IntervalMinutes);

        Assert.That(intervals, Is.EqualTo(new Dictionary<string, int?>
        {
            ["tag-sync"] = 1, ["tag-refresh"] = 7, ["activity-type-sync"] = 5, ["external-hours-sync"] = null,
        }));
        Assert.That(RecurringJobs(factory).Select(r => r.Id), Is.EquivalentTo(new[] { "tag-sync", "tag-refresh", "activity-type-sync", "external-hours-sync" }),
            "every job is a Hangfire recurring job, the switched-off one too (so that run now works)");
        Assert.That(factory.Services.GetRequiredService<JobStorage>(), Is.InstanceOf<SQLiteStorage>());
        Assert.That(File.Exists(Path.Combine(factory.DataDir, "hangfire.db")), Is.True);
    }

    [Test]
    public async Task Start_Default_FirstRunsStaggeredTagRefreshHalfAMinuteAfterTagSync()
    {
        var before = DateTime.UtcNow;
        using var factory = await new ConnectorApiFactory(withScheduler: true).StartAsync();
        var schedules = factory.Services.GetRequiredService<JobSchedules>();

        var tagSync = schedules.Get(TagSyncJob.Id).NextRunAt!.Value;
        var tagRefresh = schedules.Get(TagRefreshJob.Id).NextRunAt!.Value;
        var seconds = JobCatalog.All.Select(j => schedules.Get(j.Id).NextRunAt).OfType<DateTime>()
            .Select(at => Math.Round((at - tagSync).TotalSeconds) % 60).ToList();

        Assert.That(tagSync - before, Is.GreaterThan(TimeSpan.FromSeconds(10)).And.LessThan(TimeSpan.FromSeconds(20)), "about 15 s after start");
        Assert.That(tagRefresh - tagSync, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(seconds, Is.Unique, "with whole-minute intervals no two jobs ever start in the same second");
    }

    [Test]
    public async Task TriggerJob_TagSync_RunsOnceAndRecordsItsSummary()
    {
        using var factory = await new ConnectorApiFactory(withScheduler: true).StartAsync();

        var jobId = Manager(factory).TriggerJob(TagSyncJob.Id);
        var run = await WaitForRunAsync(factory, TagSyncJob.Id);

        Assert.That(run.Outcome, Is.EqualTo(JobRunRecord.Succeeded));
        Assert.That(run.Message, Is.EqualTo("19 upserted, 0 deleted, 0 skipped in 2 batches"));
        Assert.That(run.BackgroundJobId, Is.EqualTo(jobId));
        Assert.That(factory.WiseTime.UpsertedNames.Count(), Is.EqualTo(19));
        Assert.That(await WaitForStateAsync(factory, jobId!, SucceededState.StateName), Is.EqualTo(SucceededState.StateName));
    }

    [Test]
    public async Task TriggerJob_WiseTimeDown_FailedOnceWithReasonAndStackNotRetried()
    {
        using var factory = await new ConnectorApiFactory(withScheduler: true).StartAsync();
        factory.WiseTime.FailWith = new WiseTimeApiException(WiseTimeErrorCategory.Transient, "WiseTime answered 503 to tag/batch: down for maintenance");

        var jobId = Manager(factory).TriggerJob(TagSyncJob.Id)!;
        var run = await WaitForRunAsync(factory, TagSyncJob.Id);
        var state = await WaitForStateAsync(factory, jobId, FailedState.StateName);

        Assert.That(run.Outcome, Is.EqualTo(JobRunRecord.Failed));
        Assert.That(run.Message, Does.Contain("down for maintenance"));
        Assert.That(run.Error, Does.Contain("WiseTimeApiException"));
        Assert.That(state, Is.EqualTo(FailedState.StateName), "no automatic retry: the failure stays failed, the next scheduled run is the retry");
        var details = factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(jobId);
        Assert.That(details.History.Select(h => h.StateName), Has.No.Member(ScheduledState.StateName));
        Assert.That(details.History[0].Data["ExceptionDetails"], Does.Contain("WiseTimeApiException").And.Contain(" at "), "Hangfire shows the stack");
    }

    [Test]
    public async Task TriggerJob_WhileARunIsInProgress_SecondSkippedNotQueuedNotFailed()
    {
        using var factory = await new ConnectorApiFactory(withScheduler: true).StartAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        factory.WiseTime.BeforeCall = async _ =>
        {
            started.TrySetResult();
            await release.Task;
        };
        var manager = Manager(factory);
        var first = manager.TriggerJob(TagSyncJob.Id)!;
        await started.Task.WaitAsync(Patience);

        var second = manager.TriggerJob(TagSyncJob.Id)!;
        var third = manager.TriggerJob(TagSyncJob.Id)!;
        var skipped = new[] { await WaitForStateAsync(factory, second, DeletedState.StateName), await WaitForStateAsync(factory, third, DeletedState.StateName) };
        release.SetResult();
        var firstState = await WaitForStateAsync(factory, first, SucceededState.StateName);

        Assert.That(skipped, Is.All.EqualTo(DeletedState.StateName), "skipped at once, not waiting behind the running one");
        Assert.That(firstState, Is.EqualTo(SucceededState.StateName));
        Assert.That(factory.WiseTime.UpsertedNames.Count(), Is.EqualTo(19), "one run's upserts, not three");
        Assert.That((await WaitForRunAsync(factory, TagSyncJob.Id)).BackgroundJobId, Is.EqualTo(first));
        Assert.That(factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedCount("default"), Is.Zero, "nothing piled up");
    }

    [Test]
    public async Task TriggerJob_TagSyncRunning_TagRefreshStillRuns()
    {
        using var factory = await new ConnectorApiFactory(withScheduler: true).StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tagSyncStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        factory.WiseTime.BeforeCall = async operation =>
        {
            if (operation == "tag/batch" && !tagSyncStarted.Task.IsCompleted)
            {
                tagSyncStarted.TrySetResult();
                await release.Task;
            }
        };
        var manager = Manager(factory);
        manager.TriggerJob(TagSyncJob.Id);
        await tagSyncStarted.Task.WaitAsync(Patience);

        manager.TriggerJob(ActivityTypeSyncJob.Id);
        var other = await WaitForRunAsync(factory, ActivityTypeSyncJob.Id);
        release.SetResult();

        Assert.That(other.Outcome, Is.EqualTo(JobRunRecord.Succeeded), "one job's run never holds up another job");
    }

    [Test]
    public async Task Shutdown_DuringARun_TokenFiresRunStopsBetweenBatches()
    {
        using var directory = new TempDirectory();
        // Batches of 2: each kind has several, so that a run which went on would send more than can be in flight.
        var factory = await new ConnectorApiFactory(new() { ["TAG_UPSERT_BATCH_SIZE"] = "2" }, withScheduler: true, dataDir: directory.Path).StartAsync();
        var needed = ((await factory.Patrawin.ExpectedNewCasesAsync()).Count + 1) / 2 + ((await factory.Patrawin.ExpectedNewClientsAsync()).Count + 1) / 2;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        factory.WiseTime.BeforeCall = async _ =>
        {
            started.TrySetResult();
            await release.Task;
        };
        Manager(factory).TriggerJob(TagSyncJob.Id);
        await started.Task.WaitAsync(Patience);
        var lifetime = factory.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();

        lifetime.StopApplication();
        await Task.Delay(TimeSpan.FromSeconds(1));   // lets the stop reach the worker, whose batches are still waiting
        var inFlight = factory.WiseTime.Calls.Count(c => c == "tag/batch");
        release.SetResult();
        factory.Dispose();   // waits for the graceful stop
        var batches = factory.WiseTime.UpsertedBatches.Count;
        var sent = factory.WiseTime.Calls.Count(c => c == "tag/batch");
        using var after = await new ConnectorApiFactory(dataDir: directory.Path).StartAsync();   // no scheduler: nothing runs again yet
        var run = after.Services.GetRequiredService<JobRunJournal>().Last(TagSyncJob.Id);

        Assert.That(run!.Outcome, Is.EqualTo(JobRunRecord.Failed));
        Assert.That(run.Message, Does.Contain("Stopped by shutdown"));
        Assert.That((batches, sent), Is.EqualTo((inFlight, inFlight)), "the batches in flight finished, no next one started");
        Assert.That(inFlight, Is.InRange(1, 4), "at most TAG_UPSERT_CONCURRENCY batches were in flight");
        Assert.That(needed, Is.GreaterThan(4), "the run had more to send than can be in flight");
    }

    [Test]
    public async Task Restart_TagScanSwitchedOff_SchedulesRemovedRecurringJobsKept()
    {
        using var directory = new TempDirectory();
        using (var before = await new ConnectorApiFactory(withScheduler: true, dataDir: directory.Path).StartAsync())
        {
            Assert.That(before.Services.GetRequiredService<JobSchedules>().Get(TagSyncJob.Id).IntervalMinutes, Is.EqualTo(1));
        }

        using var factory = await new ConnectorApiFactory(new() { ["TAG_SCAN"] = "DISABLED", ["ACTIVITY_TYPE_SCAN"] = "disabled" },
            withScheduler: true, dataDir: directory.Path).StartAsync();
        var schedules = factory.Services.GetRequiredService<JobSchedules>();

        Assert.That(new[] { TagSyncJob.Id, TagRefreshJob.Id, ActivityTypeSyncJob.Id }.Select(id => schedules.Get(id).NextRunAt), Is.All.Null);
        Assert.That(RecurringJobs(factory).Select(r => r.Id), Does.Contain(TagSyncJob.Id), "still runnable from the dashboard");
        Assert.That(factory.Logs.Entries, Has.Some.Contains("Job tag-sync is switched off"));
    }

    [Test]
    public async Task Schedule_DueNow_IntervalSchedulerTriggersOnceAndMovesToTheNextSlot()
    {
        using var factory = await new ConnectorApiFactory(withScheduler: true).StartAsync();
        var schedules = factory.Services.GetRequiredService<JobSchedules>();
        var due = DateTime.UtcNow;

        schedules.Schedule(ActivityTypeSyncJob.Id, 5, due);
        var run = await WaitForRunAsync(factory, ActivityTypeSyncJob.Id);

        Assert.That(run.Outcome, Is.EqualTo(JobRunRecord.Succeeded));
        Assert.That(schedules.Get(ActivityTypeSyncJob.Id).NextRunAt, Is.EqualTo(due.AddMinutes(5)).Within(TimeSpan.FromMilliseconds(1)));
    }

    [Test]
    public async Task Schedule_DueWhilePaused_SlotPassesWithoutARun()
    {
        using var factory = await new ConnectorApiFactory(withScheduler: true).StartAsync();
        var schedules = factory.Services.GetRequiredService<JobSchedules>();
        var due = DateTime.UtcNow;

        schedules.SetPaused(ActivityTypeSyncJob.Id, paused: true);
        schedules.Schedule(ActivityTypeSyncJob.Id, 5, due);
        var next = await WaitForAsync(() => schedules.Get(ActivityTypeSyncJob.Id).NextRunAt is { } at && at > due ? at : (DateTime?)null);

        Assert.That(next, Is.EqualTo(due.AddMinutes(5)).Within(TimeSpan.FromMilliseconds(1)));
        Assert.That(factory.Services.GetRequiredService<JobRunJournal>().Last(ActivityTypeSyncJob.Id), Is.Null);
        Assert.That(factory.WiseTime.ActivityTypeBatches, Is.Empty);
    }

    [TestCase("2026-12-03T10:00:00", "2026-12-03T10:00:00.5", "2026-12-03T10:07:00")]
    [TestCase("2026-12-03T10:00:00", "2026-12-03T10:22:00", "2026-12-03T10:28:00")]
    [TestCase("2026-12-03T10:00:00", "2026-12-03T10:07:00", "2026-12-03T10:14:00")]
    public void NextAfter_MissedSlots_SkippedToTheFirstFutureSlot(string due, string now, string expected) =>
        Assert.That(JobSchedules.NextAfter(DateTime.Parse(due, System.Globalization.CultureInfo.InvariantCulture), 7,
                DateTime.Parse(now, System.Globalization.CultureInfo.InvariantCulture)),
            Is.EqualTo(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));

    [Test]
    public async Task Start_SecondProcessOnTheSameDataDir_RefusedWithAClearError()
    {
        using var directory = new TempDirectory();
        using var first = await new ConnectorApiFactory(withScheduler: true, dataDir: directory.Path).StartAsync();

        // What a second connector's start-up does first (Program prints the message and exits with 2; scripts/soak-jobs.sh runs the real process).
        var refused = Assert.Throws<ConnectorConfigurationException>(() => DataDirLock.Acquire(directory.Path).Dispose());

        Assert.That(refused!.Message, Does.Contain($"DATA_DIR {directory.Path} is in use by another connector process"));
        Assert.That(first.Services.GetRequiredService<JobSchedules>().Get(TagSyncJob.Id).IntervalMinutes, Is.EqualTo(1), "the first one is unaffected");
    }

    private static IRecurringJobManagerV2 Manager(ConnectorApiFactory factory) => factory.Services.GetRequiredService<IRecurringJobManagerV2>();

    private static List<RecurringJobDto> RecurringJobs(ConnectorApiFactory factory)
    {
        using var connection = factory.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs();
    }

    private static Task<JobRunRecord> WaitForRunAsync(ConnectorApiFactory factory, string jobId)
    {
        var journal = factory.Services.GetRequiredService<JobRunJournal>();
        return WaitForAsync(() => journal.Last(jobId) is { Outcome: not JobRunRecord.Running } run ? run : null);
    }

    private static Task<string> WaitForStateAsync(ConnectorApiFactory factory, string backgroundJobId, string state)
    {
        var monitoring = factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        return WaitForAsync(() => monitoring.JobDetails(backgroundJobId)?.History.FirstOrDefault()?.StateName is { } now && now == state ? now : null);
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } value)
            {
                return value;
            }
            await Task.Delay(50);
        }
        throw new AssertionException($"the condition was not met within {Patience.TotalSeconds} s");
    }
}
