using Microsoft.Extensions.DependencyInjection;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.Tags;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Tags;

public sealed class TagRefreshServiceTests
{
    // wisetime-patrawin.md section e: count ÷ (20160 ÷ interval), capped by TAG_UPSERT_BATCH_SIZE, at least 10
    [TestCase(400_000, 5, 1000, 99)]
    [TestCase(20, 5, 500, 10)]
    [TestCase(10_000_000, 5, 20, 20)]
    [TestCase(100, 5, 5, 5)]            // the floor of 10 never exceeds a smaller batch size (Java's fault)
    [TestCase(1_000_000, 30_000, 500, 500)] // an interval beyond 14 days does not divide by zero
    [TestCase(0, 5, 500, 10)]
    public void BatchSize_CountAndInterval_AboutFourteenDaysPerPass(int total, int interval, int max, int expected) =>
        Assert.That(TagRefreshService.BatchSize(total, interval, max), Is.EqualTo(expected));

    [Test]
    public async Task RunAsync_ThreeRuns_CasesInOnePassInOrderBlockedDeletedClientsRestarted()
    {
        await using var harness = await DomainHarness.StartAsync();

        for (var run = 0; run < 3; run++)
        {
            await RunAsync(harness);
        }

        var cases = await harness.Patrawin.QueryStringsAsync("""
            SELECT a.Arendenr FROM ARENDE_1 a WHERE EXISTS (SELECT 1 FROM KUND_ARENDE_25 l JOIN KUND_24 k ON k.Kundnr = l.Kundnr
              JOIN CREDIT_LEVEL_334 c ON c.Creditcode = k.Kreditjn WHERE l.Arendenr = a.Arendenr)
            ORDER BY COALESCE(a.Skapatdat, '1900-01-01 00:00:00'), a.Arendenr
            """);
        // 14 cases at 10 a run: two runs, then an empty one; 7 clients: one run, an empty one, and the next pass begins
        Assert.That(harness.WiseTime.DeletedTags, Is.EquivalentTo(new[] { "P6000SE00", "C10050", "C10050" }));
        var upserted = harness.WiseTime.UpsertedNames.ToList();
        Assert.That(upserted.Where(n => n.StartsWith('C')).Distinct(), Is.EquivalentTo(new[] { "C10045", "C10046", "C10047", "C10048", "C10049", "C10051" }));
        Assert.That(upserted.Where(n => !n.StartsWith('C')), Is.EqualTo(cases.Where(c => c != "P6000SE00")));
    }

    [Test]
    public async Task RunAsync_AfterPassEnds_CursorClearedAndNextRunStartsOver()
    {
        await using var harness = await DomainHarness.StartAsync();
        for (var run = 0; run < 3; run++)
        {
            await RunAsync(harness);
        }
        var cursor = await harness.Services.GetRequiredService<SyncCursorStore>().FindAsync(SyncCursor.CaseRefresh, CancellationToken.None);
        harness.WiseTime.UpsertedBatches.Clear();

        await RunAsync(harness);

        Assert.That(cursor!.Number, Is.Null);
        Assert.That(harness.WiseTime.UpsertedNames.First(), Is.EqualTo("P7000FI00"), "the undated case comes first again");
    }

    [Test]
    public async Task RunAsync_DeleteFails_CursorStaysAndRowIsRetried()
    {
        await using var harness = await DomainHarness.StartAsync();
        await harness.Patrawin.ExecuteAsync("UPDATE ARENDE_1 SET Skapatdat = NULL WHERE Arendenr = 'P6000SE00'");
        harness.WiseTime.BeforeCall = op => op == "tag/delete"
            ? throw new Domain.WiseTime.WiseTimeApiException(Domain.WiseTime.WiseTimeErrorCategory.Transient, "503")
            : Task.CompletedTask;

        Assert.That(() => RunAsync(harness), Throws.InstanceOf<Domain.WiseTime.WiseTimeApiException>());
        harness.WiseTime.BeforeCall = null;
        await RunAsync(harness);

        Assert.That(harness.WiseTime.DeletedTags, Does.Contain("P6000SE00"));
    }

    private static async Task RunAsync(DomainHarness harness)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TagRefreshService>().RunAsync(CancellationToken.None);
    }
}
