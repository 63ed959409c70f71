using Microsoft.EntityFrameworkCore;
using PatrawinConnector.Domain.State;

namespace PatrawinConnector.Domain.Tags;

/// <summary>The tag jobs' cursors in the state database. A cursor only moves after WiseTime accepted everything before it.</summary>
public sealed class SyncCursorStore(IDbContextFactory<ConnectorStateDbContext> state, StateWriteGate writeGate, TimeProvider clock)
{
    public async Task<SyncCursor?> FindAsync(string name, CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        return await db.SyncCursors.AsNoTracking().FirstOrDefaultAsync(c => c.Name == name, ct);
    }

    public async Task<KeysetPosition> PositionAsync(string name, CancellationToken ct) =>
        await FindAsync(name, ct) is { Number: { } number, CreatedAt: { } createdAt } ? new KeysetPosition(createdAt, number) : KeysetPosition.Start;

    /// <summary>
    /// Moves the cursor past <paramref name="position"/>, counting <paramref name="rows"/> more rows done in this pass:
    /// one plain UPDATE, a few hundred times a second in a first sync (ExecuteUpdate's expression tree cost more to look
    /// up in EF's query cache than the statement took to run).
    /// </summary>
    public async Task AdvanceAsync(string name, KeysetPosition position, int rows, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        int updated;
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            updated = await db.Database.ExecuteSqlAsync($"""
                UPDATE SyncCursors
                SET CreatedAt = {position.CreatedAt}, Number = {position.Number}, PassDone = PassDone + {rows}, UpdatedAt = {now}
                WHERE Name = {name}
                """, ct);
        }
        if (updated == 0)
        {
            await ChangeAsync(name, cursor =>
            {
                cursor.CreatedAt = position.CreatedAt;
                cursor.Number = position.Number;
                cursor.PassDone += rows;
            }, ct);
        }
    }

    /// <summary>A drain found nothing more: the pass's total becomes what was done (the total counted at its start is an upper bound).</summary>
    public async Task FinishPassAsync(string name, CancellationToken ct)
    {
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            await db.SyncCursors.Where(c => c.Name == name && c.PassTotal > c.PassDone)
                .ExecuteUpdateAsync(set => set.SetProperty(c => c.PassTotal, c => c.PassDone), ct);
        }
    }

    /// <summary>Starts a pass: the cursor at the beginning, with the number of rows the pass will go through (if known).</summary>
    public Task StartPassAsync(string name, int? total, CancellationToken ct) =>
        ChangeAsync(name, cursor =>
        {
            cursor.CreatedAt = null;
            cursor.Number = null;
            cursor.PassTotal = total;
            cursor.PassDone = 0;
            cursor.PassStartedAt = total is null ? null : clock.GetUtcNow().UtcDateTime;
        }, ct);

    private async Task ChangeAsync(string name, Action<SyncCursor> change, CancellationToken ct)
    {
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            var cursor = await db.SyncCursors.FirstOrDefaultAsync(c => c.Name == name, ct);
            if (cursor is null)
            {
                cursor = new SyncCursor { Name = name };
                db.SyncCursors.Add(cursor);
            }
            change(cursor);
            cursor.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
    }
}
