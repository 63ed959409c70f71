using Microsoft.Extensions.DependencyInjection;
using PatrawinConnector.Domain.ActivityTypes;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.Tags;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Tds;

/// <summary>
/// tag-sync, tag-refresh and activity-type-sync on the TDS Patrawin, through EF Core's SQL Server provider and SqlClient.
/// Each job's WiseTime calls are checked against an oracle query on the server, and against the same job run on the
/// SQLite sandbox holding the same rows: the two providers must send the very same calls.
/// </summary>
[NonParallelizable]
public sealed class TdsSyncJobsTests
{
    /// <summary>Rows beyond the demo firm: undated, 1900-01-01, same-minute, unlinked, agent-only and blocked ones.</summary>
    private static readonly (string Number, string? Catchword, string? Created, string Client, int ClientType)[] ExtraCases =
    [
        ("U0001SE00", "Undated one", null, "C10045", 2),
        ("U0000SE00", "Undated zero", null, "C10046", 2),
        ("E1900SE00", "Dated the first of 1900", "1900-01-01 00:00:00", "C10045", 2),
        ("S0003SE00", "Same minute, third", "2024-05-05 12:00:00", "C10045", 2),
        ("S0001SE00", "Same minute, first", "2024-05-05 12:00:00", "C10045", 2),
        ("S0002SE00", "Same minute, second", "2024-05-05 12:00:00", "C10048", 2),
        ("B0001SE00", "A case of the blocked client", "2024-05-06 09:00:00", "C10050", 2),
        ("A0001SE00", "Agent-only link", "2024-05-07 09:00:00", "C10049", 1),
        ("Z0001SE00", "Ärende med åäö – 日本語", "2025-01-01 00:00:00", "C10047", 2),
    ];

    private static readonly (string Number, string ShortName, string? Created, string? Credit)[] ExtraClients =
    [
        ("C20001", "Undated client", null, "A"),
        ("C20002", "Blocked later", "2025-02-02 10:00:00", "B"),
        ("C20003", "Same minute client", "2022-02-17 16:55:00", "A"),
        ("C20004", "No credit level", "2025-03-03 10:00:00", "X"),
    ];

    private static TdsPatrawin Patrawin => TdsSuite.Patrawin;

    [SetUp]
    public async Task FreshPatrawin()
    {
        await Patrawin.ReseedAsync();
        foreach (var (number, catchword, created, client, type) in ExtraCases)
        {
            await AddCaseAsync(number, catchword, created, client, type);
        }
        foreach (var (number, shortName, created, credit) in ExtraClients)
        {
            await Patrawin.ExecuteAsync("""
                INSERT INTO dbo.KUND_24 (Kundnr, Kortnamnkund, Skapatdat, Kreditjn, Inaktivjn, Valutakod, Landkod, Sprakkod, Rowguid,
                    Einvoicetype, Xmlinvoicetypeid, Einvoiceaccent, Enableipforecaster, Automatfakturajn, Usebasicoutsourcingsurcharge, IsAgentInFile)
                VALUES (@p1, @p2, @p3, @p4, 0, 'SEK', 'SE', 'E', NEWID(), 0, 0, 0, 0, 'N', 0, 0)
                """, number, shortName, created, credit);
        }
        await Patrawin.ExecuteAsync("""
            INSERT INTO dbo.ARENDE_1 (Arendenr, Slagord, Skapatdat, Rowguid, Officeid, Electronic_file, Excludedfromiprcontrol, Outsourced)
            VALUES ('N0001SE00', 'No client link at all', '2024-05-08 09:00:00', NEWID(), 1, 0, 0, 0)
            """);
    }

    [Test]
    public async Task TagSync_FirstRun_EveryEligibleCaseThenClientOnceInTheServersOrderAsOnSqlite()
    {
        await using var tds = await StartOnTdsAsync();

        var summary = await RunTagSyncAsync(tds);

        var (cases, clients) = (await ExpectedNewCasesAsync(), await ExpectedNewClientsAsync());
        var expected = cases.Concat(clients).ToList();
        Assert.That(tds.WiseTime.UpsertedNames.Where(cases.Contains), Is.EqualTo(cases));
        Assert.That(tds.WiseTime.UpsertedNames.Where(clients.Contains), Is.EqualTo(clients));
        Assert.That(tds.WiseTime.UpsertedNames.Count(), Is.EqualTo(expected.Count));
        Assert.That(expected, Does.Contain("U0000SE00").And.Contain("E1900SE00").And.Contain("S0002SE00").And.Contain("A0001SE00").And.Contain("C20001"));
        Assert.That(expected, Does.Not.Contain("B0001SE00").And.Not.Contain("N0001SE00").And.Not.Contain("C20002").And.Not.Contain("C20004"));
        Assert.That(summary.Upserted, Is.EqualTo(expected.Count));
        Assert.That(tds.WiseTime.UpsertedBatches.Select(b => b.Count), Has.All.LessThanOrEqualTo(3));
        await using var sqlite = await StartOnSqliteAsync();
        await RunTagSyncAsync(sqlite);
        // Cases and clients are drained side by side: each kind's batches in its own order.
        Assert.That(Batches(tds, of: cases), Is.EqualTo(Batches(sqlite, of: cases)));
        Assert.That(Batches(tds, of: clients), Is.EqualTo(Batches(sqlite, of: clients)));
    }

    [Test]
    public async Task TagSync_LaterRuns_NothingTwiceThenOnlyTheNewCases()
    {
        await using var tds = await StartOnTdsAsync();
        await RunTagSyncAsync(tds);
        var sent = tds.WiseTime.UpsertedBatches.Count;

        var idle = await RunTagSyncAsync(tds);
        await AddCaseAsync("P9001SE00", "New, later than all", "2030-01-01 10:00:00", "C10045", 2);
        await AddCaseAsync("P9003SE00", "New, same minute, higher number", "2030-01-01 10:00:00", "C10046", 2);
        await AddCaseAsync("P9002SE00", "New, a minute later", "2030-01-01 10:01:00", "C10049", 2);
        tds.WiseTime.UpsertedBatches.Clear();
        var incremental = await RunTagSyncAsync(tds);

        Assert.That(idle.Upserted, Is.Zero);
        Assert.That(sent, Is.GreaterThan(0));
        Assert.That(tds.WiseTime.UpsertedNames, Is.EqualTo(new[] { "P9001SE00", "P9003SE00", "P9002SE00" }));
        Assert.That(incremental.Upserted, Is.EqualTo(3));
    }

    [Test]
    public async Task TagRefresh_FullPass_UpsertsEligibleDeletesBlockedThenStartsOverAsOnSqlite()
    {
        await using var tds = await StartOnTdsAsync();
        await using var sqlite = await StartOnSqliteAsync();

        for (var run = 0; run < 10; run++)   // batches of 10 (the minimum): one whole pass over cases and clients
        {
            await RunTagRefreshAsync(tds);
            await RunTagRefreshAsync(sqlite);
        }

        Assert.That(tds.WiseTime.DeletedTags, Is.SupersetOf(new[] { "P6000SE00", "B0001SE00", "C10050", "C20002" }));
        Assert.That(tds.WiseTime.UpsertedNames, Is.SupersetOf(await ExpectedNewCasesAsync()).And.SupersetOf(await ExpectedNewClientsAsync()));
        Assert.That(tds.WiseTime.UpsertedNames, Does.Not.Contain("N0001SE00").And.Not.Contain("C20004").And.Not.Contain("B0001SE00"));
        Assert.That(Batches(tds), Is.EqualTo(Batches(sqlite)));
        Assert.That(tds.WiseTime.DeletedTags, Is.EqualTo(sqlite.WiseTime.DeletedTags));
    }

    [Test]
    public async Task ActivityTypeSync_FirstRunThenNothingChanged_SameCallsAsOnSqlite()
    {
        await using var tds = await StartOnTdsAsync();
        await using var sqlite = await StartOnSqliteAsync();

        var first = await RunActivityTypeSyncAsync(tds);
        await RunActivityTypeSyncAsync(sqlite);
        var second = await RunActivityTypeSyncAsync(tds);

        Assert.That(first.Sent, Is.True);
        Assert.That(second.Sent, Is.False);
        var batch = tds.WiseTime.ActivityTypeBatches.Single();
        Assert.That(batch.ActivityTypes.Select(t => (t.Code, t.Label)), Is.EqualTo(new[]
        {
            ("100", "Meeting"), ("110", "Research"), ("120", "Drafting"), ("130", "Correspondence"), ("140", "Telephone"), ("150", "Filing"),
        }));
        Assert.That(batch.ActivityTypes, Is.EqualTo(sqlite.WiseTime.ActivityTypeBatches.Single().ActivityTypes));
    }

    private static Task<DomainHarness> StartOnTdsAsync() => DomainHarness.StartAsync(
        configure: o => o.TagUpsertBatchSize = 3,
        patrawin: o =>
        {
            o.JdbcUrl = TdsPatrawin.JdbcUrl;
            o.DbUser = TdsPatrawin.User;
            o.DbPassword = TdsPatrawin.Password;
        });

    /// <summary>The sandbox with the same extra rows as the TDS Patrawin.</summary>
    private static async Task<DomainHarness> StartOnSqliteAsync()
    {
        var harness = await DomainHarness.StartAsync(configure: o => o.TagUpsertBatchSize = 3);
        foreach (var (number, catchword, created, client, type) in ExtraCases)
        {
            await harness.Patrawin.AddCaseAsync(number, catchword, created, client, type);
        }
        foreach (var (number, shortName, created, credit) in ExtraClients)
        {
            await harness.Patrawin.AddClientAsync(number, shortName, created, credit);
        }
        await harness.Patrawin.ExecuteAsync("""
            INSERT INTO ARENDE_1 (Arendenr, Slagord, Skapatdat, Rowguid, Officeid, Electronic_file, Excludedfromiprcontrol, Outsourced)
            VALUES ('N0001SE00', 'No client link at all', '2024-05-08 09:00:00', 'x', 1, 0, 0, 0)
            """);
        return harness;
    }

    private static Task AddCaseAsync(string number, string? catchword, string? created, string client, int clientType) =>
        Patrawin.ExecuteAsync("""
            INSERT INTO dbo.ARENDE_1 (Arendenr, Slagord, Skapatdat, Rowguid, Officeid, Electronic_file, Excludedfromiprcontrol, Outsourced)
            VALUES (@p1, @p2, @p3, NEWID(), 1, 0, 0, 0);
            INSERT INTO dbo.KUND_ARENDE_25 (Kundtyp, Arendenr, Kundnr, Part) VALUES (@p5, @p1, @p4, 1);
            """, number, catchword, created, client, clientType);

    /// <summary>The oracle, in T-SQL: what tag-sync should send, in the server's own order.</summary>
    private static Task<List<string>> ExpectedNewCasesAsync() => Patrawin.StringsAsync("""
        SELECT a.Arendenr FROM dbo.ARENDE_1 a
        WHERE EXISTS (SELECT 1 FROM dbo.KUND_ARENDE_25 l JOIN dbo.KUND_24 k ON k.Kundnr = l.Kundnr
                      JOIN dbo.CREDIT_LEVEL_334 c ON c.Creditcode = k.Kreditjn
                      WHERE l.Arendenr = a.Arendenr AND c.[Type] <> 2)
        ORDER BY COALESCE(a.Skapatdat, '1900-01-01T00:00:00'), a.Arendenr
        """);

    private static Task<List<string>> ExpectedNewClientsAsync() => Patrawin.StringsAsync("""
        SELECT k.Kundnr FROM dbo.KUND_24 k JOIN dbo.CREDIT_LEVEL_334 c ON c.Creditcode = k.Kreditjn
        WHERE c.[Type] <> 2
        ORDER BY COALESCE(k.Skapatdat, '1900-01-01T00:00:00'), k.Kundnr
        """);

    /// <summary>Every batch sent, as text, in order; or only the batches of one kind, those that start with a name <paramref name="of"/> holds.</summary>
    private static List<string> Batches(DomainHarness harness, List<string>? of = null) =>
        [.. harness.WiseTime.UpsertedBatches.Where(b => of is null || of.Contains(b[0].Name))
            .Select(b => string.Join(" | ", b.Select(t => $"{t.Name} {t.Description} {t.Path} {string.Join(",", t.AdditionalKeywords ?? [])}")))];

    private static async Task<TagRunSummary> RunTagSyncAsync(DomainHarness harness)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TagSyncService>().RunAsync(CancellationToken.None);
    }

    private static async Task RunTagRefreshAsync(DomainHarness harness)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TagRefreshService>().RunAsync(CancellationToken.None);
    }

    private static async Task<ActivityTypeSyncSummary> RunActivityTypeSyncAsync(DomainHarness harness)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ActivityTypeSyncService>().RunAsync(CancellationToken.None);
    }
}
