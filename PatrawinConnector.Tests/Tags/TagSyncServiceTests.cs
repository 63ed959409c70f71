using Microsoft.Extensions.DependencyInjection;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.Tags;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Domain.WiseTime.Contracts;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Tags;

public sealed class TagSyncServiceTests
{
    private DomainHarness _harness = null!;

    [SetUp]
    public async Task Start() => _harness = await DomainHarness.StartAsync(configure: o => o.TagUpsertBatchSize = 3);

    [TearDown]
    public async Task Stop() => await _harness.DisposeAsync();

    [Test]
    public async Task RunAsync_FirstRun_EveryNewCaseThenEveryNewClientInOrder()
    {
        var summary = await RunAsync();

        var expected = (await _harness.Patrawin.ExpectedNewCasesAsync()).Concat(await _harness.Patrawin.ExpectedNewClientsAsync());
        Assert.That(_harness.WiseTime.UpsertedNames, Is.EqualTo(expected));
        Assert.That(_harness.WiseTime.UpsertedBatches.Select(b => b.Count), Has.All.LessThanOrEqualTo(3));
        Assert.That(summary.Upserted, Is.EqualTo(expected.Count()));
        var propellerGuard = _harness.WiseTime.UpsertedBatches.SelectMany(b => b).Single(t => t.Name == "P4101SE00");
        Assert.That(propellerGuard, Is.EqualTo(new UpsertTagRequest
        {
            Name = "P4101SE00", Description = "Skärgård Marine: propeller guard", Path = "/Patrawin/", AdditionalKeywords = propellerGuard.AdditionalKeywords,
        }));
        Assert.That(propellerGuard.AdditionalKeywords, Is.EqualTo(new[] { "P4101SE00" }));
    }

    [Test]
    public async Task RunAsync_SecondRun_NothingNewNothingSent()
    {
        await RunAsync();
        var sent = _harness.WiseTime.UpsertedBatches.Count;

        var summary = await RunAsync();

        Assert.That(summary.Upserted, Is.Zero);
        Assert.That(_harness.WiseTime.UpsertedBatches, Has.Count.EqualTo(sent));
    }

    [Test]
    public async Task RunAsync_CaseAddedLater_OnlyItIsSentNext()
    {
        await RunAsync();
        await _harness.Patrawin.AddCaseAsync("P9999SE00", "Brand new", "2030-01-01 10:00:00");
        _harness.WiseTime.UpsertedBatches.Clear();

        await RunAsync();

        Assert.That(_harness.WiseTime.UpsertedNames, Is.EqualTo(new[] { "P9999SE00" }));
    }

    [Test]
    public async Task RunAsync_OddRows_ValidOnesSentOthersSkippedAndJobCompletes()
    {
        await _harness.Patrawin.AddCaseAsync("   ", "Blank number", "2030-01-01 10:00:00");
        await _harness.Patrawin.AddCaseAsync("P\t1", "Tab in number", "2030-01-01 10:01:00");
        await _harness.Patrawin.AddCaseAsync("Å-ÄÖ-日本", null, "2030-01-01 10:02:00");
        await _harness.Patrawin.AddCaseAsync("P-LONG", new string('L', 250), "2030-01-01 10:03:00");
        await _harness.Patrawin.AddCaseAsync("C10046", "Case numbered like a client", "2030-01-01 10:04:00");

        var summary = await RunAsync();

        var names = _harness.WiseTime.UpsertedNames.ToList();
        Assert.That(names, Does.Contain("Å-ÄÖ-日本").And.Contain("P-LONG").And.Contain("C10046"));
        Assert.That(names, Does.Not.Contain("   ").And.Not.Contain("P\t1"));
        Assert.That(names.Count(n => n == "C10046"), Is.EqualTo(1), "the client C10046 is skipped: the tag stays the case's");
        Assert.That(summary.Skipped, Is.EqualTo(3));
    }

    [Test]
    public async Task RunAsync_WiseTimeRefusesAnItem_RestResentAndCursorMovesOn()
    {
        _harness.WiseTime.ItemErrors = [new ErrorItem(1, "Tag name is invalid")];

        var summary = await RunAsync();
        var second = await RunAsync();

        var batches = _harness.WiseTime.UpsertedBatches.ToList();
        Assert.That(batches[1].Select(t => t.Name), Is.EqualTo(new[] { batches[0][0].Name, batches[0][2].Name }), "the refused tag left out, the rest sent again");
        Assert.That(summary.Skipped, Is.EqualTo(1));
        Assert.That(second.Upserted, Is.Zero);
    }

    [Test]
    public async Task RunAsync_WiseTimeRefusesTheResentBatchToo_FailsAndCursorStays()
    {
        _harness.WiseTime.AlwaysItemErrors = [new ErrorItem(0, "Tag plan limit reached")];

        Assert.That(RunAsync, Throws.InstanceOf<WiseTimeApiException>().With.Message.Contains("refused the batch again"));
        var cursor = await _harness.Services.GetRequiredService<SyncCursorStore>().FindAsync(SyncCursor.CaseSync, CancellationToken.None);
        Assert.That(cursor!.Number, Is.Null);
    }

    [Test]
    public async Task RunAsync_ThirdBatchFails_CursorAfterSecondAndNextRunCompletes()
    {
        var batches = 0;
        _harness.WiseTime.BeforeCall = op => op == "tag/batch" && Interlocked.Increment(ref batches) == 3
            ? throw new WiseTimeApiException(WiseTimeErrorCategory.Transient, "503")
            : Task.CompletedTask;

        Assert.That(RunAsync, Throws.InstanceOf<WiseTimeApiException>());
        var cursor = await _harness.Services.GetRequiredService<SyncCursorStore>().FindAsync(SyncCursor.CaseSync, CancellationToken.None);
        var expected = await _harness.Patrawin.ExpectedNewCasesAsync();

        Assert.That(cursor!.Number, Is.EqualTo(expected[5]), "two batches of three were accepted");
        _harness.WiseTime.BeforeCall = null;
        await RunAsync();
        Assert.That(_harness.WiseTime.UpsertedNames.Distinct(), Is.EquivalentTo(expected.Concat(await _harness.Patrawin.ExpectedNewClientsAsync())));
    }

    [Test]
    public async Task RunAsync_BatchesFinishOutOfOrder_CursorOnlyPastContiguousSuccesses()
    {
        await _harness.Patrawin.AddRandomCasesAsync(60, seed: 7);
        var random = new Random(11);
        _harness.WiseTime.BeforeCall = _ => Task.Delay(random.Next(0, 15));

        await RunAsync();

        var expected = await _harness.Patrawin.ExpectedNewCasesAsync();
        Assert.That(_harness.WiseTime.UpsertedNames.Take(expected.Count), Is.EquivalentTo(expected));
        var cursor = await _harness.Services.GetRequiredService<SyncCursorStore>().FindAsync(SyncCursor.CaseSync, CancellationToken.None);
        Assert.That((cursor!.Number, cursor.PassDone, cursor.PassTotal), Is.EqualTo((expected[^1], expected.Count, expected.Count)),
            "the pass's total, counted as an upper bound, becomes what was done when the drain ends");
    }

    private async Task<TagRunSummary> RunAsync()
    {
        await using var scope = _harness.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TagSyncService>().RunAsync(CancellationToken.None);
    }
}

/// <summary>The sync is interrupted at random points, again and again: every row still reaches WiseTime, none is skipped.</summary>
public sealed class TagSyncInterruptionTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    public async Task RunAsync_KilledAtRandomPoints_NothingSkipped(int seed)
    {
        await using var harness = await DomainHarness.StartAsync(configure: o =>
        {
            o.TagUpsertBatchSize = 4;
            o.TagUpsertConcurrency = 3;
        });
        await harness.Patrawin.AddRandomCasesAsync(150, seed);
        var expected = (await harness.Patrawin.ExpectedNewCasesAsync()).Concat(await harness.Patrawin.ExpectedNewClientsAsync()).ToList();
        var random = new Random(seed);
        var accepted = new System.Collections.Concurrent.ConcurrentBag<string>();

        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var kill = new CancellationTokenSource();
            var calls = 0;
            var killAt = random.Next(1, 12);
            harness.WiseTime.UpsertedBatches.Clear();
            harness.WiseTime.BeforeCall = async _ =>
            {
                await Task.Delay(random.Next(0, 3));
                if (Interlocked.Increment(ref calls) == killAt)
                {
                    switch (random.Next(3))
                    {
                        case 0:
                            await kill.CancelAsync();   // the process stops mid-run
                            kill.Token.ThrowIfCancellationRequested();
                            break;
                        case 1:
                            throw new WiseTimeApiException(WiseTimeErrorCategory.Transient, "connection reset");
                        default:
                            throw new TaskCanceledException("timeout");
                    }
                }
            };

            try
            {
                await using var scope = harness.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<TagSyncService>().RunAsync(kill.Token);
                foreach (var name in harness.WiseTime.UpsertedNames)
                {
                    accepted.Add(name);
                }
                break;
            }
            catch (Exception e) when (e is OperationCanceledException or WiseTimeApiException)
            {
                foreach (var name in harness.WiseTime.UpsertedNames)
                {
                    accepted.Add(name);
                }
            }
        }

        Assert.That(accepted.Distinct(), Is.EquivalentTo(expected));
    }
}
