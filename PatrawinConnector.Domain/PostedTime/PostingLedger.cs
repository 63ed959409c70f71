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

    // The webhook's hot path: compiled once, so a post does not pay for LINQ translation and parameter extraction.
    private static readonly Func<ConnectorStateDbContext, string, CancellationToken, Task<PostingLedgerEntry?>> FindQuery =
        EF.CompileAsyncQuery((ConnectorStateDbContext db, string groupId, CancellationToken _) =>
            db.PostingLedger.AsNoTracking().FirstOrDefault(e => e.GroupId == groupId));

    public async Task<PostingLedgerEntry?> FindAsync(string groupId, CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        return await FindQuery(db, groupId, ct);
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
    /// Records that the group is about to be posted with this plan, before any Patrawin write: one statement, an INSERT
    /// on the first delivery and an UPDATE of the same row on a redelivery.
    /// </summary>
    /// <remarks>
    /// This and <see cref="CompleteAttemptAsync"/> are the webhook's hot path, so they are plain SQL: EF Core's
    /// ExecuteUpdate and change tracking cost more CPU per post than the Patrawin insert itself (docs/performance.md).
    /// </remarks>
    public async Task BeginAttemptAsync(PostingPlan plan, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var status = nameof(PostingStatus.InProgress);
        var userName = Truncate(plan.UserDisplayName);
        var author = Truncate(plan.Author);
        var tags = Truncate(string.Join(", ", plan.Tags));
        var startTimeUtc = plan.StartTime.UtcDateTime;
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO PostingLedger (GroupId, Status, Attempts, UserName, Author, Tags, ActivityCode, Minutes, StartTimeUtc,
                                           PendingTimeIds, Message, FirstReceivedAt, UpdatedAt, Fetched)
                VALUES ({plan.GroupId}, {status}, 1, {userName}, {author}, {tags}, {plan.ActivityCode}, {plan.Minutes}, {startTimeUtc},
                        NULL, NULL, {now}, {now}, 0)
                ON CONFLICT (GroupId) DO UPDATE SET
                    Status = excluded.Status, Attempts = Attempts + 1, UserName = excluded.UserName, Author = excluded.Author,
                    Tags = excluded.Tags, ActivityCode = excluded.ActivityCode, Minutes = excluded.Minutes,
                    StartTimeUtc = excluded.StartTimeUtc, PendingTimeIds = NULL, Message = NULL, UpdatedAt = excluded.UpdatedAt
                """, ct);
        }
    }

    /// <summary>Records the outcome of the attempt <see cref="BeginAttemptAsync"/> started: one UPDATE.</summary>
    public async Task CompleteAttemptAsync(string groupId, PostingStatus status, string message, IReadOnlyList<int>? pendingTimeIds, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ids = pendingTimeIds is { Count: > 0 } ? Truncate(string.Join(',', pendingTimeIds)) : null;
        var text = Truncate(message);
        var statusText = status.ToString();
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            await db.Database.ExecuteSqlAsync($"""
                UPDATE PostingLedger
                SET Status = {statusText}, Message = {text}, PendingTimeIds = COALESCE({ids}, PendingTimeIds), UpdatedAt = {now}
                WHERE GroupId = {groupId}
                """, ct);
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

    private static string? Truncate(string? text) => text is { Length: > MaxText } ? text[..MaxText] : text;
}
