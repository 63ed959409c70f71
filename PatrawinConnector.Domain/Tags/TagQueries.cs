using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using PatrawinConnector.Domain.Patrawin;

namespace PatrawinConnector.Domain.Tags;

/// <summary>
/// Cases and clients in keyset order: (created, number), where a NULL creation date, or one on or before 1900-01-01,
/// counts as 1900-01-01, so that those rows come first, by number. Patrawin has no index on the creation date and the
/// connector adds none, so every read in that order is one scan and sort of the table: the sync therefore reads
/// each run as one ordered stream (<see cref="NewAfterAsync"/>) instead of one query per page, and which cases have
/// a non-blocked (or a blocked) client is resolved once per statement as a set, never per row (ADR-013). Each query
/// is built by an internal method so that its T-SQL can be snapshotted.
/// </summary>
public sealed class TagQueries(PatrawinDbContext db)
{
    /// <summary>
    /// Up to this many rows after a cursor, a run reads them as one window and resolves the client links of those rows
    /// only; beyond it (and from the start), it streams the whole ordered set. The window's numbers are one parameter
    /// each: 2,000 stays under SQL Server's 2,100 parameters, under EF Core's switch to OPENJSON (which a database at a
    /// compatibility level below 130 lacks) and far under the 32,766 variables of a default SQLite build.
    /// </summary>
    internal const int FewRows = 2_000;

    /// <summary>
    /// How long one tag read may take at least, whatever PATRAWIN_COMMAND_TIMEOUT_SECONDS says: without an index on the
    /// creation dates, a run's statement scans and sorts the whole table before its first row (on a million cases,
    /// 25 s and more on a busy server). The posting path keeps the shorter command timeout.
    /// </summary>
    internal static readonly TimeSpan ScanTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// tag-sync's read of one run: every non-blocked case or client after <paramref name="after"/>, in keyset order.
    /// After a cursor, the rows that follow it are usually few (an incremental run): one scan finds them (none: the
    /// run ends there) and one look-up of their client links filters them. From the start, or when more than
    /// <see cref="FewRows"/> follow, one query is read as a stream, as its rows are needed. A run that stops part-way
    /// starts again from its cursor with new queries.
    /// </summary>
    public async IAsyncEnumerable<TagRow> NewAfterAsync(TagKind kind, KeysetPosition after, [EnumeratorCancellation] CancellationToken ct)
    {
        AllowScans();
        if (!after.IsStart)
        {
            var candidates = await Window(db, kind, after, FewRows + 1).ToListAsync(ct);
            if (candidates.Count <= FewRows)
            {
                var numbers = candidates.Select(c => c.Number).ToList();
                var rows = numbers.Count == 0 ? [] : await Ordered(db, kind, after, refresh: false, NumbersAmong(db, kind, numbers)).ToListAsync(ct);
                foreach (var row in rows)
                {
                    yield return row;
                }
                yield break;
            }
        }
        await foreach (var row in NewAfter(db, kind, after).AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return row;
        }
    }

    /// <summary>
    /// The next <paramref name="take"/> rows after <paramref name="after"/> (tag-refresh reads one such page a run).
    /// <paramref name="refresh"/>: every case or client with a credit level, blocked ones flagged; otherwise only
    /// non-blocked ones. The rows are found in windows of candidates in keyset order, whose client links are then
    /// looked up as one set; a window whose rows are not all eligible is followed by the next.
    /// </summary>
    public async Task<List<TagRow>> NextPageAsync(TagKind kind, KeysetPosition after, int take, bool refresh, CancellationToken ct)
    {
        AllowScans();
        var rows = new List<TagRow>(take);
        var position = after;
        while (rows.Count < take)
        {
            var wanted = take - rows.Count;
            var window = await Window(db, kind, position, wanted).ToListAsync(ct);
            if (window.Count == 0)
            {
                break;
            }
            var numbers = window.Select(w => w.Number).ToList();
            rows.AddRange(await Ordered(db, kind, position, refresh, NumbersAmong(db, kind, numbers)).ToListAsync(ct));
            if (window.Count < wanted)
            {
                break;
            }
            position = window[^1].Position;
        }
        return rows;
    }

    /// <summary>
    /// Has EF Core build the model and translate the statements of a tag-sync run of either kind into the process's
    /// query cache, without sending them: a first sync's stream, an incremental run's window and look-up, and the
    /// stream a restarted first sync resumes with after its dated cursor. The first time in a process that is most of a
    /// second of CPU, which a run would otherwise spend before its first statement goes out (docs/performance.md).
    /// </summary>
    public void Prepare()
    {
        var cursor = new KeysetPosition(new DateTime(2000, 1, 1), "");
        foreach (var kind in (ReadOnlySpan<TagKind>)[TagKind.Case, TagKind.Client])
        {
            Translate(NewAfter(db, kind, KeysetPosition.Start));
            Translate(Window(db, kind, cursor, FewRows + 1));
            Translate(Ordered(db, kind, cursor, refresh: false, NumbersAmong(db, kind, [""])));
            Translate(NewAfter(db, kind, cursor));
        }
    }

    /// <summary>The statement as a run reads it (asynchronously: EF caches that apart from a synchronous read), up to its SQL.</summary>
    private static void Translate<T>(IQueryable<T> query)
    {
        var statement = ((IAsyncQueryProvider)query.Provider).ExecuteAsync<IAsyncEnumerable<T>>(query.Expression, CancellationToken.None);
        if (statement is IQueryingEnumerable querying)
        {
            querying.ToQueryString();
        }
    }

    /// <summary>The context is this run's own (scoped), and the pool resets its timeout when the run gives it back.</summary>
    private void AllowScans()
    {
        if (db.Database.GetCommandTimeout() is not { } seconds || seconds < ScanTimeout.TotalSeconds)
        {
            db.Database.SetCommandTimeout(ScanTimeout);
        }
    }

    /// <summary>All rows of the table (the refresh pass's size, as the Java connector counted it).</summary>
    public Task<int> CountAsync(TagKind kind, CancellationToken ct) =>
        kind == TagKind.Case ? db.Cases.CountAsync(ct) : db.Clients.CountAsync(ct);

    /// <summary>The stream of <see cref="NewAfterAsync"/>: every client link resolved as one set.</summary>
    internal static IQueryable<TagRow> NewAfter(PatrawinDbContext db, TagKind kind, KeysetPosition after) =>
        Ordered(db, kind, after, refresh: false, within: null);

    /// <summary>
    /// The eligible rows after <paramref name="after"/> in keyset order, restricted to the numbers of
    /// <paramref name="within"/> when given (which then also bounds the client links that are read).
    /// </summary>
    internal static IQueryable<TagRow> Ordered(PatrawinDbContext db, TagKind kind, KeysetPosition after, bool refresh, IQueryable<string>? within)
    {
        if (kind == TagKind.Case)
        {
            var cases = After(db.Cases, after);
            if (within is not null)
            {
                cases = cases.Where(c => within.Contains(c.Number));
            }
            var eligible = CasesLinkedTo(db, refresh ? _ => true : cl => cl.Type != CreditLevel.BlockedType, within);
            var ordered = InKeysetOrder(cases.Where(c => eligible.Contains(c.Number)));
            if (!refresh)
            {
                return ordered.Select(c => new TagRow(c.Number, c.Catchword, c.CreatedAt, false, false));
            }
            var blocked = CasesLinkedTo(db, cl => cl.Type == CreditLevel.BlockedType, within);
            return ordered.Select(c => new TagRow(c.Number, c.Catchword, c.CreatedAt, blocked.Contains(c.Number), false));
        }

        var clients = After(db.Clients, after);
        if (within is not null)
        {
            clients = clients.Where(k => within.Contains(k.Number));
        }
        var codes = refresh
            ? db.CreditLevels.Select(cl => (string?)cl.Code)
            : db.CreditLevels.Where(cl => cl.Type != CreditLevel.BlockedType).Select(cl => (string?)cl.Code);
        // Cases with a tag of their own whose number is a client's: only links named like a client are read.
        var casesNamedLikeClients = CasesLinkedTo(db, cl => cl.Type != CreditLevel.BlockedType, within ?? db.Clients.Select(k => k.Number))
            .Where(number => db.Cases.Any(c => c.Number == number));
        var blockedCodes = db.CreditLevels.Where(cl => cl.Type == CreditLevel.BlockedType).Select(cl => (string?)cl.Code);
        var orderedClients = InKeysetOrder(clients.Where(k => codes.Contains(k.CreditCode)));
        return refresh
            ? orderedClients.Select(k => new TagRow(k.Number, k.ShortName, k.CreatedAt, blockedCodes.Contains(k.CreditCode), casesNamedLikeClients.Contains(k.Number)))
            : orderedClients.Select(k => new TagRow(k.Number, k.ShortName, k.CreatedAt, false, casesNamedLikeClients.Contains(k.Number)));
    }

    /// <summary>The next <paramref name="take"/> rows of the table after <paramref name="after"/>, eligible or not, in keyset order.</summary>
    internal static IQueryable<TagRow> Window(PatrawinDbContext db, TagKind kind, KeysetPosition after, int take) =>
        kind == TagKind.Case
            ? InKeysetOrder(After(db.Cases, after)).Take(take).Select(c => new TagRow(c.Number, null, c.CreatedAt, false, false))
            : InKeysetOrder(After(db.Clients, after)).Take(take).Select(k => new TagRow(k.Number, null, k.CreatedAt, false, false));

    internal static IQueryable<string> NumbersAmong(PatrawinDbContext db, TagKind kind, List<string> numbers) =>
        kind == TagKind.Case
            ? db.Cases.Where(c => numbers.Contains(c.Number)).Select(c => c.Number)
            : db.Clients.Where(k => numbers.Contains(k.Number)).Select(k => k.Number);

    /// <summary>
    /// Rows after the position. In the leading segment (no date, or on or before 1900-01-01) the order is by number:
    /// after (1900, N) come the undated rows numbered above N and every dated row. After a dated (T, N):
    /// created &gt;= T and (created &gt; T or number &gt; N).
    /// </summary>
    private static IQueryable<T> After<T>(IQueryable<T> rows, KeysetPosition after) where T : class, IKeysetRow
    {
        var (createdAt, number) = (after.CreatedAt, after.Number);
        var min = KeysetPosition.MinCreated;
        return number is null ? rows
            : after.InUndatedSegment ? rows.Where(r => r.CreatedAt > min || string.Compare(r.Number, number) > 0)
            : rows.Where(r => r.CreatedAt >= createdAt && (r.CreatedAt > createdAt || string.Compare(r.Number, number) > 0));
    }

    /// <summary>Keyset order: an undated row (or one on or before 1900-01-01) as of 1900-01-01, then by number.</summary>
    private static IOrderedQueryable<T> InKeysetOrder<T>(IQueryable<T> rows) where T : class, IKeysetRow
    {
        var min = KeysetPosition.MinCreated;
        return rows.OrderBy(r => r.CreatedAt == null || r.CreatedAt <= min ? min : r.CreatedAt).ThenBy(r => r.Number);
    }

    /// <summary>
    /// Numbers of the cases linked to a client whose credit level passes <paramref name="level"/> (any link counts),
    /// as one set: the links (only those of <paramref name="within"/>, when given) whose client is among the clients
    /// with such a level. Semi-joins rather than joins: SQLite then probes one small set of client numbers per link
    /// instead of seeking each link's client row (a tenth less time before a first sync's first row, docs/performance.md).
    /// </summary>
    private static IQueryable<string> CasesLinkedTo(PatrawinDbContext db, Expression<Func<CreditLevel, bool>> level, IQueryable<string>? within)
    {
        var links = within is null ? db.CaseClientLinks : db.CaseClientLinks.Where(l => within.Contains(l.CaseNumber));
        var codes = db.CreditLevels.Where(level).Select(cl => (string?)cl.Code);
        var clients = db.Clients.Where(k => codes.Contains(k.CreditCode)).Select(k => k.Number);
        return links.Where(l => clients.Contains(l.ClientNumber)).Select(l => l.CaseNumber);
    }
}
