using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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
    public async Task RunAsync_FirstRun_EveryNewCaseAndEveryNewClientEachInOrder()
    {
        var summary = await RunAsync();

        var (cases, clients) = (await _harness.Patrawin.ExpectedNewCasesAsync(), await _harness.Patrawin.ExpectedNewClientsAsync());
        Assert.That(Sent(cases), Is.EqualTo(cases));
        Assert.That(Sent(clients), Is.EqualTo(clients));
        Assert.That(_harness.WiseTime.UpsertedNames.Count(), Is.EqualTo(cases.Count + clients.Count));
        Assert.That(_harness.WiseTime.UpsertedBatches.Select(b => b.Count), Has.All.LessThanOrEqualTo(3));
        Assert.That(summary.Upserted, Is.EqualTo(cases.Count + clients.Count));
        var propellerGuard = _harness.WiseTime.UpsertedBatches.SelectMany(b => b).Single(t => t.Name == "P4101SE00");
        Assert.That(propellerGuard, Is.EqualTo(new UpsertTagRequest
        {
            Name = "P4101SE00", Description = "Skärgård Marine: propeller guard", Path = "/Patrawin/", AdditionalKeywords = propellerGuard.AdditionalKeywords,
        }));
        Assert.That(propellerGuard.AdditionalKeywords, Is.EqualTo(new[] { "P4101SE00" }));
    }

    [Test]
    public async Task RunAsync_FirstCaseBatchHeldUp_ClientsGoOutMeanwhileOnTheSharedSlots()
    {
        var clients = await _harness.Patrawin.ExpectedNewClientsAsync();
        var cases = await _harness.Patrawin.ExpectedNewCasesAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (inFlight, most) = (0, 0);
        _harness.WiseTime.BeforeTagBatch = async tags =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            try
            {
                if (tags[0].Name == cases[0])
                {
                    await release.Task;
                }
                await Task.Delay(2);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        };

        var run = RunAsync();
        // Every client, and later case batches, go out while the first case batch is held.
        await WaitUntilAsync(() => Sent(clients).Count() == clients.Count && Sent(cases).Any());
        var held = await _harness.Services.GetRequiredService<SyncCursorStore>().FindAsync(SyncCursor.CaseSync, CancellationToken.None);
        Assert.That(held!.Number, Is.Null, "every client went out while the first case batch was held; no case cursor moved past it");
        release.SetResult();
        var summary = await run;

        Assert.That(Sent(cases).Distinct(), Is.EquivalentTo(cases));
        Assert.That(Sent(cases).First(), Is.Not.EqualTo(cases[0]), "the first case batch went out last");
        Assert.That(summary.Upserted, Is.EqualTo(cases.Count + clients.Count));
        Assert.That(most, Is.LessThanOrEqualTo(_harness.Services.GetRequiredService<IOptions<TagOptions>>().Value.TagUpsertConcurrency),
            "both kinds share TAG_UPSERT_CONCURRENCY upload slots");
    }

    [Test]
    public async Task RunAsync_CaseBatchRefused_ClientsStillDrainedAndRunFails()
    {
        var cases = (await _harness.Patrawin.ExpectedNewCasesAsync()).ToHashSet();
        _harness.WiseTime.BeforeTagBatch = tags => cases.Contains(tags[0].Name)
            ? throw new WiseTimeApiException(WiseTimeErrorCategory.Permanent, "tag plan limit reached")
            : Task.CompletedTask;

        Assert.That(RunAsync, Throws.InstanceOf<WiseTimeApiException>().With.Message.Contains("tag plan limit"));

        var store = _harness.Services.GetRequiredService<SyncCursorStore>();
        var clients = await _harness.Patrawin.ExpectedNewClientsAsync();
        Assert.That((await store.FindAsync(SyncCursor.CaseSync, CancellationToken.None))!.Number, Is.Null);
        Assert.That((await store.FindAsync(SyncCursor.ClientSync, CancellationToken.None))!.Number, Is.EqualTo(clients[^1]));
        Assert.That(Sent(clients), Is.EqualTo(clients));
    }

    [Test]
    public async Task RunAsync_CursorCannotBeSaved_DrainStopsWithinAFewBatchesNotAtTheEnd()
    {
        await _harness.Patrawin.AddRandomCasesAsync(300, seed: 5);
        var needed = ((await _harness.Patrawin.ExpectedNewCasesAsync()).Count + 2) / 3;
        var batches = 0;
        _harness.WiseTime.BeforeTagBatch = async _ =>
        {
            await Task.Delay(5);   // an upload takes longer than a cursor save, as against the real API
            if (Interlocked.Increment(ref batches) == 3)
            {
                // The state database loses its cursor table: every cursor save from now on fails.
                await using var db = await _harness.Services.GetRequiredService<IDbContextFactory<ConnectorStateDbContext>>().CreateDbContextAsync();
                await db.Database.ExecuteSqlRawAsync("ALTER TABLE SyncCursors RENAME TO SyncCursorsGone");
            }
        };

        Assert.That(RunAsync, Throws.InstanceOf<Microsoft.Data.Sqlite.SqliteException>().With.Message.Contains("SyncCursors"));

        Assert.That(needed, Is.GreaterThan(60));
        Assert.That(_harness.WiseTime.UpsertedBatches.Count, Is.LessThan(30), "the drains stopped soon after the first failed save");
    }

    /// <summary>The names WiseTime accepted that are among <paramref name="names"/>, in the order it accepted them.</summary>
    private IEnumerable<string> Sent(IEnumerable<string> names)
    {
        var among = names.ToHashSet();
        return _harness.WiseTime.UpsertedNames.Where(among.Contains);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "timed out waiting");
            await Task.Delay(5);
        }
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
        Assert.That(batches.Skip(1).Select(b => b.Select(t => t.Name)), Has.Some.EqualTo(new[] { batches[0][0].Name, batches[0][2].Name }),
            "the refused tag left out, the rest sent again");
        Assert.That(batches.Count(b => b.Any(t => t.Name == batches[0][1].Name)), Is.EqualTo(1), "the refused tag is not sent again");
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
        var expected = await _harness.Patrawin.ExpectedNewCasesAsync();
        var batches = 0;
        _harness.WiseTime.BeforeTagBatch = tags => expected.Contains(tags[0].Name) && Interlocked.Increment(ref batches) == 3
            ? throw new WiseTimeApiException(WiseTimeErrorCategory.Transient, "503")
            : Task.CompletedTask;

        Assert.That(RunAsync, Throws.InstanceOf<WiseTimeApiException>());
        var cursor = await _harness.Services.GetRequiredService<SyncCursorStore>().FindAsync(SyncCursor.CaseSync, CancellationToken.None);

        Assert.That(cursor!.Number, Is.EqualTo(expected[5]), "two batches of three were accepted");
        _harness.WiseTime.BeforeTagBatch = null;
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
        Assert.That(Sent(expected), Is.EquivalentTo(expected));
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
