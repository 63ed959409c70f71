using Microsoft.EntityFrameworkCore;
using PatrawinConnector.Domain.State;

namespace PatrawinConnector.Domain.PostedTime;

/// <summary>
/// The posting ledger in the state database: one row per time group id, written before Patrawin is called
/// (the intent) and after (the outcome). It makes redelivery idempotent and feeds the dashboard.
/// </summary>
public sealed class PostingLedger(IDbContextFactory<ConnectorStateDbContext> state, StateWriteGate writeGate, TimeProvider clock)
{
    private const int MaxText = 4000;

    public async Task<PostingLedgerEntry?> FindAsync(string groupId, CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        return await db.PostingLedger.AsNoTracking().FirstOrDefaultAsync(e => e.GroupId == groupId, ct);
    }

    /// <summary>The PENDING_TIME_335 ids among <paramref name="ids"/> that no other group's ledger entry recorded as its own.</summary>
    public async Task<IReadOnlyList<int>> UnclaimedAsync(IReadOnlyList<int> ids, string groupId, CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        var unclaimed = new List<int>(ids.Count);
        foreach (var id in ids)
        {
            var marker = "," + id.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",";
            var claimed = await db.PostingLedger.AnyAsync(
                e => e.GroupId != groupId && e.PendingTimeIds != null && ("," + e.PendingTimeIds + ",").Contains(marker), ct);
            if (!claimed)
            {
                unclaimed.Add(id);
            }
        }
        return unclaimed;
    }

    /// <summary>
    /// Records that the group is about to be posted with this plan, before any Patrawin write. A first delivery is
    /// one INSERT; a redelivery one UPDATE.
    /// </summary>
    public async Task BeginAttemptAsync(PostingPlan plan, bool isFirstDelivery, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            if (isFirstDelivery)
            {
                var entry = new PostingLedgerEntry { GroupId = plan.GroupId, FirstReceivedAt = now, UpdatedAt = now, Status = PostingStatus.InProgress, Attempts = 1 };
                Describe(entry, plan);
                db.PostingLedger.Add(entry);
                await db.SaveChangesAsync(ct);
                return;
            }

            await db.PostingLedger.Where(e => e.GroupId == plan.GroupId).ExecuteUpdateAsync(set => set
                .SetProperty(e => e.Status, PostingStatus.InProgress)
                .SetProperty(e => e.Attempts, e => e.Attempts + 1)
                .SetProperty(e => e.UserName, Truncate(plan.UserDisplayName))
                .SetProperty(e => e.Author, Truncate(plan.Author))
                .SetProperty(e => e.Tags, Truncate(string.Join(", ", plan.Tags)))
                .SetProperty(e => e.ActivityCode, plan.ActivityCode)
                .SetProperty(e => e.Minutes, plan.Minutes)
                .SetProperty(e => e.StartTimeUtc, plan.StartTime.UtcDateTime)
                .SetProperty(e => e.Message, (string?)null)
                .SetProperty(e => e.PendingTimeIds, (string?)null)
                .SetProperty(e => e.UpdatedAt, now), ct);
        }
    }

    /// <summary>Records the outcome of the attempt <see cref="BeginAttemptAsync"/> started: one UPDATE.</summary>
    public async Task CompleteAttemptAsync(string groupId, PostingStatus status, string message, IReadOnlyList<int>? pendingTimeIds, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ids = pendingTimeIds is { Count: > 0 } ? Truncate(string.Join(',', pendingTimeIds)) : null;
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            await db.PostingLedger.Where(e => e.GroupId == groupId).ExecuteUpdateAsync(set => set
                .SetProperty(e => e.Status, status)
                .SetProperty(e => e.Message, Truncate(message))
                .SetProperty(e => e.PendingTimeIds, e => ids ?? e.PendingTimeIds)
                .SetProperty(e => e.UpdatedAt, now), ct);
        }
    }

    /// <summary>Records a delivery that was answered without calling pw_PostTime (refused, or nothing to post).</summary>
    public Task RecordWithoutAttemptAsync(string groupId, PostingStatus status, string message, string? userName, CancellationToken ct) =>
        UpsertAsync(groupId, entry =>
        {
            entry.Attempts++;
            entry.Status = status;
            entry.Message = Truncate(message);
            entry.UserName ??= Truncate(userName);
        }, ct);

    /// <summary>A fetched group's outcome has to be reported to WiseTime (until <see cref="MarkStatusReportedAsync"/>).</summary>
    public async Task MarkStatusToReportAsync(string groupId, CancellationToken ct)
    {
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            await db.PostingLedger.Where(e => e.GroupId == groupId).ExecuteUpdateAsync(set => set
                .SetProperty(e => e.Fetched, true)
                .SetProperty(e => e.StatusReportedAt, (DateTime?)null), ct);
        }
    }

    public async Task MarkStatusReportedAsync(string groupId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            await db.PostingLedger.Where(e => e.GroupId == groupId).ExecuteUpdateAsync(set => set.SetProperty(e => e.StatusReportedAt, now), ct);
        }
    }

    /// <summary>Fetched groups whose final outcome WiseTime has not been told yet (a status update failed, or the connector stopped).</summary>
    public async Task<List<PostingLedgerEntry>> StatusesToReportAsync(int limit, CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        return await db.PostingLedger.AsNoTracking()
            .Where(e => e.Fetched && e.StatusReportedAt == null && e.Status != PostingStatus.InProgress)
            .OrderBy(e => e.UpdatedAt).Take(limit).ToListAsync(ct);
    }

    private async Task UpsertAsync(string groupId, Action<PostingLedgerEntry> change, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            var entry = await db.PostingLedger.FirstOrDefaultAsync(e => e.GroupId == groupId, ct);
            if (entry is null)
            {
                entry = new PostingLedgerEntry { GroupId = groupId, FirstReceivedAt = now };
                db.PostingLedger.Add(entry);
            }
            change(entry);
            entry.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
        }
    }

    private static void Describe(PostingLedgerEntry entry, PostingPlan plan)
    {
        entry.UserName = Truncate(plan.UserDisplayName);
        entry.Author = Truncate(plan.Author);
        entry.Tags = Truncate(string.Join(", ", plan.Tags));
        entry.ActivityCode = plan.ActivityCode;
        entry.Minutes = plan.Minutes;
        entry.StartTimeUtc = plan.StartTime.UtcDateTime;
    }

    private static string? Truncate(string? text) => text is { Length: > MaxText } ? text[..MaxText] : text;
}
