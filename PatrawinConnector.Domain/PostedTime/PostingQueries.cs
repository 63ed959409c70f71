using Microsoft.EntityFrameworkCore;
using PatrawinConnector.Domain.Patrawin;

namespace PatrawinConnector.Domain.PostedTime;

/// <summary>
/// The Patrawin reads that posting needs. None is on the happy path: pw_PostTime checks everything itself, and these
/// run only to explain a refusal or to recognise an earlier, interrupted post. Each query is built by an internal
/// method so that the T-SQL it generates can be snapshotted.
/// </summary>
public sealed class PostingQueries(PatrawinDbContext patrawin)
{
    /// <summary>The tags that are neither a case number (ARENDE_1) nor a client number (KUND_24).</summary>
    public async Task<IReadOnlyList<string>> FindUnknownTagsAsync(IReadOnlyList<string> tags, CancellationToken ct)
    {
        var cases = await CaseNumbersAmong(patrawin, tags).ToListAsync(ct);
        var clients = await ClientNumbersAmong(patrawin, tags).ToListAsync(ct);
        var known = new HashSet<string>(cases.Concat(clients), StringComparer.OrdinalIgnoreCase);
        return tags.Where(t => !known.Contains(t)).ToList();
    }

    /// <summary>Whether some Patrawin user has this username or e-mail address, and whether one of them is active.</summary>
    public async Task<(bool Exists, bool Active)> DescribeUserAsync(string author, CancellationToken ct)
    {
        var states = await UserActivity(patrawin, author).ToListAsync(ct);
        return (states.Count > 0, states.Contains(true));
    }

    /// <summary>Whether the activity code exists in FAKTURATEXTNR_15 at all (active or not).</summary>
    public async Task<bool> ActivityCodeExistsAsync(int code, CancellationToken ct) =>
        code is >= short.MinValue and <= short.MaxValue && await ActivityCodeRows(patrawin, (short)code).AnyAsync(ct);

    /// <summary>
    /// The PENDING_TIME_335 rows an earlier attempt of this plan may have committed. PENDING_TIME_335 has no group id,
    /// so the rows are recognised by what the plan writes: the author's user, target, start, minutes, code and narrative
    /// (the caller also drops rows another ledger entry owns).
    /// </summary>
    public async Task<IReadOnlyList<int>> FindPostedRowsAsync(PostingPlan plan, CancellationToken ct) =>
        plan.ActivityCode is < short.MinValue or > short.MaxValue
            ? []
            : await PostedRows(patrawin, plan).ToListAsync(ct);

    internal static IQueryable<string> CaseNumbersAmong(PatrawinDbContext db, IReadOnlyList<string> tags) =>
        db.Cases.Where(c => tags.Contains(c.Number)).Select(c => c.Number);

    internal static IQueryable<string> ClientNumbersAmong(PatrawinDbContext db, IReadOnlyList<string> tags) =>
        db.Clients.Where(c => tags.Contains(c.Number)).Select(c => c.Number);

    internal static IQueryable<bool> UserActivity(PatrawinDbContext db, string author)
    {
        var upper = author.ToUpperInvariant();
        return db.Users
            .Where(u => u.Username.ToUpper() == upper || (u.Email != null && u.Email.ToUpper() == upper))
            .Select(u => u.IsActive);
    }

    internal static IQueryable<ActivityCode> ActivityCodeRows(PatrawinDbContext db, short code) =>
        db.ActivityCodes.Where(a => a.Code == code);

    internal static IQueryable<int> PostedRows(PatrawinDbContext db, PostingPlan plan)
    {
        var code = (short)plan.ActivityCode;
        var minutes = plan.Minutes;
        var narrative = plan.Narrative;
        var start = plan.StartTime.UtcDateTime;
        var tag = plan.Tags[0];
        var author = (plan.Author.Length > PostingPlanner.MaxAuthorLength ? plan.Author[..PostingPlanner.MaxAuthorLength] : plan.Author).ToUpperInvariant();
        return db.PendingTime
            .Where(p => db.Users.Any(u => u.Id == p.UserId && (u.Username.ToUpper() == author || (u.Email != null && u.Email.ToUpper() == author))))
            .Where(p => (p.CaseNumber == tag || (p.CaseNumber == null && p.ClientNumber == tag))
                        && p.StartTimeUtc == start
                        && p.Minutes == minutes
                        && p.ActivityCode == code
                        && p.Text == narrative)
            .Select(p => p.Id);
    }
}
