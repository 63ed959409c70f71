using Microsoft.EntityFrameworkCore;

namespace PatrawinConnector.Domain.State;

/// <summary>What the ops dashboard shows from the state database: cursors, the posting ledger, sandbox calls.</summary>
public sealed class DashboardQueries(IDbContextFactory<ConnectorStateDbContext> state)
{
    public async Task<List<SyncCursor>> CursorsAsync(CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        return await db.SyncCursors.AsNoTracking().OrderBy(c => c.Name).ToListAsync(ct);
    }

    /// <summary>The newest ledger entries, optionally only those whose group id, user, tags or message contain <paramref name="search"/>.</summary>
    public async Task<List<PostingLedgerEntry>> PostingsAsync(string? search, int limit, CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        var entries = db.PostingLedger.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = $"%{search.Trim().Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)}%";
            entries = entries.Where(e => EF.Functions.Like(e.GroupId, pattern) || EF.Functions.Like(e.UserName!, pattern) ||
                                         EF.Functions.Like(e.Author!, pattern) || EF.Functions.Like(e.Tags!, pattern) ||
                                         EF.Functions.Like(e.Message!, pattern));
        }
        return await entries.OrderByDescending(e => e.UpdatedAt).Take(limit).ToListAsync(ct);
    }

    public async Task<List<SandboxWiseTimeCall>> SandboxCallsAsync(int limit, CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        return await db.SandboxWiseTimeCalls.AsNoTracking().OrderByDescending(c => c.Id).Take(limit).ToListAsync(ct);
    }
}
