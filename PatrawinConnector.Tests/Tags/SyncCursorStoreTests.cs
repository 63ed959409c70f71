using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.Tags;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Tags;

/// <summary>The cursor's plain UPDATE writes the columns exactly as EF writes them when it inserts a cursor.</summary>
public sealed class SyncCursorStoreTests
{
    private static readonly DateTime At = new DateTime(2024, 3, 1, 10, 15, 0).AddTicks(1_234_567);

    [Test]
    public async Task AdvanceAsync_PlainUpdate_SameTextAsEfAndReadsBack()
    {
        await using var harness = await DomainHarness.StartAsync();
        var store = harness.Services.GetRequiredService<SyncCursorStore>();

        await store.AdvanceAsync("inserted-by-ef", new KeysetPosition(At, "P1033SE00"), 3, CancellationToken.None);
        await store.AdvanceAsync("updated-by-sql", new KeysetPosition(new DateTime(2000, 1, 1), "A1"), 1, CancellationToken.None);
        await store.AdvanceAsync("updated-by-sql", new KeysetPosition(At, "P1033SE00"), 2, CancellationToken.None);

        var updated = await store.FindAsync("updated-by-sql", CancellationToken.None);
        Assert.That((updated!.CreatedAt, updated.Number, updated.PassDone), Is.EqualTo(((DateTime?)At, "P1033SE00", 3)));
        Assert.That(await store.PositionAsync("updated-by-sql", CancellationToken.None), Is.EqualTo(new KeysetPosition(At, "P1033SE00")));
        Assert.That(await ColumnsAsync(harness, "updated-by-sql"), Is.EqualTo(await ColumnsAsync(harness, "inserted-by-ef")));
        Assert.That(await UpdatedAtAsync(harness, "updated-by-sql"), Does.Match(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,7})?$"),
            "the time of the change in EF's own text form (trailing zeros of the fraction left out, as EF leaves them)");
    }

    [Test]
    public async Task AdvanceAsync_NumberWithQuotesAndNonAscii_StoredAsGiven()
    {
        await using var harness = await DomainHarness.StartAsync();
        var store = harness.Services.GetRequiredService<SyncCursorStore>();
        const string number = "Å'; DROP TABLE SyncCursors; --";

        await store.AdvanceAsync(SyncCursor.CaseSync, new KeysetPosition(At, "P1"), 1, CancellationToken.None);
        await store.AdvanceAsync(SyncCursor.CaseSync, new KeysetPosition(At, number), 1, CancellationToken.None);

        Assert.That((await store.FindAsync(SyncCursor.CaseSync, CancellationToken.None))!.Number, Is.EqualTo(number));
    }

    /// <summary>The stored text of the position's date and the type SQLite keeps both date columns as.</summary>
    private static async Task<string> ColumnsAsync(DomainHarness harness, string name)
    {
        await using var db = await harness.Services.GetRequiredService<IDbContextFactory<ConnectorStateDbContext>>().CreateDbContextAsync();
        return await db.Database.SqlQuery<string>(
            $"SELECT CreatedAt || ' ' || typeof(CreatedAt) || ' ' || typeof(UpdatedAt) AS Value FROM SyncCursors WHERE Name = {name}")
            .SingleAsync();
    }

    private static async Task<string> UpdatedAtAsync(DomainHarness harness, string name)
    {
        await using var db = await harness.Services.GetRequiredService<IDbContextFactory<ConnectorStateDbContext>>().CreateDbContextAsync();
        return await db.Database.SqlQuery<string>($"SELECT UpdatedAt AS Value FROM SyncCursors WHERE Name = {name}").SingleAsync();
    }
}
