using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.Tags;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Tags;

/// <summary>Keyset pages on a real SQLite Patrawin, checked against an independent ORDER BY COALESCE(…) query.</summary>
public sealed class TagQueriesTests
{
    private DomainHarness _harness = null!;
    private AsyncServiceScope _scope;
    private TagQueries _queries = null!;

    [SetUp]
    public async Task Start()
    {
        _harness = await DomainHarness.StartAsync();
        _scope = _harness.Services.CreateAsyncScope();
        _queries = _scope.ServiceProvider.GetRequiredService<TagQueries>();
    }

    [TearDown]
    public async Task Stop()
    {
        await _scope.DisposeAsync();
        await _harness.DisposeAsync();
    }

    // FewRows after the cursor: one window and one look-up of its links; one more: the whole ordered stream. Both give
    // the rows the run from the start gives after that row, in its order.
    [TestCase(0)]
    [TestCase(1)]
    public async Task NewAfterAsync_WindowOrStreamAtTheBoundary_SameRowsAsTheStreamFromTheStart(int beyondWindow)
    {
        await _harness.Patrawin.AddRandomCasesAsync(TagQueries.FewRows + 10, seed: 3);
        var all = await ToListAsync(_queries.NewAfterAsync(TagKind.Case, KeysetPosition.Start, CancellationToken.None));
        var cursor = all[^(TagQueries.FewRows + beyondWindow + 1)].Position;

        var after = await ToListAsync(_queries.NewAfterAsync(TagKind.Case, cursor, CancellationToken.None));

        Assert.That(after.Select(r => r.Number), Is.EqualTo(all.Skip(all.Count - TagQueries.FewRows - beyondWindow).Select(r => r.Number)));
    }

    private static async Task<List<TagRow>> ToListAsync(IAsyncEnumerable<TagRow> rows)
    {
        var list = new List<TagRow>();
        await foreach (var row in rows)
        {
            list.Add(row);
        }
        return list;
    }

    [Test]
    public async Task ScanTimeout_ContextBackInThePool_PostingPathGetsTheShortTimeoutAgain()
    {
        PatrawinDbContext used;
        await using (var tagRun = _harness.Services.CreateAsyncScope())
        {
            used = tagRun.ServiceProvider.GetRequiredService<PatrawinDbContext>();
            await tagRun.ServiceProvider.GetRequiredService<TagQueries>().NextPageAsync(TagKind.Case, KeysetPosition.Start, 5, refresh: false, CancellationToken.None);
            Assert.That(used.Database.GetCommandTimeout(), Is.EqualTo((int)TagQueries.ScanTimeout.TotalSeconds));
        }

        await using var next = _harness.Services.CreateAsyncScope();
        var again = next.ServiceProvider.GetRequiredService<PatrawinDbContext>();
        Assert.That(again, Is.SameAs(used), "the pool handed the same context out again");
        Assert.That(again.Database.GetCommandTimeout(),
            Is.EqualTo(_harness.Services.GetRequiredService<IOptions<PatrawinOptions>>().Value.CommandTimeoutSeconds));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(7)]
    [TestCase(500)]
    public async Task NextPageAsync_PagedThroughCases_SameRowsAndOrderAsCoalesceQuery(int pageSize)
    {
        await _harness.Patrawin.AddRandomCasesAsync(120, seed: pageSize);

        var read = await ReadAllAsync(TagKind.Case, pageSize, refresh: false);

        Assert.That(read.Select(r => r.Number), Is.EqualTo(await _harness.Patrawin.ExpectedNewCasesAsync()));
    }

    [Test]
    public async Task NextPageAsync_Clients_NonBlockedWithCreditLevelInOrder()
    {
        await _harness.Patrawin.AddClientAsync("C20000", "Undated Two", null);
        await _harness.Patrawin.AddClientAsync("C19999", "Dated 1900", "1900-01-01 00:00:00");

        var read = await ReadAllAsync(TagKind.Client, 3, refresh: false);

        Assert.That(read.Select(r => r.Number), Is.EqualTo(await _harness.Patrawin.ExpectedNewClientsAsync()));
        Assert.That(read.Select(r => r.Number), Does.Not.Contain("C10050").And.Not.Contain("C10052"));
    }

    [Test]
    public async Task NextPageAsync_ClientDatedBefore1900_ReadWithTheUndated()
    {
        await _harness.Patrawin.AddClientAsync("C00001", "Founded long ago", "1850-06-01 00:00:00");

        var read = await ReadAllAsync(TagKind.Client, 2, refresh: false);

        Assert.That(read.Select(r => r.Number).Take(2), Is.EqualTo(new[] { "C00001", "C10051" }));
    }

    [Test]
    public async Task NextPageAsync_NewCases_SkipsCasesOfBlockedClientsAndCasesWithoutLinks()
    {
        await _harness.Patrawin.ExecuteAsync("""
            INSERT INTO ARENDE_1 (Arendenr, Slagord, Skapatdat, Rowguid, Officeid, Electronic_file, Excludedfromiprcontrol, Outsourced)
            VALUES ('P9000XX00', 'No client link', '2024-09-01 10:00:00', 'x', 1, 0, 0, 0)
            """);

        var read = (await ReadAllAsync(TagKind.Case, 5, refresh: false)).Select(r => r.Number).ToList();

        Assert.That(read, Does.Not.Contain("P6000SE00").And.Not.Contain("P9000XX00"));
        Assert.That(read, Does.Contain("P8000SE00"), "any client link counts for a tag, as in the Java connector");
    }

    [Test]
    public async Task NextPageAsync_Refresh_IncludesBlockedFlagged()
    {
        var read = await ReadAllAsync(TagKind.Case, 4, refresh: true);

        Assert.That(read.Single(r => r.Number == "P6000SE00").Blocked, Is.True);
        Assert.That(read.Where(r => r.Number != "P6000SE00").Select(r => r.Blocked), Has.All.False);
        var clients = await ReadAllAsync(TagKind.Client, 4, refresh: true);
        Assert.That(clients.Single(r => r.Number == "C10050").Blocked, Is.True);
    }

    [Test]
    public async Task NextPageAsync_CaseLinkedToBlockedAndNormalClient_BlockedInRefreshButNewInSync()
    {
        await _harness.Patrawin.AddCaseAsync("P9100SE00", "Mixed", "2024-10-01 10:00:00");
        await _harness.Patrawin.ExecuteAsync("INSERT INTO KUND_ARENDE_25 (Kundtyp, Arendenr, Kundnr, Part) VALUES (1, 'P9100SE00', 'C10050', 2)");

        var refresh = await ReadAllAsync(TagKind.Case, 50, refresh: true);
        var sync = await ReadAllAsync(TagKind.Case, 50, refresh: false);

        Assert.That(refresh.Single(r => r.Number == "P9100SE00").Blocked, Is.True);
        Assert.That(sync.Select(r => r.Number), Does.Contain("P9100SE00"));
    }

    [Test]
    public async Task NextPageAsync_ClientSharingNumberWithCase_Flagged()
    {
        await _harness.Patrawin.AddCaseAsync("C10046", "A case numbered like a client", "2024-10-01 10:00:00");

        var clients = await ReadAllAsync(TagKind.Client, 3, refresh: false);

        Assert.That(clients.Single(r => r.Number == "C10046").SharesNumberWithCase, Is.True);
        Assert.That(clients.Where(r => r.Number != "C10046").Select(r => r.SharesNumberWithCase), Has.All.False);
    }

    private async Task<List<TagRow>> ReadAllAsync(TagKind kind, int pageSize, bool refresh)
    {
        var all = new List<TagRow>();
        var position = KeysetPosition.Start;
        while (true)
        {
            var page = await _queries.NextPageAsync(kind, position, pageSize, refresh, CancellationToken.None);
            Assert.That(page, Has.Count.LessThanOrEqualTo(pageSize));
            if (page.Count == 0)
            {
                return all;
            }
            all.AddRange(page);
            position = page[^1].Position;
        }
    }
}
