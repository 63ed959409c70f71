using Microsoft.Extensions.DependencyInjection;
using PatrawinConnector.Domain.ActivityTypes;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Domain.WiseTime.Contracts;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.ActivityTypes;

public sealed class ActivityTypeSyncServiceTests
{
    private readonly MutableTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    private DomainHarness _harness = null!;

    [SetUp]
    public async Task Start()
    {
        _clock.Now = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);   // one fixture instance serves every test
        _harness = await DomainHarness.StartAsync(clock: _clock);
    }

    [TearDown]
    public async Task Stop() => await _harness.DisposeAsync();

    [Test]
    public async Task RunAsync_FirstRun_SendsActiveCodesInOneSession()
    {
        var summary = await RunAsync();

        Assert.That(_harness.WiseTime.Calls, Is.EqualTo(new[] { "activitytype/sync/start", "activitytype/batch", "activitytype/sync/complete" }));
        var batch = _harness.WiseTime.ActivityTypeBatches.Single();
        Assert.That(batch.SyncSessionId, Is.EqualTo("session-1"));
        // 5 (< 10), 160 (a renewal code in PARAMETER_149), 199 (inactive) and 9998 are not activity types
        Assert.That(batch.ActivityTypes.Select(t => (t.Code, t.Label)), Is.EqualTo(new[]
        {
            ("100", "Meeting"), ("110", "Research"), ("120", "Drafting"), ("130", "Correspondence"), ("140", "Telephone"), ("150", "Filing"),
        }));
        Assert.That(batch.ActivityTypes.Select(t => (t.Description, t.EnableIfNew)), Has.All.EqualTo(("", (bool?)true)));
        Assert.That(summary.Sent, Is.True);
    }

    [Test]
    public async Task RunAsync_NothingChanged_NoCallAtAll()
    {
        await RunAsync();
        _harness.WiseTime.Calls.Clear();
        _clock.Now += TimeSpan.FromHours(23);

        var summary = await RunAsync();

        Assert.That(summary.Sent, Is.False);
        Assert.That(_harness.WiseTime.Calls, Is.Empty);
    }

    [Test]
    public async Task RunAsync_DayOld_SentAgain()
    {
        await RunAsync();
        _clock.Now += TimeSpan.FromHours(24);

        Assert.That((await RunAsync()).Reason, Is.EqualTo("daily resend"));
    }

    [Test]
    public async Task RunAsync_LabelChanged_SentAgain()
    {
        await RunAsync();
        await _harness.Patrawin.ExecuteAsync("UPDATE FAKTURATEXT_16 SET Fakturatext = '  Drafting work  ' WHERE Fakturatextnr = 120 AND Sprakkod = 'E'");

        var summary = await RunAsync();

        Assert.That(summary.Reason, Is.EqualTo("codes changed"));
        Assert.That(_harness.WiseTime.ActivityTypeBatches.Last().ActivityTypes.Single(t => t.Code == "120").Label, Is.EqualTo("Drafting work"));
    }

    [Test]
    public async Task RunAsync_LabelMissing_CodeIsTheLabel()
    {
        await _harness.Patrawin.ExecuteAsync("UPDATE FAKTURATEXT_16 SET Fakturatext = NULL WHERE Fakturatextnr = 130 AND Sprakkod = 'E'");

        await RunAsync();

        Assert.That(_harness.WiseTime.ActivityTypeBatches.Single().ActivityTypes.Single(t => t.Code == "130").Label, Is.EqualTo("130"));
    }

    [Test]
    public async Task RunAsync_ScreenLanguageSwedish_SwedishLabels()
    {
        await _harness.Patrawin.ExecuteAsync("UPDATE FORETAGINFO_56 SET Skarmsprak = 'S'");

        await RunAsync();

        Assert.That(_harness.WiseTime.ActivityTypeBatches.Single().ActivityTypes[0].Label, Is.EqualTo("Möte"));
    }

    [Test]
    public async Task RunAsync_NoActivityCodes_StartAndCompleteSoWiseTimeRemovesThem()
    {
        await _harness.Patrawin.ExecuteAsync("UPDATE FAKTURATEXTNR_15 SET Inaktiv = 1");

        await RunAsync();

        Assert.That(_harness.WiseTime.Calls, Is.EqualTo(new[] { "activitytype/sync/start", "activitytype/sync/complete" }));
    }

    [Test]
    public async Task RunAsync_BatchFails_SessionCancelledNothingRecordedAndNextRunSendsAgain()
    {
        _harness.WiseTime.BeforeCall = op => op == "activitytype/batch"
            ? throw new WiseTimeApiException(WiseTimeErrorCategory.Transient, "502")
            : Task.CompletedTask;

        Assert.That(RunAsync, Throws.InstanceOf<WiseTimeApiException>());
        Assert.That(_harness.WiseTime.Calls.Last(), Is.EqualTo("activitytype/sync/cancel"));
        _harness.WiseTime.BeforeCall = null;
        Assert.That((await RunAsync()).Sent, Is.True);
    }

    [Test]
    public async Task RunAsync_ItemsRefused_SessionCancelledNotCompleted()
    {
        _harness.WiseTime.ItemErrors = [new ErrorItem(2, "label missing")];

        Assert.That(RunAsync, Throws.InstanceOf<WiseTimeApiException>().With.Message.Contains("120"));
        Assert.That(_harness.WiseTime.Calls, Does.Not.Contain("activitytype/sync/complete"));
        Assert.That(_harness.WiseTime.Calls.Last(), Is.EqualTo("activitytype/sync/cancel"));
    }

    [Test]
    public async Task RunAsync_BatchSizeChanged_NothingResent()
    {
        await RunAsync();
        _harness.WiseTime.Calls.Clear();
        _harness.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ActivityTypeOptions>>().Value.BatchSize = 2;

        var summary = await RunAsync();

        Assert.That(summary.Sent, Is.False, "the hash covers the codes and labels, not how they are batched");
        Assert.That(_harness.WiseTime.Calls, Is.Empty);
    }

    [Test]
    public async Task RunAsync_SmallBatchSize_SeveralBatchesInOneSession()
    {
        _harness.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ActivityTypeOptions>>().Value.BatchSize = 4;

        await RunAsync();

        Assert.That(_harness.WiseTime.ActivityTypeBatches.Select(b => (b.ActivityTypes.Count, b.SyncSessionId)), Is.EqualTo(new[] { (4, "session-1"), (2, "session-1") }));
    }

    [Test]
    public void Hash_LabelOrCodeDiffers_HashDiffers()
    {
        var types = new List<ActivityType> { new() { Code = "10", Label = "A" }, new() { Code = "11", Label = "B" } };

        Assert.That(ActivityTypeSyncService.Hash(types), Is.EqualTo(ActivityTypeSyncService.Hash([.. types])));
        Assert.That(ActivityTypeSyncService.Hash(types), Is.Not.EqualTo(ActivityTypeSyncService.Hash([types[0], types[1] with { Label = "C" }])));
        Assert.That(ActivityTypeSyncService.Hash([new() { Code = "1", Label = "01" }]), Is.Not.EqualTo(ActivityTypeSyncService.Hash([new() { Code = "10", Label = "1" }])));
    }

    [Test]
    public async Task RunAsync_RenewalCodeWithLeadingZeros_StillExcluded()
    {
        await _harness.Patrawin.ExecuteAsync("UPDATE PARAMETER_149 SET Varde = '000160'");

        await RunAsync();

        Assert.That(_harness.WiseTime.ActivityTypeBatches.Single().ActivityTypes.Select(t => t.Code), Does.Not.Contain("160"));
    }

    private async Task<ActivityTypeSyncSummary> RunAsync()
    {
        await using var scope = _harness.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ActivityTypeSyncService>().RunAsync(CancellationToken.None);
    }
}
