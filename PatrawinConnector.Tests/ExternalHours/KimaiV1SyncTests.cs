using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Tests.Support;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace PatrawinConnector.Tests.ExternalHours;

/// <summary>
/// The external hours sync with Kimai 1 as its source: the real JSON-RPC client against a stand-in of Kimai 1 with
/// kimai1_civicrm that follows external-hours.md b (its queue's gaps included), and the CiviCRM stand-in.
/// </summary>
public sealed class KimaiV1SyncTests
{
    private readonly MutableTimeProvider _clock = new(new DateTimeOffset(2024, 5, 20, 8, 0, 0, TimeSpan.Zero));
    private DomainHarness _harness = null!;
    private KimaiV1StandIn _kimai = null!;
    private CiviCrmStandIn _civicrm = null!;
    private ExternalHoursOptions _options = null!;
    private ExternalHoursRig _rig = null!;
    private StandInServer? _server;
    private SocketsHttpHandler? _socket;

    [SetUp]
    public async Task Start()
    {
        _clock.Now = new DateTimeOffset(2024, 5, 20, 8, 0, 0, TimeSpan.Zero);
        _harness = await DomainHarness.StartAsync(clock: _clock);
        _kimai = new KimaiV1StandIn(() => _clock.GetUtcNow().UtcDateTime);
        _civicrm = new CiviCrmStandIn();
        _options = new ExternalHoursOptions
        {
            KimaiApiVersion = 1, KimaiUrl = "https://kimai1.test", KimaiApiKey = KimaiV1StandIn.ApiKey,
            CivicrmApi4Url = "https://crm.test/civicrm/ajax/api4", CivicrmApiKey = "civi-key",
            CivicrmTimeZone = "Europe/Berlin", FullReconcile = "DISABLED", ReconcileIntervalMinutes = 1_000_000, SyncFrom = "2024-01-01", RetryBaseMinutes = 5,
        };
        _rig = Rig(_kimai, new Uri("https://kimai1.test/core/"));
        _kimai.Projects.Add(new() { ["projectID"] = "3", ["name"] = "Servers", ["customerID"] = "1", ["customerName"] = "Acme" });
        _kimai.Projects.Add(new() { ["projectID"] = "4", ["name"] = "Website", ["customerID"] = "2", ["customerName"] = "Globex" });
    }

    [TearDown]
    public async Task Stop()
    {
        _socket?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        _kimai.Dispose();
        _civicrm.Dispose();
        await _harness.DisposeAsync();
    }

    [Test]
    public async Task Run_FirstSync_PrimesTheQueueAndTheWholeHistoryArrivesEveryMessageConfirmed()
    {
        await _rig.MapAsync(3, 202);
        _kimai.Insert(1201, "2021-02-01T13:00:00+0100", "2021-02-01T14:30:00+0100", 3, "Fixed <mail> relay", "ignored: there is a comment");
        _kimai.Insert(1202, "2024-05-15T09:00:00+0200", "2024-05-15T09:30:00+0200", 4);
        _kimai.Insert(1203, "2024-05-16T09:00:00+0200", null, 3);

        var summary = await _rig.RunAsync();

        Assert.That(_kimai.Primed, Is.True);
        var activity = _civicrm.ActivityFor(1201);
        Assert.That(activity["activity_date_time"]!.GetValue<string>(), Is.EqualTo("2021-02-01 13:00:00"));
        Assert.That(activity["duration"]!.GetValue<int>(), Is.EqualTo(90));
        Assert.That(activity["details"]!.GetValue<string>(), Is.EqualTo("Fixed &lt;mail&gt; relay"));
        Assert.That(activity["source_contact_id"]!.GetValue<int>(), Is.EqualTo(202));
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(1));
        Assert.That((summary.Created, summary.Unmapped, summary.Running), Is.EqualTo((1, 1, 1)));
        Assert.That((await _rig.EntryAsync(1202))!.State, Is.EqualTo(ExternalHoursEntryState.Unmapped));
        Assert.That(_kimai.Unconfirmed, Is.Zero, "unmapped and running entries are recorded and confirmed too");
    }

    [Test]
    public async Task Run_ManyMessages_ReadPageByPageAndEachConfirmed()
    {
        await _rig.MapAsync(3, 202);
        for (var id = 1; id <= 25; id++)
        {
            _kimai.Insert(id, "2024-05-14T09:00:00+0200", "2024-05-14T09:30:00+0200", 3);
        }
        _options.PageSize = 10;

        var summary = await _rig.RunAsync();

        Assert.That(summary.Created, Is.EqualTo(25));
        Assert.That(_kimai.Calls.Count(c => c == "getUpdates"), Is.EqualTo(4), "three pages of ten, then an empty answer");
        Assert.That(_kimai.Calls.Count(c => c == "confirmQueueMessage"), Is.EqualTo(25));
        Assert.That(_kimai.Unconfirmed, Is.Zero);
    }

    [Test]
    public async Task Run_EntryEdited_ActivityUpdated()
    {
        await _rig.MapAsync(3, 202);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3, "first");
        await _rig.RunAsync();
        _clock.Now += TimeSpan.FromMinutes(5);
        _kimai.Edit(1201, r => r with { Comment = "longer", Duration = 7200 });

        var summary = await _rig.RunAsync();

        var activity = _civicrm.ActivityFor(1201);
        Assert.That((activity["details"]!.GetValue<string>(), activity["duration"]!.GetValue<int>()), Is.EqualTo(("longer", 120)));
        Assert.That(summary.Updated, Is.EqualTo(1));
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Run_StaleAndFreshMessagesOfOneEntryInOneBatch_TheFreshOneWinsBothConfirmed()
    {
        await _rig.MapAsync(3, 202);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3, "first");
        await _rig.RunAsync();
        _civicrm.CrashNext = ("update", false);   // the next run reads a message, then fails: it stays queued
        _clock.Now += TimeSpan.FromMinutes(1);
        _kimai.Edit(1201, r => r with { Comment = "older" });
        Assert.That(_rig.RunAsync, Throws.InstanceOf<ExternalServiceException>());
        _clock.Now += TimeSpan.FromMinutes(1);
        _kimai.Edit(1201, r => r with { Comment = "newer" });

        await _rig.RunAsync();

        Assert.That(_civicrm.ActivityFor(1201)["details"]!.GetValue<string>(), Is.EqualTo("newer"), "applied newest first, the older copy is not applied after it (g.2)");
        Assert.That(_kimai.Unconfirmed, Is.Zero);
    }

    [Test]
    public async Task Run_EntryDeletedWhileTheRunGoesOn_TheLaterDeleteIsNotConfirmedUnappliedTheNextRunDeletes()
    {
        await _rig.MapAsync(3, 202);
        await _rig.RunAsync();   // primed, reconciled once: from here on only the queue speaks
        _clock.Now += TimeSpan.FromMinutes(1);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3);
        _kimai.Edit(1201, r => r);
        _civicrm.BeforeNextWrite = () =>
        {
            _clock.Now += TimeSpan.FromSeconds(1);
            _kimai.Delete(1201);   // deleted in Kimai while its create is on the way
            return Task.CompletedTask;
        };
        await _rig.RunAsync();
        var afterTheRun = (_civicrm.Activities.Count, _kimai.Unconfirmed);
        _clock.Now += TimeSpan.FromMinutes(5);

        await _rig.RunAsync();

        Assert.That(afterTheRun, Is.EqualTo((1, 1)), "the delete was queued after the update this run applied: it waits");
        Assert.That(_civicrm.Activities, Is.Empty);
        Assert.That(_kimai.Unconfirmed, Is.Zero);
    }

    [Test]
    public async Task Run_EntryMovedToAnotherMappedProject_ItsActivityMovesToThatOrganisation()
    {
        await _rig.MapAsync(3, 202);
        await _rig.MapAsync(4, 203);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3);
        await _rig.RunAsync();
        var before = _civicrm.Activities.Keys.Single();
        _clock.Now += TimeSpan.FromMinutes(5);
        _kimai.Edit(1201, r => r with { Project = 4 });

        await _rig.RunAsync();

        Assert.That(_civicrm.Activities.Keys.Single(), Is.EqualTo(before), "updated, not deleted and created again");
        Assert.That(_civicrm.ActivityFor(1201)["target_contact_id"]![0]!.GetValue<int>(), Is.EqualTo(203));
    }

    [Test]
    public async Task Run_EntryMovedToUnmappedProject_ActivityDeletedMessageConfirmed()
    {
        await _rig.MapAsync(3, 202);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3);
        await _rig.RunAsync();
        _clock.Now += TimeSpan.FromMinutes(5);
        _kimai.Edit(1201, r => r with { Project = 4 });

        await _rig.RunAsync();

        Assert.That(_civicrm.Activities, Is.Empty);
        Assert.That((await _rig.EntryAsync(1201))!.State, Is.EqualTo(ExternalHoursEntryState.Unmapped));
        Assert.That(_kimai.Unconfirmed, Is.Zero, "an unmapped message does not starve the queue (g.3)");
    }

    [Test]
    public async Task Run_EntryDeletedInKimai_TheDeleteMessageDeletesItsActivity()
    {
        await _rig.MapAsync(3, 202);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3);
        _kimai.Insert(1202, "2024-05-14T11:00:00+0200", "2024-05-14T12:00:00+0200", 3);
        await _rig.RunAsync();
        _clock.Now += TimeSpan.FromMinutes(5);
        _kimai.Delete(1201);

        var summary = await _rig.RunAsync();

        Assert.That(summary.Deleted, Is.EqualTo(1));
        Assert.That(_civicrm.Activities.Values.Select(a => a["subject"]!.GetValue<string>()), Is.EqualTo(new[] { "Kimai timesheet #1202" }));
        Assert.That(await _rig.EntryAsync(1201), Is.Null);
        Assert.That(_kimai.Unconfirmed, Is.Zero);
    }

    [Test]
    public async Task Run_DeleteOfAnEntryNeverSynced_SendsNothingToCiviCrm()
    {
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 4);
        await _rig.RunAsync();
        _civicrm.Writes.Clear();
        _clock.Now += TimeSpan.FromMinutes(5);
        _kimai.Delete(1201);

        await _rig.RunAsync();

        Assert.That(_civicrm.Writes, Is.Empty, "no delete with a null id (g.7)");
        Assert.That(await _rig.EntryAsync(1201), Is.Null);
    }

    [TestCase("2024-05-14T09:00:00+0200", "2024-05-14T10:00:00+0200", TestName = "Run_UnmappedEntryThenMapped_BecomesAnActivity")]
    [TestCase("2023-06-01T09:00:00+0200", "2023-06-01T10:00:00+0200", TestName = "Run_UnmappedEntryBeforeSyncFromThenMapped_BecomesAnActivity")]
    public async Task Run_UnmappedThenMapped_TheLedgersSnapshotBecomesAnActivity(string begin, string end)
    {
        _kimai.Insert(1201, begin, end, 4);
        await _rig.RunAsync();
        var recorded = (await _rig.EntryAsync(1201))!.State;
        _clock.Now += TimeSpan.FromMinutes(5);
        await _rig.MapAsync(4, 203);

        await _rig.RunAsync();

        Assert.That(recorded, Is.EqualTo(ExternalHoursEntryState.Unmapped));
        Assert.That(_civicrm.ActivityFor(1201)["source_contact_id"]!.GetValue<int>(), Is.EqualTo(203), "the queue will not offer the entry again: the ledger's snapshot is applied");
    }

    [Test]
    public async Task Run_MappingRepointed_EveryActivityOfTheProjectMovesWhateverItsStart()
    {
        await _rig.MapAsync(3, 202);
        _kimai.Insert(1201, "2023-06-01T09:00:00+0200", "2023-06-01T10:00:00+0200", 3);
        _kimai.Insert(1202, "2024-05-14T09:00:00+0200", "2024-05-14T10:00:00+0200", 3);
        await _rig.RunAsync();
        _clock.Now += TimeSpan.FromMinutes(5);
        await _rig.MapAsync(3, 203);

        await _rig.RunAsync();

        Assert.That(_civicrm.Activities.Values.Select(a => a["source_contact_id"]!.GetValue<int>()), Is.EqualTo(new[] { 203, 203 }));
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(2));
    }

    [TestCase(true, TestName = "Run_ConfirmAnswerLost_NextRunSeesNothingNewNoDuplicate")]
    [TestCase(false, TestName = "Run_ConfirmNeverArrived_NextRunAppliesTheMessageAgainAsUnchangedAndConfirmsIt")]
    public async Task Run_LostConfirm_ExactlyOneActivityAndTheQueueDrains(bool stored)
    {
        await _rig.MapAsync(3, 202);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3);
        _kimai.LoseNextConfirm = stored;

        Assert.That(_rig.RunAsync, Throws.InstanceOf<ExternalServiceException>().With.Message.Contains("Kimai"));
        _clock.Now += TimeSpan.FromMinutes(5);
        var summary = await _rig.RunAsync();

        Assert.That(_civicrm.Activities, Has.Count.EqualTo(1));
        Assert.That((summary.Created, summary.Updated), Is.EqualTo((0, 0)));
        Assert.That(_kimai.Unconfirmed, Is.Zero);
    }

    [Test]
    public async Task Run_KimaiDown_RunFailsBeforeAnyWrite()
    {
        await _rig.MapAsync(3, 202);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3);
        _kimai.Down = true;

        Assert.That(_rig.RunAsync, Throws.InstanceOf<ExternalServiceException>().With.Message.EqualTo("Kimai: answered 502 to primeUpdates: <html><body>502 Bad Gateway</body></html>"));
        Assert.That(_civicrm.Writes, Is.Empty);
    }

    [Test]
    public async Task Run_CiviCrmDownMidBatch_RunFailsNothingConfirmedNextRunFinishesWithoutDuplicates()
    {
        await _rig.MapAsync(3, 202);
        for (var id = 1; id <= 10; id++)
        {
            _kimai.Insert(id, "2024-05-14T09:00:00+0200", "2024-05-14T09:30:00+0200", 3);
        }
        _options.Concurrency = 1;
        _civicrm.UnreachableForSubject = "Kimai timesheet #6";

        Assert.That(_rig.RunAsync, Throws.InstanceOf<ExternalServiceException>().With.Message.Contains("CiviCRM"));
        var unconfirmed = _kimai.Unconfirmed;
        _civicrm.UnreachableForSubject = null;
        _clock.Now += TimeSpan.FromMinutes(5);
        var summary = await _rig.RunAsync();

        Assert.That(unconfirmed, Is.EqualTo(10), "a message is confirmed only after its batch was applied");
        Assert.That((summary.Created, summary.Unchanged), Is.EqualTo((5, 5)));
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(10));
        Assert.That(_kimai.Unconfirmed, Is.Zero);
    }

    [Test]
    public async Task Run_WrongKey_FailsNamingTheSettingWithoutTheKey()
    {
        _options.KimaiApiKey = "0000000000000000000000000";

        Assert.That(_rig.RunAsync, Throws.InstanceOf<ExternalServiceException>().With.Message.EqualTo(
            "Kimai: primeUpdates refused the API key (Unknown user or no permissions.): check KIMAI_API_KEY, or KIMAI_API_USER and KIMAI_API_PASSWORD"));
        Assert.That(_civicrm.Writes, Is.Empty);
    }

    [Test]
    public async Task Run_UserAndPassword_AuthenticateGivesTheKey()
    {
        _options.KimaiApiKey = null;
        (_options.KimaiApiUser, _options.KimaiApiPassword) = (KimaiV1StandIn.User, KimaiV1StandIn.Password);
        await _rig.MapAsync(3, 202);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3);

        var summary = await _rig.RunAsync();

        Assert.That(summary.Created, Is.EqualTo(1));
        Assert.That(_kimai.Calls.First(), Is.EqualTo("authenticate"));
    }

    [Test]
    public async Task Run_WrongPassword_FailsNamingTheSettings()
    {
        _options.KimaiApiKey = null;
        (_options.KimaiApiUser, _options.KimaiApiPassword) = (KimaiV1StandIn.User, "wrong");

        Assert.That(_rig.RunAsync, Throws.InstanceOf<ExternalServiceException>().With.Message.EqualTo(
            "Kimai: authenticate refused KIMAI_API_USER / KIMAI_API_PASSWORD (Unknown user or no permissions.)"));
    }

    [Test]
    public async Task Run_OneEntryRefusedByCiviCrm_ParkedUnconfirmedWithoutBlockingTheOthers()
    {
        await _rig.MapAsync(3, 202);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3);
        _kimai.Insert(1202, "2024-05-14T11:00:00+0200", "2024-05-14T12:00:00+0200", 3);
        _kimai.Insert(1203, "2024-05-14T13:00:00+0200", "2024-05-14T14:00:00+0200", 3);
        _options.PageSize = 1;   // getUpdates answers the newest first: #1203 fails and would come first every time
        _civicrm.RefuseSubject = "Kimai timesheet #1203";

        var summary = await _rig.RunAsync();
        var unconfirmed = _kimai.Unconfirmed;
        _civicrm.RefuseSubject = null;
        _clock.Now += TimeSpan.FromMinutes(6);   // past the back-off
        var retried = await _rig.RunAsync();

        Assert.That(summary.Failed, Is.EquivalentTo(new[] { 1203 }));
        Assert.That(summary.Created, Is.EqualTo(2), "the others went on past the failing message (g.5)");
        Assert.That(unconfirmed, Is.EqualTo(1), "confirmed only once CiviCRM holds it");
        Assert.That(retried.Created, Is.EqualTo(1));
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(3));
        Assert.That(_kimai.Unconfirmed, Is.Zero);
    }

    [Test]
    public async Task Run_UnreadableMessage_NamedInTheSummaryTheOthersApplied()
    {
        await _rig.MapAsync(3, 202);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3);
        _kimai.Insert(1202, "2024-05-14T11:00:00+0200", "2024-05-14T12:00:00+0200", 3);
        _kimai.CorruptNextMessageAction = "archive";

        var summary = await _rig.RunAsync();

        Assert.That(summary.ToString(), Does.Contain("Kimai queue message 57 could not be read (unknown action 'archive'); it stays unconfirmed"));
        Assert.That(summary.Created, Is.EqualTo(1));
        Assert.That(_kimai.Unconfirmed, Is.EqualTo(1));
    }

    [Test]
    public async Task Run_EditInTheSameSecondAsTheNewestQueuedRow_MissedByTheQueueFoundByReconciliation()
    {
        await _rig.MapAsync(3, 202);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3, "before");
        _kimai.Insert(1202, "2024-05-14T11:00:00+0200", "2024-05-14T12:00:00+0200", 3);
        await _rig.RunAsync();
        _clock.Now += TimeSpan.FromMinutes(5);
        _kimai.Edit(1202, r => r with { Comment = "queued" });
        await _rig.RunAsync();                                           // the queue's cutoff is now this second
        _kimai.Edit(1201, r => r with { Comment = "same second" });     // stamped with the very same second: never queued
        await _rig.RunAsync();
        var missed = _civicrm.ActivityFor(1201)["details"]!.GetValue<string>();
        _options.ReconcileIntervalMinutes = 0;

        await _rig.RunAsync();

        Assert.That(missed, Is.EqualTo("before"), "the queue's known gap (b.4)");
        Assert.That(_civicrm.ActivityFor(1201)["details"]!.GetValue<string>(), Is.EqualTo("same second"));
    }

    [Test]
    public async Task Run_EntryInsertedAfterPrimingNeverEdited_NeverQueuedFoundByReconciliation()
    {
        await _rig.MapAsync(3, 202);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3);
        await _rig.RunAsync();
        _clock.Now += TimeSpan.FromMinutes(5);
        _kimai.Insert(1202, "2024-05-15T09:00:00+0200", "2024-05-15T10:00:00+0200", 3);   // modified stays NULL
        _kimai.Insert(1204, "2024-05-15T11:00:00+0200", "2024-05-15T12:00:00+0200", 3);   // 1203 was never written
        await _rig.RunAsync();
        var beforeReconciliation = _civicrm.Activities.Count;
        _options.ReconcileIntervalMinutes = 0;

        await _rig.RunAsync();

        Assert.That(beforeReconciliation, Is.EqualTo(1), "the queue's known gap (b.4)");
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Run_ReconciliationOfAnInstanceThatLostEverything_DeletionsWithheld()
    {
        await _rig.MapAsync(3, 202);
        for (var id = 1; id <= 30; id++)
        {
            _kimai.Insert(id, "2024-05-14T09:00:00+0200", "2024-05-14T09:30:00+0200", 3);
        }
        await _rig.RunAsync();
        var wrongInstance = new KimaiV1StandIn(() => _clock.GetUtcNow().UtcDateTime);   // an empty Kimai at the same URL: no messages, no entries
        _rig = Rig(wrongInstance, new Uri("https://kimai1.test/core/"));
        _options.ReconcileIntervalMinutes = 0;

        var summary = await _rig.RunAsync();

        Assert.That(summary.ToString(), Does.Contain("30 of 30 entries missing; deletions withheld"));
        Assert.That(_civicrm.Activities, Has.Count.EqualTo(30));
        wrongInstance.Dispose();
    }

    [Test]
    public async Task ImportExtension_ThenTheEntryChanges_TheExtensionsActivityIsUpdatedNotDuplicated()
    {
        await _rig.RunAsync();   // the activity type exists (the extension made it), the queue is primed
        var extensions = _civicrm.AddExtensionActivity(new()
        {
            ["activity_type_id"] = 58, ["activity_date_time"] = "2024-05-14 09:00:00", ["duration"] = 90, ["details"] = "Fixed mail relay",
            ["source_contact_id"] = 202, ["target_contact_id"] = new JsonArray(202),
        });
        _civicrm.ProjectContacts.AddRange([(3, 202), (4, 999)]);
        _civicrm.EntryActivities.AddRange([(1201, extensions), (1187, 4242)]);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3, "Fixed mail relay");
        var migration = new ExtensionMigration(_rig.Civicrm(), _rig.MappingService(), NullLogger<ExtensionMigration>.Instance);

        var imported = await migration.ImportAsync(CancellationToken.None);
        var again = await migration.ImportAsync(CancellationToken.None);
        _clock.Now += TimeSpan.FromMinutes(5);
        _kimai.Edit(1201, r => r with { Comment = "Fixed mail relay, then the spam filter" });
        var summary = await _rig.RunAsync();

        Assert.That((imported.MappingsAdded, imported.ActivitiesTagged, imported.ActivitiesGone), Is.EqualTo((1, 1, 1)));
        Assert.That(imported.MappingsRefused, Is.EqualTo(new[] { "Kimai project 4: CiviCRM contact 999 is not an existing organisation." }));
        Assert.That((again.MappingsAdded, again.MappingsKept), Is.EqualTo((0, 1)), "a second import changes nothing");
        Assert.That((summary.Created, summary.Updated), Is.EqualTo((0, 1)));
        Assert.That(_civicrm.Activities.Keys, Is.EqualTo(new[] { extensions }));
        Assert.That(_civicrm.ActivityFor(1201)["details"]!.GetValue<string>(), Is.EqualTo("Fixed mail relay, then the spam filter"));
    }

    [Test]
    public async Task Mapping_ProjectsComeFromGetProjects()
    {
        await _rig.MapAsync(4, 203);

        var mapping = (await _rig.MappingService().ListAsync(CancellationToken.None)).Single();

        Assert.That((mapping.ProjectName, mapping.CustomerName), Is.EqualTo(("Website", "Globex")));
    }

    [Test]
    public async Task Run_OverRealHttp_FirstSyncThenAnEdit()
    {
        await OverRealHttpAsync();
        await _rig.MapAsync(3, 202);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3, "first");
        await _rig.RunAsync();
        _clock.Now += TimeSpan.FromMinutes(5);
        _kimai.Edit(1201, r => r with { Comment = "second" });

        var summary = await _rig.RunAsync();

        Assert.That(summary.Updated, Is.EqualTo(1));
        Assert.That(_civicrm.ActivityFor(1201)["details"]!.GetValue<string>(), Is.EqualTo("second"));
        Assert.That(_kimai.Unconfirmed, Is.Zero);
        Assert.That(_server!.Requests, Is.GreaterThan(5));
    }

    [Test]
    public async Task Run_OverRealHttp_ConnectionDroppedAfterTheConfirmation_RunFailsNamingKimaiNextRunClean()
    {
        await OverRealHttpAsync();
        await _rig.MapAsync(3, 202);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3);
        _kimai.LoseNextConfirm = true;

        Assert.That(_rig.RunAsync, Throws.InstanceOf<ExternalServiceException>().With.Message.StartsWith("Kimai: could not be reached (civicrm.php confirmQueueMessage)"));
        _clock.Now += TimeSpan.FromMinutes(5);
        await _rig.RunAsync();

        Assert.That(_civicrm.Activities, Has.Count.EqualTo(1));
        Assert.That(_kimai.Unconfirmed, Is.Zero);
    }

    /// <summary>From here on a real socket lies between the client and the stand-in (Kestrel on a free local port).</summary>
    private async Task OverRealHttpAsync()
    {
        _server = await StandInServer.StartAsync(0, TimeSpan.Zero, new Dictionary<string, HttpMessageHandler> { ["kimai"] = _kimai });
        _socket = new SocketsHttpHandler();
        _rig = Rig(_socket, new Uri(_server.BaseAddress, "/kimai/core/"));
    }

    private ExternalHoursRig Rig(HttpMessageHandler kimai, Uri baseAddress) => new(_harness, _clock, _options, _civicrm, () => new KimaiV1Source(
        new KimaiV1Client(new HttpClient(kimai, disposeHandler: false) { BaseAddress = baseAddress }, MsOptions.Create(_options)),
        MsOptions.Create(_options), NullLogger<KimaiV1Source>.Instance));
}
