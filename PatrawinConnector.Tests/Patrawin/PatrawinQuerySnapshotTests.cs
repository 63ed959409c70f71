using Microsoft.EntityFrameworkCore;
using PatrawinConnector.Domain.ActivityTypes;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.PostedTime;
using PatrawinConnector.Domain.Tags;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Patrawin;

/// <summary>No SQL Server runs here: every query the connector sends to Patrawin is pinned by the T-SQL EF Core generates for it.</summary>
public sealed class PatrawinQuerySnapshotTests
{
    private static readonly PostingPlan Plan = new(
        "g", ["P1033SE00", "C10045"], "JSM", "jane.smith@example.com", 120, "text",
        new DateTimeOffset(2024, 3, 14, 6, 10, 0, TimeSpan.Zero), 2796, 1398);

    private PatrawinDbContext _db = null!;

    [SetUp]
    public void CreateSqlServerContext() =>
        _db = new PatrawinDbContext(new DbContextOptionsBuilder<PatrawinDbContext>()
            .UseSqlServer("Server=sql.invalid;Database=Patrawin")
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .Options);

    [TearDown]
    public void DisposeContext() => _db.Dispose();

    [Test]
    public void CaseNumbersAmong_SqlServer_MatchesSnapshot() =>
        Snapshot.Match("posting-case-numbers.sql", PostingQueries.CaseNumbersAmong(_db, Plan.Tags).ToQueryString());

    [Test]
    public void ClientNumbersAmong_SqlServer_MatchesSnapshot() =>
        Snapshot.Match("posting-client-numbers.sql", PostingQueries.ClientNumbersAmong(_db, Plan.Tags).ToQueryString());

    [Test]
    public void UserActivity_SqlServer_MatchesSnapshot() =>
        Snapshot.Match("posting-user-activity.sql", PostingQueries.UserActivity(_db, "jane.smith@example.com").ToQueryString());

    [Test]
    public void ActivityCodeRows_SqlServer_MatchesSnapshot() =>
        Snapshot.Match("posting-activity-code.sql", PostingQueries.ActivityCodeRows(_db, 120).ToQueryString());

    [Test]
    public void PostedRows_SqlServer_MatchesSnapshotWithTypedParameters()
    {
        var sql = PostingQueries.PostedRows(_db, Plan).ToQueryString();

        Snapshot.Match("posting-recognise-rows.sql", sql);
        Assert.That(sql, Does.Contain("datetime2").And.Contain("nvarchar(50)").And.Contain("smallint"));
    }

    // The sync's stream of one run: every link resolved as one set (a long run), or only the links of the rows after
    // the cursor (a short one); in the undated segment or after a dated row.
    [TestCase(TagKind.Case, false, false, "tags-cases-new-undated.sql")]
    [TestCase(TagKind.Case, true, false, "tags-cases-new-dated.sql")]
    [TestCase(TagKind.Case, true, true, "tags-cases-new-dated-few.sql")]
    [TestCase(TagKind.Client, false, false, "tags-clients-new-undated.sql")]
    [TestCase(TagKind.Client, true, false, "tags-clients-new-dated.sql")]
    [TestCase(TagKind.Client, true, true, "tags-clients-new-dated-few.sql")]
    public void NewAfter_SqlServer_MatchesSnapshotWithTypedDates(TagKind kind, bool dated, bool few, string snapshot)
    {
        var after = dated ? new KeysetPosition(new DateTime(2024, 3, 1, 10, 15, 0), "P1033SE00") : new KeysetPosition(KeysetPosition.MinCreated, "P1033SE00");
        var sql = TagQueries.NewAfter(_db, kind, after, few).ToQueryString();

        Snapshot.Match(snapshot, sql);
        Assert.That(sql, Does.Not.Contain("OFFSET").And.Not.Contain("TOP"), "one ordered read per run, no pages");
        Assert.That(sql, Does.Contain(kind == TagKind.Case ? "smalldatetime" : " datetime"));
    }

    [TestCase(TagKind.Case, "tags-cases-refresh-page.sql")]
    [TestCase(TagKind.Client, "tags-clients-refresh-page.sql")]
    public void Ordered_RefreshWindow_SqlServer_MatchesSnapshot(TagKind kind, string snapshot)
    {
        List<string> numbers = ["P1033SE00", "C10045"];
        var within = kind == TagKind.Case
            ? _db.Cases.Where(c => numbers.Contains(c.Number)).Select(c => c.Number)
            : _db.Clients.Where(k => numbers.Contains(k.Number)).Select(k => k.Number);

        Snapshot.Match(snapshot, TagQueries.Ordered(_db, kind, new KeysetPosition(new DateTime(2024, 3, 1, 10, 15, 0), "P1033SE00"), refresh: true, within).ToQueryString());
    }

    [TestCase(TagKind.Case, "tags-cases-window.sql")]
    [TestCase(TagKind.Client, "tags-clients-window.sql")]
    public void Window_SqlServer_MatchesSnapshot(TagKind kind, string snapshot) =>
        Snapshot.Match(snapshot, TagQueries.Window(_db, kind, new KeysetPosition(KeysetPosition.MinCreated, "P1033SE00"), 250).ToQueryString());

    [Test]
    public void AfterCount_SqlServer_MatchesSnapshot() =>
        Snapshot.Match("tags-cases-after-count.sql",
            TagQueries.AfterCount(_db, TagKind.Case, new KeysetPosition(new DateTime(2024, 3, 1, 10, 15, 0), "P1033SE00"), TagQueries.FewRows + 1).ToQueryString());

    [Test]
    public void ActivityCodes_SqlServer_MatchesSnapshot() =>
        Snapshot.Match("activity-types-codes.sql", ActivityTypeQueries.Codes(_db, "E").ToQueryString());

    [Test]
    public void ActivityTypeExclusions_SqlServer_MatchesSnapshot() =>
        Snapshot.Match("activity-types-excluded-parameters.sql", ActivityTypeQueries.ExcludingParameters(_db).ToQueryString());

    [Test]
    public void SaveChanges_AnyChange_RefusedBecausePatrawinIsReadOnly() =>
        Assert.That(() => _db.SaveChanges(), Throws.InvalidOperationException.With.Message.Contains("read-only"));
}
