using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PatrawinConnector.Domain.State;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>
/// The external hours part of the state database (external-hours.md e.2): the ledger rows, the sync state and the mappings,
/// read without tracking and written under the state write gate, each change in its own transaction.
/// </summary>
public sealed class ExternalHoursLedger(IDbContextFactory<ConnectorStateDbContext> state, StateWriteGate writeGate)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Snapshot(KimaiTimesheet entry) => JsonSerializer.Serialize(entry, Json);

    public async Task<ExternalHoursSyncState> LoadSyncStateAsync(CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        return await db.ExternalHoursSync.AsNoTracking().FirstOrDefaultAsync(s => s.Id == ExternalHoursSyncState.SingletonId, ct) ?? new ExternalHoursSyncState();
    }

    public async Task SaveSyncStateAsync(Action<ExternalHoursSyncState> change, CancellationToken ct)
    {
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            var row = await db.ExternalHoursSync.FirstOrDefaultAsync(s => s.Id == ExternalHoursSyncState.SingletonId, ct);
            if (row is null)
            {
                row = new ExternalHoursSyncState();
                db.ExternalHoursSync.Add(row);
            }
            change(row);
            await db.SaveChangesAsync(ct);
        }
    }

    public async Task<Dictionary<int, ExternalHoursMapping>> LoadMappingsAsync(CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        return await db.ExternalHoursMappings.AsNoTracking().ToDictionaryAsync(m => m.KimaiProjectId, ct);
    }

    /// <summary>Back-fills done; a mapping changed again while this run went on (a newer UpdatedAt) keeps its mark for the next run.</summary>
    public async Task ClearNeedsApplyAsync(IEnumerable<ExternalHoursMapping> applied, CancellationToken ct)
    {
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            foreach (var mapping in applied)
            {
                await db.ExternalHoursMappings.Where(m => m.KimaiProjectId == mapping.KimaiProjectId && m.UpdatedAt == mapping.UpdatedAt)
                    .ExecuteUpdateAsync(set => set.SetProperty(m => m.NeedsApply, false), ct);
            }
        }
    }

    public async Task<List<int>> DueRetriesAsync(DateTime now, CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        return await db.ExternalHoursEntries
            .Where(e => (e.State == ExternalHoursEntryState.Failed || e.State == ExternalHoursEntryState.Pending) && (e.NextAttemptAt == null || e.NextAttemptAt <= now))
            .Select(e => e.KimaiTimesheetId).ToListAsync(ct);
    }

    /// <summary>
    /// Every entry of a project as the ledger last saw it, whatever its start and state: what a mapping added or re-pointed
    /// re-applies (e.6), so entries before SYNC_FROM and entries recorded while unmapped follow the mapping too.
    /// </summary>
    public async Task<List<KimaiTimesheet>> SnapshotsOfProjectAsync(int project, CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        var snapshots = await db.ExternalHoursEntries.AsNoTracking().Where(e => e.KimaiProjectId == project && e.Snapshot != null)
            .OrderBy(e => e.KimaiTimesheetId).Select(e => e.Snapshot!).ToListAsync(ct);
        return [.. snapshots.Select(s => JsonSerializer.Deserialize<KimaiTimesheet>(s, Json)).OfType<KimaiTimesheet>()];
    }

    /// <summary>The ledger's ids of the window (detached rows left out), and the highest id it holds.</summary>
    public async Task<LedgerIds> IdsFromAsync(DateTime windowStartUtc, CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        var inWindow = await db.ExternalHoursEntries.Where(e => e.BeginUtc >= windowStartUtc && e.State != ExternalHoursEntryState.Detached)
            .Select(e => e.KimaiTimesheetId).ToListAsync(ct);
        return new LedgerIds(inWindow, await db.ExternalHoursEntries.MaxAsync(e => (int?)e.KimaiTimesheetId, ct));
    }

    /// <summary>The earliest entry start the ledger holds (the full reconciliation's window), or null when it is empty.</summary>
    public async Task<DateTime?> EarliestBeginAsync(CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        return await db.ExternalHoursEntries.MinAsync(e => (DateTime?)e.BeginUtc, ct);
    }

    public async Task<ExternalHoursEntry?> FindEntryAsync(int id, CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        return await db.ExternalHoursEntries.AsNoTracking().FirstOrDefaultAsync(e => e.KimaiTimesheetId == id, ct);
    }

    /// <summary>Of these ids, those whose ledger row knows no activity yet (or that have no row).</summary>
    public async Task<List<int>> WithoutActivityAsync(IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        var unknown = new List<int>();
        await using var db = await state.CreateDbContextAsync(ct);
        foreach (var chunk in ids.Chunk(500))
        {
            var known = await db.ExternalHoursEntries.Where(e => chunk.Contains(e.KimaiTimesheetId) && e.CivicrmActivityId != null)
                .Select(e => e.KimaiTimesheetId).ToListAsync(ct);
            unknown.AddRange(chunk.Except(known));
        }
        return unknown;
    }

    public async Task DropEntryAsync(int id, CancellationToken ct)
    {
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            await db.ExternalHoursEntries.Where(e => e.KimaiTimesheetId == id).ExecuteDeleteAsync(ct);
        }
    }

    public Task SaveEntryAsync(int id, Action<ExternalHoursEntry> change, CancellationToken ct) => SaveEntriesAsync([new LedgerChange(id, change)], ct);

    /// <summary>Changes ledger rows (made when missing) in one transaction.</summary>
    public async Task SaveEntriesAsync(IReadOnlyList<LedgerChange> changes, CancellationToken ct)
    {
        var ids = changes.Select(c => c.KimaiTimesheetId).Distinct().ToList();
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            var rows = await db.ExternalHoursEntries.Where(e => ids.Contains(e.KimaiTimesheetId)).ToDictionaryAsync(e => e.KimaiTimesheetId, ct);
            foreach (var (id, change) in changes)
            {
                if (!rows.TryGetValue(id, out var row))
                {
                    rows[id] = row = new ExternalHoursEntry { KimaiTimesheetId = id };
                    db.ExternalHoursEntries.Add(row);
                }
                change(row);
            }
            await db.SaveChangesAsync(ct);
        }
    }
}
