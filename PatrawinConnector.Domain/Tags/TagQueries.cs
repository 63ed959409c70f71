using Microsoft.EntityFrameworkCore;
using PatrawinConnector.Domain.Patrawin;

namespace PatrawinConnector.Domain.Tags;

/// <summary>
/// Keyset pages of cases and clients in (created, number) order. No OFFSET: each page starts where the last one
/// ended, so its cost stays flat however far the cursor has moved. NULL creation dates (sorting as 1900-01-01) are
/// their own leading segment, so every predicate stays sargable on an index over (Skapatdat, number). Each query is
/// built by an internal method so that its T-SQL can be snapshotted.
/// </summary>
public sealed class TagQueries(PatrawinDbContext db)
{
    /// <summary>The next page after <paramref name="after"/>. <paramref name="refresh"/>: every case or client with a credit level, blocked ones flagged; otherwise only non-blocked ones (new tags).</summary>
    public async Task<List<TagRow>> NextPageAsync(TagKind kind, KeysetPosition after, int take, bool refresh, CancellationToken ct)
    {
        var rows = new List<TagRow>(take);
        if (after.InUndatedSegment)
        {
            var anyEarly = kind == TagKind.Case
                ? await db.Cases.AnyAsync(c => c.CreatedAt <= KeysetPosition.MinCreated, ct)
                : await db.Clients.AnyAsync(k => k.CreatedAt <= KeysetPosition.MinCreated, ct);
            rows.AddRange(await Undated(db, kind, after.Number, refresh, take, anyEarly).ToListAsync(ct));
            if (rows.Count < take)
            {
                rows.AddRange(await Dated(db, kind, KeysetPosition.MinCreated, null, refresh).Take(take - rows.Count).ToListAsync(ct));
            }
        }
        else
        {
            rows.AddRange(await Dated(db, kind, after.CreatedAt, after.Number, refresh).Take(take).ToListAsync(ct));
        }

        if (kind == TagKind.Client && rows.Count > 0)
        {
            var numbers = rows.Select(r => r.Number).ToList();
            var caseNumbers = await CaseNumbersAmong(db, numbers).ToListAsync(ct);
            if (caseNumbers.Count > 0)
            {
                var shared = new HashSet<string>(caseNumbers, StringComparer.OrdinalIgnoreCase);
                rows = rows.Select(r => shared.Contains(r.Number) ? r with { SharesNumberWithCase = true } : r).ToList();
            }
        }
        return rows;
    }

    /// <summary>All rows of the table (the refresh pass's size, as the Java connector counted it).</summary>
    public Task<int> CountAsync(TagKind kind, CancellationToken ct) =>
        kind == TagKind.Case ? db.Cases.CountAsync(ct) : db.Clients.CountAsync(ct);

    /// <summary>
    /// Rows without a date, or dated 1900-01-01 or earlier, after <paramref name="number"/>, by number. (KUND_24's datetime
    /// can hold dates before 1900, which the Java connector never synced.)
    /// </summary>
    /// <remarks>
    /// NULL dates are one index-seekable range. Dates on or before 1900-01-01 are almost never there (ARENDE_1's
    /// smalldatetime cannot even hold earlier ones), so they are merged in by number only when an indexed check finds
    /// any: an OR of both would make the database walk the number index instead.
    /// </remarks>
    internal static IQueryable<TagRow> Undated(PatrawinDbContext db, TagKind kind, string? number, bool refresh, int take, bool includeEarly)
    {
        var min = KeysetPosition.MinCreated;
        if (kind == TagKind.Case)
        {
            var cases = Eligible(db, refresh);
            if (number is not null)
            {
                cases = cases.Where(c => string.Compare(c.Number, number) > 0);
            }
            var withoutDate = cases.Where(c => c.CreatedAt == null).OrderBy(c => c.Number).Take(take);
            var early = cases.Where(c => c.CreatedAt <= min).OrderBy(c => c.Number).Take(take);
            return ProjectCases(db, includeEarly ? withoutDate.Concat(early).OrderBy(c => c.Number).Take(take) : withoutDate, refresh);
        }

        var clients = EligibleClients(db, refresh);
        if (number is not null)
        {
            clients = clients.Where(k => string.Compare(k.Number, number) > 0);
        }
        var clientsWithoutDate = clients.Where(k => k.CreatedAt == null).OrderBy(k => k.Number).Take(take);
        var earlyClients = clients.Where(k => k.CreatedAt <= min).OrderBy(k => k.Number).Take(take);
        return ProjectClients(db, includeEarly ? clientsWithoutDate.Concat(earlyClients).OrderBy(k => k.Number).Take(take) : clientsWithoutDate, refresh);
    }

    /// <summary>Dated rows after (created, number): created &gt;= T and (created &gt; T or number &gt; N), by created then number.</summary>
    internal static IQueryable<TagRow> Dated(PatrawinDbContext db, TagKind kind, DateTime createdAt, string? number, bool refresh)
    {
        if (kind == TagKind.Case)
        {
            var cases = number is null
                ? Eligible(db, refresh).Where(c => c.CreatedAt > createdAt)
                : Eligible(db, refresh).Where(c => c.CreatedAt >= createdAt && (c.CreatedAt > createdAt || string.Compare(c.Number, number) > 0));
            return ProjectCases(db, cases.OrderBy(c => c.CreatedAt).ThenBy(c => c.Number), refresh);
        }

        var clients = number is null
            ? EligibleClients(db, refresh).Where(k => k.CreatedAt > createdAt)
            : EligibleClients(db, refresh).Where(k => k.CreatedAt >= createdAt && (k.CreatedAt > createdAt || string.Compare(k.Number, number) > 0));
        return ProjectClients(db, clients.OrderBy(k => k.CreatedAt).ThenBy(k => k.Number), refresh);
    }

    /// <summary>Numbers among <paramref name="numbers"/> that are cases with a tag of their own (linked to a non-blocked client).</summary>
    internal static IQueryable<string> CaseNumbersAmong(PatrawinDbContext db, IReadOnlyList<string> numbers) =>
        Eligible(db, refresh: false).Where(c => numbers.Contains(c.Number)).Select(c => c.Number);

    /// <summary>Cases linked to a client with a credit level: any level for the refresh, a non-blocked one for new tags.</summary>
    private static IQueryable<PatrawinCase> Eligible(PatrawinDbContext db, bool refresh) =>
        refresh
            ? db.Cases.Where(c => db.CaseClientLinks.Any(l => l.CaseNumber == c.Number &&
                db.Clients.Any(k => k.Number == l.ClientNumber && db.CreditLevels.Any(cl => cl.Code == k.CreditCode))))
            : db.Cases.Where(c => db.CaseClientLinks.Any(l => l.CaseNumber == c.Number &&
                db.Clients.Any(k => k.Number == l.ClientNumber && db.CreditLevels.Any(cl => cl.Code == k.CreditCode && cl.Type != CreditLevel.BlockedType))));

    private static IQueryable<PatrawinClient> EligibleClients(PatrawinDbContext db, bool refresh) =>
        refresh
            ? db.Clients.Where(k => db.CreditLevels.Any(cl => cl.Code == k.CreditCode))
            : db.Clients.Where(k => db.CreditLevels.Any(cl => cl.Code == k.CreditCode && cl.Type != CreditLevel.BlockedType));

    private static IQueryable<TagRow> ProjectCases(PatrawinDbContext db, IQueryable<PatrawinCase> cases, bool refresh) =>
        refresh
            ? cases.Select(c => new TagRow(c.Number, c.Catchword, c.CreatedAt,
                db.CaseClientLinks.Any(l => l.CaseNumber == c.Number &&
                    db.Clients.Any(k => k.Number == l.ClientNumber && db.CreditLevels.Any(cl => cl.Code == k.CreditCode && cl.Type == CreditLevel.BlockedType))),
                false))
            : cases.Select(c => new TagRow(c.Number, c.Catchword, c.CreatedAt, false, false));

    private static IQueryable<TagRow> ProjectClients(PatrawinDbContext db, IQueryable<PatrawinClient> clients, bool refresh) =>
        refresh
            ? clients.Select(k => new TagRow(k.Number, k.ShortName, k.CreatedAt,
                db.CreditLevels.Any(cl => cl.Code == k.CreditCode && cl.Type == CreditLevel.BlockedType), false))
            : clients.Select(k => new TagRow(k.Number, k.ShortName, k.CreatedAt, false, false));
}
