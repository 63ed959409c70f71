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

    [TestCase(TagKind.Case, false, false, "tags-cases-new-undated.sql")]
    [TestCase(TagKind.Case, true, false, "tags-cases-refresh-undated.sql")]
    [TestCase(TagKind.Client, false, false, "tags-clients-new-undated.sql")]
    [TestCase(TagKind.Client, true, false, "tags-clients-refresh-undated.sql")]
    [TestCase(TagKind.Client, false, true, "tags-clients-new-undated-and-early.sql")]
    public void Undated_SqlServer_MatchesSnapshot(TagKind kind, bool refresh, bool early, string snapshot) =>
        Snapshot.Match(snapshot, TagQueries.Undated(_db, kind, "P1033SE00", refresh, 500, early).ToQueryString());

    [TestCase(TagKind.Case, false, "tags-cases-new-dated.sql")]
    [TestCase(TagKind.Case, true, "tags-cases-refresh-dated.sql")]
    [TestCase(TagKind.Client, false, "tags-clients-new-dated.sql")]
    [TestCase(TagKind.Client, true, "tags-clients-refresh-dated.sql")]
    public void Dated_SqlServer_MatchesSnapshotSargableWithTypedDate(TagKind kind, bool refresh, string snapshot)
    {
        var sql = TagQueries.Dated(_db, kind, new DateTime(2024, 3, 1, 10, 15, 0), "P1033SE00", refresh).Take(500).ToQueryString();

        Snapshot.Match(snapshot, sql);
        Assert.That(sql, Does.Not.Contain("OFFSET").And.Not.Contain("COALESCE"));
        Assert.That(sql, Does.Contain(kind == TagKind.Case ? "@createdAt smalldatetime" : "@createdAt datetime"));
    }

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
