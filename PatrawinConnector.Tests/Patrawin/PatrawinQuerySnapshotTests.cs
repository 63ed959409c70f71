using Microsoft.EntityFrameworkCore;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.PostedTime;
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

    [Test]
    public void SaveChanges_AnyChange_RefusedBecausePatrawinIsReadOnly() =>
        Assert.That(() => _db.SaveChanges(), Throws.InvalidOperationException.With.Message.Contains("read-only"));
}
