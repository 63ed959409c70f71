using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Tests.Support;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace PatrawinConnector.Tests.ExternalHours;

/// <summary>The external hours sync against stand-ins of Kimai 2 and CiviCRM APIv4 that follow external-hours.md c and d.</summary>
public sealed class ExternalHoursSyncTests
{
    private readonly MutableTimeProvider _clock = new(new DateTimeOffset(2024, 5, 20, 8, 0, 0, TimeSpan.Zero));
    private DomainHarness _harness = null!;
    private KimaiStandIn _kimai = null!;
    private CiviCrmStandIn _civicrm = null!;
    private ExternalHoursOptions _options = null!;
    private ExternalHoursRig _rig = null!;

    [SetUp]
    public async Task Start()
    {
        _clock.Now = new DateTimeOffset(2024, 5, 20, 8, 0, 0, TimeSpan.Zero);   // one fixture instance serves every test
        _harness = await DomainHarness.StartAsync(clock: _clock);
        _kimai = new KimaiStandIn(() => _clock.GetUtcNow().UtcDateTime);
        _civicrm = new CiviCrmStandIn();
        _options = new ExternalHoursOptions
        {
            KimaiUrl = "https://kimai.test", KimaiApiToken = "token", CivicrmApi4Url = "https://crm.test/civicrm/ajax/api4", CivicrmApiKey = "civi-key",
            CivicrmTimeZone = "Europe/Berlin", FullReconcile = "DISABLED", ReconcileIntervalMinutes = 0, SyncFrom = "2024-01-01", RetryBaseMinutes = 5,
        };
        _rig = new ExternalHoursRig(_harness, _clock, _options, _civicrm,
            () => new KimaiV2Source(new KimaiClient(new HttpClient(_kimai, disposeHandler: false) { BaseAddress = new Uri("https://kimai.test/api/") }), MsOptions.Create(_options)));
        _kimai.Projects.Add(new() { ["id"] = 3, ["name"] = "Servers", ["customer"] = 1, ["parentTitle"] = "Acme" });
        _kimai.Projects.Add(new() { ["id"] = 4, ["name"] = "Website", ["customer"] = 2, ["parentTitle"] = "Globex" });
    }

    [TearDown]
    public async Task Stop()
    {
        _kimai.Dispose();
        _civicrm.Dispose();
        await _harness.DisposeAsync();
    }

    [Test]
    public async Task Run_FirstSync_MappedEntriesBecomeActivitiesUnmappedRememberedRunningSkipped()
    {
        await MapAsync(3, 202);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 3, "Quarterly <server> patching");
        _kimai.Put(5002, "2024-05-15T09:00:00+0200", "2024-05-15T09:30:00+0200", 1800, 4);
        _kimai.Put(5003, "2024-05-16T09:00:00+0200", null, 0, 3);

        var summary = await RunAsync();

        var activity = _civicrm.ActivityFor(5001);
        Assert.That(activity["activity_date_time"]!.GetValue<string>(), Is.EqualTo("2024-05-14 09:00:00"));
        Assert.That(activity["duration"]!.GetValue<int>(), Is.EqualTo(90));
        Assert.That(activity["details"]!.GetValue<string>(), Is.EqualTo("Quarterly &lt;server&gt; patching"));
        Assert.That(activity["source_contact_id"]!.GetValue<int>(), Is.EqualTo(202));
        Assert.That(activity["activity_type_id"]!.GetValue<int>(), Is.EqualTo(58));
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(1));
        Assert.That((summary.Created, summary.Unmapped, summary.Running), Is.EqualTo((1, 1, 1)));
        Assert.That((await EntryAsync(5002))!.State, Is.EqualTo(ExternalHoursEntryState.Unmapped));
    }

    [Test]
    public async Task Run_ManyNewEntries_IdempotencyLookUpsBatchedAHundredSubjectsAtATime()
    {
        await MapAsync(3, 202);
        for (var id = 1; id <= 250; id++)
        {
            _kimai.Put(id, "2024-05-14T09:00:00+0200", "2024-05-14T09:30:00+0200", 1800, 3);
        }
        _options.Concurrency = 1;                 // entries in id order: nothing else is in flight when #1 fails
        _civicrm.CrashNext = ("create", true);   // the first create's answer is lost: the run fails after storing activity #1

        Assert.That(RunAsync, Throws.InstanceOf<ExternalServiceException>());
        _civicrm.Lookups.Clear();
        _clock.Now += TimeSpan.FromMinutes(5);
        var summary = await RunAsync();

        Assert.That(_civicrm.Lookups, Is.EquivalentTo(new[] { 100, 100, 50 }), "the ledger knows no activity of any entry yet");
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(250));
        Assert.That((summary.Created, summary.Updated), Is.EqualTo((249, 1)), "the activity the lost answer made is adopted from the batch");
    }

    [Test]
    public async Task Run_FailsMidway_WhatWasAppliedIsInTheLedgerTheRestPendingAndTheNextRunFinishes()
    {
        await MapAsync(3, 202);
        for (var id = 1; id <= 10; id++)
        {
            _kimai.Put(id, "2024-05-14T09:00:00+0200", "2024-05-14T09:30:00+0200", 1800, 3);
        }
        _options.Concurrency = 1;
        _civicrm.UnreachableForSubject = "Kimai timesheet #6";

        Assert.That(RunAsync, Throws.InstanceOf<ExternalServiceException>());
        var states = await StatesAsync();
        _civicrm.UnreachableForSubject = null;
        _civicrm.Lookups.Clear();
        _clock.Now += TimeSpan.FromMinutes(5);
        var summary = await RunAsync();

        Assert.That(states, Is.EqualTo(Enumerable.Range(1, 10).Select(id => id <= 5 ? "Synced" : "Pending")));
        Assert.That(_civicrm.Lookups, Is.EqualTo(new[] { 5 }), "entries the ledger knows are not looked up again");
        Assert.That((summary.Created, summary.Unchanged), Is.EqualTo((5, 5)));
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(10));
    }

    [Test]
    public async Task Run_NothingChanged_NoWritesAtAll()
    {
        await MapAsync(3, 202);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 3);
        await RunAsync();
        _civicrm.Writes.Clear();
        _clock.Now += TimeSpan.FromMinutes(5);

        var summary = await RunAsync();

        Assert.That(_civicrm.Writes, Is.Empty);
        Assert.That(summary.Unchanged, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task Run_EntryEdited_ActivityUpdated()
    {
        await MapAsync(3, 202);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 3);
        await RunAsync();
        _clock.Now += TimeSpan.FromMinutes(5);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T11:00:00+0200", 7200, 3, "longer");

        var summary = await RunAsync();

        Assert.That(summary.Updated, Is.EqualTo(1));
        Assert.That(_civicrm.ActivityFor(5001)["duration"]!.GetValue<int>(), Is.EqualTo(120));
    }

    [Test]
    public async Task Run_EntryMovedToUnmappedProject_ActivityDeleted()
    {
        await MapAsync(3, 202);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 3);
        await RunAsync();
        _clock.Now += TimeSpan.FromMinutes(5);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 4);

        await RunAsync();

        Assert.That(_civicrm.Activities, Is.Empty);
        Assert.That((await EntryAsync(5001))!.State, Is.EqualTo(ExternalHoursEntryState.Unmapped));
    }

    [Test]
    public async Task Run_MappingAddedLater_UnmappedEntriesBackfilled()
    {
        _kimai.Put(5002, "2024-05-15T09:00:00+0200", "2024-05-15T09:30:00+0200", 1800, 4);
        await RunAsync();
        await WithoutReconciliationPastTheOverlapAsync();   // only the back-fill can bring the entry back
        await MapAsync(4, 203);

        await RunAsync();

        Assert.That(_civicrm.ActivityFor(5002)["source_contact_id"]!.GetValue<int>(), Is.EqualTo(203));
    }

    [Test]
    public async Task Run_MappingRepointed_ActivitiesMoveToTheNewOrganisation()
    {
        await MapAsync(3, 202);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 3);
        await RunAsync();
        await WithoutReconciliationPastTheOverlapAsync();
        await MapAsync(3, 203);

        await RunAsync();

        var activity = _civicrm.ActivityFor(5001);
        Assert.That(activity["source_contact_id"]!.GetValue<int>(), Is.EqualTo(203));
        Assert.That(activity["target_contact_id"]![0]!.GetValue<int>(), Is.EqualTo(203));
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Run_UnmappedEntryBeforeSyncFromMappedLater_BecomesAnActivity()
    {
        await RunAsync();   // the cursor is set: from here on the fetch is by modification time
        _clock.Now += TimeSpan.FromMinutes(5);
        _kimai.Put(4001, "2023-11-14T09:00:00+0100", "2023-11-14T10:00:00+0100", 3600, 4);   // an entry of 2023 edited today
        await RunAsync();
        var recorded = (await EntryAsync(4001))!.State;
        await WithoutReconciliationPastTheOverlapAsync();
        await MapAsync(4, 203);

        await RunAsync();

        Assert.That(recorded, Is.EqualTo(ExternalHoursEntryState.Unmapped));
        Assert.That(_civicrm.ActivityFor(4001)["source_contact_id"]!.GetValue<int>(), Is.EqualTo(203), "the back-fill from SYNC_FROM cannot see it: the ledger's unmapped row is applied (e.6 Added)");
    }

    [Test]
    public async Task Run_MappingRepointed_ActivitiesOfEntriesBeforeSyncFromMoveToo()
    {
        await MapAsync(3, 202);
        await RunAsync();
        _clock.Now += TimeSpan.FromMinutes(5);
        _kimai.Put(4001, "2023-11-14T09:00:00+0100", "2023-11-14T10:00:00+0100", 3600, 3);   // an entry of 2023 edited today
        await RunAsync();
        await WithoutReconciliationPastTheOverlapAsync();
        await MapAsync(3, 203);

        await RunAsync();

        Assert.That(_civicrm.ActivityFor(4001)["source_contact_id"]!.GetValue<int>(), Is.EqualTo(203), "every ledger row of the project is re-applied (e.6 Re-pointed)");
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Mapping_NotAnOrganisation_Refused()
    {
        var problem = await MappingService().PutAsync(3, 999, CancellationToken.None);

        Assert.That(problem, Does.Contain("not an existing organisation"));
    }

    [Test]
    public async Task Run_EntryDeletedInKimai_ReconciliationDeletesItsActivity()
    {
        await MapAsync(3, 202);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 3);
        _kimai.Put(5004, "2024-05-14T11:00:00+0200", "2024-05-14T12:00:00+0200", 3600, 3);
        await RunAsync();
        _kimai.Delete(5001);
        _clock.Now += TimeSpan.FromMinutes(5);

        var summary = await RunAsync();

        Assert.That(summary.Deleted, Is.EqualTo(1));
        Assert.That(_civicrm.Activities.Values.Select(a => a["subject"]!.GetValue<string>()), Is.EqualTo(new[] { "Kimai timesheet #5004" }));
        Assert.That(await EntryAsync(5001), Is.Null);
    }

    [Test]
    public async Task Run_MostEntriesVanish_DeletionsWithheldWithAWarning()
    {
        await MapAsync(3, 202);
        for (var i = 0; i < 30; i++)
        {
            _kimai.Put(6000 + i, "2024-05-14T09:00:00+0200", "2024-05-14T09:30:00+0200", 1800, 3);
        }
        await RunAsync();
        for (var i = 0; i < 25; i++)
        {
            _kimai.Delete(6000 + i);
        }

        var summary = await RunAsync();

        Assert.That(summary.ToString(), Does.Contain("25 of 30 entries missing; deletions withheld"));
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(30));
    }

    [TestCase("create", false, TestName = "Run_CrashBeforeCreateReachesCiviCrm_NextRunCreatesOnce")]
    [TestCase("create", true, TestName = "Run_CreateAnswerLost_NextRunAdoptsTheActivityInsteadOfDuplicating")]
    [TestCase("update", false, TestName = "Run_CrashBeforeUpdateReachesCiviCrm_NextRunUpdates")]
    [TestCase("update", true, TestName = "Run_UpdateAnswerLost_NextRunUpdatesAgainNoDuplicate")]
    public async Task Run_CrashInsideApply_NextRunLeavesExactlyOneActivityWithTheLatestValues(string action, bool afterStoring)
    {
        await MapAsync(3, 202);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 3);
        if (action == "update")
        {
            await RunAsync();
            _clock.Now += TimeSpan.FromMinutes(5);
            _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T11:00:00+0200", 7200, 3);
        }
        _civicrm.CrashNext = (action, afterStoring);

        Assert.That(RunAsync, Throws.InstanceOf<ExternalServiceException>().With.Message.Contains("CiviCRM"));
        var cursorAfterCrash = (await SyncStateAsync())?.CursorUtc;
        _clock.Now += TimeSpan.FromMinutes(5);
        await RunAsync();

        Assert.That(_civicrm.Activities, Has.Count.EqualTo(1));
        Assert.That(_civicrm.ActivityFor(5001)["duration"]!.GetValue<int>(), Is.EqualTo(action == "update" ? 120 : 90));
        Assert.That((await EntryAsync(5001))!.State, Is.EqualTo(ExternalHoursEntryState.Synced));
        Assert.That(cursorAfterCrash, Is.EqualTo(action == "update" ? new DateTime(2024, 5, 20, 8, 0, 0) : null), "a failed run does not move the cursor");
    }

    [Test]
    public async Task Run_TwoTriggersOverlap_EachEntryBecomesExactlyOneActivity()
    {
        await MapAsync(3, 202);
        for (var id = 5001; id <= 5040; id++)
        {
            _kimai.Put(id, "2024-05-14T09:00:00+0200", "2024-05-14T10:00:00+0200", 3600, 3);
        }
        _civicrm.CreateLatency = TimeSpan.FromMilliseconds(30);   // both runs would look up each subject before either stores it

        var runs = await Task.WhenAll(Task.Run(RunAsync), Task.Run(RunAsync));

        Assert.That(_civicrm.Writes.Count(w => w.StartsWith("Activity.create", StringComparison.Ordinal)), Is.EqualTo(40));
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(40));
        Assert.That(runs.Select(r => (r.Skipped, r.Created)), Is.EquivalentTo(new[] { (false, 40), (true, 0) }), "the second trigger starts no second run");
        Assert.That(runs.Single(r => r.Skipped).ToString(), Is.EqualTo("skipped: another run was in progress"));
    }

    [Test]
    public async Task Run_OneEntryRefusedByCiviCrm_ParkedWithBackoffOthersSyncedCursorMoves()
    {
        await MapAsync(3, 202);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 3);
        _kimai.Put(5002, "2024-05-14T11:00:00+0200", "2024-05-14T12:00:00+0200", 3600, 3);
        _civicrm.RefuseSubject = "Kimai timesheet #5001";

        var summary = await RunAsync();
        var parked = await EntryAsync(5001);
        _civicrm.RefuseSubject = null;
        _options.ReconcileIntervalMinutes = 1_000_000;
        _clock.Now = new DateTimeOffset(parked!.NextAttemptAt!.Value, TimeSpan.Zero).AddSeconds(-1);   // in the overlap: fetched again
        await RunAsync();
        var beforeBackoff = _civicrm.Activities.Count;
        _clock.Now += TimeSpan.FromSeconds(2);
        await RunAsync();

        Assert.That(summary.Failed, Is.EquivalentTo(new[] { 5001 }));
        Assert.That(summary.ToString(), Does.Contain("Kimai entries 5001"));
        Assert.That((parked!.State, parked.Attempts, parked.NextAttemptAt), Is.EqualTo((ExternalHoursEntryState.Failed, 1, new DateTime(2024, 5, 20, 8, 5, 0))));
        Assert.That(parked.LastError, Does.Contain("constraint violation"));
        Assert.That(beforeBackoff, Is.EqualTo(1), "not retried before the back-off");
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(2), "retried after the back-off");
    }

    [Test]
    public async Task Run_CiviCrmDown_RunFailsAndTheCursorStays()
    {
        await MapAsync(3, 202);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 3);
        _civicrm.Down = true;

        Assert.That(RunAsync, Throws.InstanceOf<ExternalServiceException>().With.Message.Contains("CiviCRM"));
        Assert.That(await SyncStateAsync(), Is.Null);
    }

    [Test]
    public async Task Run_KimaiDown_RunFailsBeforeAnyWrite()
    {
        await MapAsync(3, 202);
        _kimai.Down = true;

        Assert.That(RunAsync, Throws.InstanceOf<ExternalServiceException>().With.Message.Contains("Kimai"));
        Assert.That(_civicrm.Writes, Is.Empty);
    }

    [Test]
    public async Task Run_MappingRemovedDuringARun_EntriesStayDetachedAndKeepTheirActivities()
    {
        await MapAsync(3, 202);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 3);
        _kimai.Put(5002, "2024-05-14T11:00:00+0200", "2024-05-14T12:00:00+0200", 3600, 3);
        await RunAsync();
        _clock.Now += TimeSpan.FromMinutes(5);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T11:00:00+0200", 7200, 3);
        _kimai.Put(5002, "2024-05-14T11:00:00+0200", "2024-05-14T12:30:00+0200", 5400, 3);
        _civicrm.BeforeNextWrite = async () => await MappingService().DeleteAsync(3, CancellationToken.None);

        await RunAsync();   // read the mapping before it went
        _clock.Now += TimeSpan.FromMinutes(5);
        await RunAsync();   // reconciles: the entries are unmapped now

        Assert.That(await StatesAsync(), Is.EqualTo(new[] { "Detached", "Detached" }));
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(2), "removing a mapping keeps its activities");
    }

    [Test]
    public async Task Run_MappingRepointedDuringARun_TheNextRunStillMovesTheActivities()
    {
        _civicrm.Organisations[204] = "Initech";
        await MapAsync(3, 202);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 3);
        await RunAsync();
        await WithoutReconciliationPastTheOverlapAsync();
        await MapAsync(3, 203);
        _civicrm.BeforeNextWrite = async () =>
        {
            _clock.Now += TimeSpan.FromSeconds(1);
            await MapAsync(3, 204);
        };

        await RunAsync();   // moves the activity to 203 while the mapping becomes 204
        var meanwhile = _civicrm.ActivityFor(5001)["source_contact_id"]!.GetValue<int>();
        _clock.Now += TimeSpan.FromMinutes(5);
        await RunAsync();

        Assert.That(meanwhile, Is.EqualTo(203));
        Assert.That(_civicrm.ActivityFor(5001)["source_contact_id"]!.GetValue<int>(), Is.EqualTo(204));
    }

    [Test]
    public async Task Mapping_RemovedThenAddedAgain_DetachedEntriesMoveToTheNewOrganisation()
    {
        await MapAsync(3, 202);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 3);
        await RunAsync();
        await MappingService().DeleteAsync(3, CancellationToken.None);
        _clock.Now += TimeSpan.FromMinutes(5);
        await RunAsync();
        await MapAsync(3, 203);
        _clock.Now += TimeSpan.FromMinutes(5);

        await RunAsync();

        Assert.That(_civicrm.ActivityFor(5001)["source_contact_id"]!.GetValue<int>(), Is.EqualTo(203));
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(1));
        Assert.That((await EntryAsync(5001))!.State, Is.EqualTo(ExternalHoursEntryState.Synced));
    }

    [TestCase(true, TestName = "Run_CreateAnswerLostThenEntryDeleted_TheActivityItMadeIsDeleted")]
    [TestCase(false, TestName = "Run_CreateAnswerLostThenEntryMovedToAnUnmappedProject_TheActivityItMadeIsDeleted")]
    public async Task Run_CreateAnswerLostThenEntryGone_NoOrphanActivity(bool deleted)
    {
        await MapAsync(3, 202);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 3);
        _civicrm.CrashNext = ("create", true);
        Assert.That(RunAsync, Throws.InstanceOf<ExternalServiceException>());
        if (deleted)
        {
            _kimai.Delete(5001);
        }
        else
        {
            _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 4);
        }
        _clock.Now += TimeSpan.FromMinutes(5);

        await RunAsync();

        Assert.That(_civicrm.Activities, Is.Empty);
        Assert.That((await EntryAsync(5001))?.State, Is.EqualTo(deleted ? null : ExternalHoursEntryState.Unmapped));
    }

    [Test]
    public async Task Run_AdoptedActivityRemovedBeforeItsUpdate_CreatedAgain()
    {
        await MapAsync(3, 202);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 3);
        _civicrm.CrashNext = ("create", true);
        Assert.That(RunAsync, Throws.InstanceOf<ExternalServiceException>());
        var lost = _civicrm.Activities.Keys.Single();
        _civicrm.BeforeNextWrite = () =>
        {
            _civicrm.Remove(lost);   // an administrator deletes it between the look-up and the update
            return Task.CompletedTask;
        };
        _clock.Now += TimeSpan.FromMinutes(5);

        await RunAsync();

        var recreated = _civicrm.Activities.Keys.Single();
        Assert.That(recreated, Is.Not.EqualTo(lost));
        Assert.That((await EntryAsync(5001))!.CivicrmActivityId, Is.EqualTo(recreated));
    }

    [Test]
    public async Task Run_DeletionRefusedByCiviCrm_ParkedRunSucceedsDeletedLater()
    {
        await MapAsync(3, 202);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 3);
        _kimai.Put(5002, "2024-05-14T11:00:00+0200", "2024-05-14T12:00:00+0200", 3600, 3);
        await RunAsync();
        _kimai.Delete(5001);
        _civicrm.RefuseDeleteOf = (await EntryAsync(5001))!.CivicrmActivityId;
        _clock.Now += TimeSpan.FromMinutes(5);

        var summary = await RunAsync();
        var parked = await EntryAsync(5001);
        var cursor = (await SyncStateAsync())!.CursorUtc;
        _civicrm.RefuseDeleteOf = null;
        await WithoutReconciliationPastTheOverlapAsync();
        _clock.Now += TimeSpan.FromMinutes(10);
        await RunAsync();

        Assert.That(summary.Failed, Is.EquivalentTo(new[] { 5001 }));
        Assert.That((parked!.State, parked.LastError), Is.EqualTo((ExternalHoursEntryState.Failed, "CiviCRM: Activity/delete failed (500): DB Error: deadlock found")));
        Assert.That(cursor, Is.EqualTo(new DateTime(2024, 5, 20, 8, 5, 0)), "the cursor moved past the parked entry");
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(1), "the retry deleted it");
        Assert.That(await EntryAsync(5001), Is.Null);
    }

    [Test]
    public async Task Run_KimaiForbidsAParkedEntry_ParkedAgainOthersGoOn()
    {
        await MapAsync(3, 202);
        _kimai.Put(5001, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 5400, 3);
        _civicrm.RefuseSubject = "Kimai timesheet #5001";
        await RunAsync();
        await WithoutReconciliationPastTheOverlapAsync();   // parked again
        _civicrm.RefuseSubject = null;
        _kimai.Forbidden.Add(5001);
        _kimai.Put(5002, "2024-05-14T11:00:00+0200", "2024-05-14T12:00:00+0200", 3600, 3);
        _clock.Now += TimeSpan.FromHours(1);

        var summary = await RunAsync();

        Assert.That(summary.Failed, Is.EquivalentTo(new[] { 5001 }));
        Assert.That(summary.Created, Is.EqualTo(1));
        var parked = await EntryAsync(5001);
        Assert.That((parked!.Attempts, parked.LastError), Is.EqualTo((3, "Kimai: access denied (403) to timesheets/5001: {\"code\": 403, \"message\": \"Access denied.\"}")));
    }

    [TestCase("2024-03-31 02:30", "2024-03-31 01:00", TestName = "LocalToUtc_InTheSkippedSpringHour_TheFirstTimeAfterIt")]
    [TestCase("2024-10-27 02:30", "2024-10-27 01:30", TestName = "LocalToUtc_AmbiguousAutumnHour_StandardTime")]
    [TestCase("2024-05-14 03:00", "2024-05-14 01:00", TestName = "LocalToUtc_Summer_TwoHoursAhead")]
    public void LocalToUtc_BerlinWallClock(string local, string utc) =>
        Assert.That(ExternalHoursSyncService.LocalToUtc(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")),
            Is.EqualTo(DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));

    [Test]
    public async Task Run_FullReconcileTimeInTheSkippedHour_RunsThatDayInsteadOfFailing()
    {
        _options.FullReconcile = "02:30";
        _clock.Now = new DateTimeOffset(2024, 3, 31, 8, 0, 0, TimeSpan.Zero);

        var summary = await RunAsync();

        Assert.That(summary.Fetched, Is.Zero);
        Assert.That((await SyncStateAsync())!.LastFullReconcileAt, Is.EqualTo(new DateTime(2024, 3, 31, 8, 0, 0)));
    }

    [Test]
    public async Task Run_SyncFromIsADayInTheKimaiUsersZone()
    {
        await MapAsync(3, 202);
        _kimai.Put(5001, "2024-01-01T00:30:00+0100", "2024-01-01T01:30:00+0100", 3600, 3);   // half past midnight in Berlin, 23:30 UTC the day before
        _options.ReconcileIntervalMinutes = 1_000_000;
        _options.ReconcileDays = 1;

        await RunAsync();

        Assert.That(_civicrm.Activities, Has.Count.EqualTo(1));
    }

    /// <summary>From here on only the incremental fetch, due retries and back-fills bring entries back: a run moves the cursor past the overlap.</summary>
    private async Task WithoutReconciliationPastTheOverlapAsync()
    {
        _options.ReconcileIntervalMinutes = 1_000_000;
        _clock.Now += TimeSpan.FromMinutes(_options.OverlapMinutes + 1);
        await RunAsync();
    }

    private ExternalHoursMappingService MappingService() => _rig.MappingService();

    private Task MapAsync(int project, int contact) => _rig.MapAsync(project, contact);

    private Task<ExternalHoursRunSummary> RunAsync() => _rig.RunAsync();

    private Task<ExternalHoursEntry?> EntryAsync(int id) => _rig.EntryAsync(id);

    private Task<List<string>> StatesAsync() => _rig.StatesAsync();

    private Task<ExternalHoursSyncState?> SyncStateAsync() => _rig.SyncStateAsync();
}
