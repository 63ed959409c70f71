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

    /// <summary>Records that the group is about to be posted with this plan (before any Patrawin write).</summary>
    public Task BeginAttemptAsync(PostingPlan plan, CancellationToken ct) =>
        UpsertAsync(plan.GroupId, entry =>
        {
            entry.Status = PostingStatus.InProgress;
            entry.Attempts++;
            Describe(entry, plan);
            entry.Message = null;
            entry.PendingTimeIds = null;
        }, ct);

    /// <summary>Records the outcome of the attempt <see cref="BeginAttemptAsync"/> started.</summary>
    public Task CompleteAttemptAsync(string groupId, PostingStatus status, string message, IReadOnlyList<int>? pendingTimeIds, CancellationToken ct) =>
        UpsertAsync(groupId, entry =>
        {
            entry.Status = status;
            entry.Message = Truncate(message);
            if (pendingTimeIds is { Count: > 0 })
            {
                entry.PendingTimeIds = Truncate(string.Join(',', pendingTimeIds));
            }
        }, ct);

    /// <summary>Records a delivery that was answered without calling pw_PostTime (refused, or nothing to post).</summary>
    public Task RecordWithoutAttemptAsync(string groupId, PostingStatus status, string message, string? userName, CancellationToken ct) =>
        UpsertAsync(groupId, entry =>
        {
            entry.Attempts++;
            entry.Status = status;
            entry.Message = Truncate(message);
            entry.UserName ??= Truncate(userName);
        }, ct);

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
