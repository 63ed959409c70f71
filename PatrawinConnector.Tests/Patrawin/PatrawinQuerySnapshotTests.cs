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

    // The sync's stream of a long run, every link resolved as one set; in the undated segment or after a dated row.
    [TestCase(TagKind.Case, false, "tags-cases-new-undated.sql")]
    [TestCase(TagKind.Case, true, "tags-cases-new-dated.sql")]
    [TestCase(TagKind.Client, false, "tags-clients-new-undated.sql")]
    [TestCase(TagKind.Client, true, "tags-clients-new-dated.sql")]
    public void NewAfter_SqlServer_MatchesSnapshotWithTypedDates(TagKind kind, bool dated, string snapshot)
    {
        var after = dated ? new KeysetPosition(new DateTime(2024, 3, 1, 10, 15, 0), "P1033SE00") : new KeysetPosition(KeysetPosition.MinCreated, "P1033SE00");
        var sql = TagQueries.NewAfter(_db, kind, after).ToQueryString();

        Snapshot.Match(snapshot, sql);
        Assert.That(sql, Does.Not.Contain("OFFSET").And.Not.Contain("TOP"), "one ordered read per run, no pages");
        Assert.That(sql, Does.Contain(kind == TagKind.Case ? "smalldatetime" : " datetime"));
    }

    // A window's rows with their client links looked up as one set: a refresh page, or the few new rows of an incremental run.
    [TestCase(TagKind.Case, true, "tags-cases-refresh-page.sql")]
    [TestCase(TagKind.Client, true, "tags-clients-refresh-page.sql")]
    [TestCase(TagKind.Case, false, "tags-cases-new-few.sql")]
    [TestCase(TagKind.Client, false, "tags-clients-new-few.sql")]
    public void Ordered_Window_SqlServer_MatchesSnapshot(TagKind kind, bool refresh, string snapshot)
    {
        List<string> numbers = ["P1033SE00", "C10045"];
        Snapshot.Match(snapshot, TagQueries.Ordered(
            _db, kind, new KeysetPosition(new DateTime(2024, 3, 1, 10, 15, 0), "P1033SE00"), refresh, TagQueries.NumbersAmong(_db, kind, numbers)).ToQueryString());
    }

    // The largest window an incremental run looks up: one parameter per number, within SQL Server's 2,100, and never
    // OPENJSON, which a Patrawin database below compatibility level 130 does not have.
    [TestCase(TagKind.Case, false)]
    [TestCase(TagKind.Client, false)]
    [TestCase(TagKind.Case, true)]
    [TestCase(TagKind.Client, true)]
    public void Ordered_LargestWindow_SqlServer_PlainParametersWithinTheLimit(TagKind kind, bool refresh)
    {
        var numbers = Enumerable.Range(0, TagQueries.FewRows).Select(i => $"P{i:D7}SE00").ToList();

        var sql = TagQueries.Ordered(
            _db, kind, new KeysetPosition(new DateTime(2024, 3, 1, 10, 15, 0), "P1033SE00"), refresh, TagQueries.NumbersAmong(_db, kind, numbers)).ToQueryString();

        Assert.That(sql, Does.Not.Contain("OPENJSON"));
        Assert.That(sql.Split('\n').Count(line => line.StartsWith("DECLARE @", StringComparison.Ordinal)), Is.InRange(TagQueries.FewRows, 2_100));
    }

    [TestCase(TagKind.Case, "tags-cases-window.sql")]
    [TestCase(TagKind.Client, "tags-clients-window.sql")]
    public void Window_SqlServer_MatchesSnapshot(TagKind kind, string snapshot) =>
        Snapshot.Match(snapshot, TagQueries.Window(_db, kind, new KeysetPosition(KeysetPosition.MinCreated, "P1033SE00"), 250).ToQueryString());

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
