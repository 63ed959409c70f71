using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Tds;

/// <summary>
/// The webhook over HTTP, the connector's real SqlClient path, pw_PostTime on a real TDS server: what a firm's
/// SQL Server Patrawin sees.
/// </summary>
[NonParallelizable]
public sealed class TdsPostingTests
{
    private const string CallerKey = "s3cret-caller-key";

    private readonly FlakyPoster _poster = new();
    private ConnectorApiFactory _factory = null!;
    private HttpClient _client = null!;

    private static TdsPatrawin Patrawin => TdsSuite.Patrawin;

    [OneTimeSetUp]
    public async Task StartConnector()
    {
        var settings = TdsPatrawin.Settings();
        settings["CALLER_KEY"] = CallerKey;
        _factory = await new ConnectorApiFactory(settings, configureServices: services =>
        {
            services.RemoveAll<IPatrawinTimePoster>();
            services.AddSingleton(sp => _poster.Wrap(sp.GetRequiredService<SqlServerTimePoster>()));
        }).StartAsync();
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void StopConnector()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [SetUp]
    public async Task FreshPatrawin()
    {
        _poster.Fault = FlakyPoster.Mode.None;
        await Patrawin.ReseedAsync();
    }

    [Test]
    public async Task Post_ExampleTimeGroup_OneRowPerTagAsOnTheSqliteSandbox()
    {
        var json = Fixtures.ExampleJson();

        var response = await PostAsync(json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var rows = await Patrawin.PendingTimeAsync();
        Assert.That(rows.Select(r => (r.CaseNumber, r.ClientNumber)), Is.EqualTo(new (string?, string)[] { ("P1033SE00", "C10045"), (null, "C10045") }));
        Assert.That(rows.Select(r => (r.UserId, r.StartTimeUtc, r.Minutes, r.ActivityCode, r.Imported, r.ImportStatus)),
            Has.All.EqualTo((1, "2024-03-14 06:10:00", 23, 120, (string?)null, 0)));
        Assert.That(Comparable(rows), Is.EqualTo(Comparable(await PostOnSqliteAsync(json))));
    }

    [TestCase(0, 0, "Skärgård Marine: ärende åäö ÅÄÖ – 日本語 ✓")]
    [TestCase(-300, -300, "Drafted response")]
    [TestCase(330, 330, "Indian office: €100 fee")]
    [TestCase(60, 120, "Across a DST change")]
    public async Task Post_OffsetsAndNonAsciiText_StoredInUtcWithCrlfNarrativeAsOnTheSqliteSandbox(int groupOffset, int rowOffset, string description)
    {
        var json = Fixtures.ExampleJson();
        json["description"] = description;
        json["tzOffsetMins"] = groupOffset;
        foreach (var row in json["timeRows"]!.AsArray())
        {
            row!["timezone_offset_min"] = rowOffset;
            row["description"] = description + " (row)";
        }

        var response = await PostAsync(json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var rows = await Patrawin.PendingTimeAsync();
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0].Text, Does.StartWith(description + "\r\n\r\n").And.Contain(description + " (row)"));
        Assert.That(rows[0].Text!.Replace("\r\n", "", StringComparison.Ordinal), Does.Not.Contain('\n').And.Not.Contain('\r'));
        Assert.That(Comparable(rows), Is.EqualTo(Comparable(await PostOnSqliteAsync(json))));
    }

    [TestCase("externalId", "ERI", "User ERI is not an active Patrawin user")]
    [TestCase("externalId", "XYZ", "User XYZ does not exist in Patrawin")]
    [TestCase("externalId", "JSMITHX", "User JSMITHX does not exist in Patrawin")]
    [TestCase("code", "199", "Activity code 199 is not active in Patrawin")]
    [TestCase("code", "777", "invalid activity code: 777 does not exist")]
    [TestCase("tag", "C10050", "The client of C10050 is blocked in Patrawin")]
    [TestCase("tag", "P6000SE00", "The client of P6000SE00 is blocked in Patrawin")]
    [TestCase("tag", "P8000SE00", "Time cannot be posted to P8000SE00: in Patrawin it has no billing client")]
    public async Task Post_ProcedureRefusesTheSecondTag_400WithReasonAndTheFirstTagRolledBack(string field, string value, string expected)
    {
        var json = Fixtures.ExampleJson();
        switch (field)
        {
            case "externalId":
                json["user"]!["externalId"] = value;
                break;
            case "code":
                json["activityType"]!["code"] = value;
                break;
            default:
                json["tags"] = new JsonArray(
                    new JsonObject { ["name"] = "P1033SE00", ["path"] = "/Patrawin/" },
                    new JsonObject { ["name"] = value, ["path"] = "/Patrawin/" });
                break;
        }

        var response = await PostAsync(json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(expected));
        Assert.That(await Patrawin.PendingTimeAsync(), Is.Empty, "all or nothing: the first tag's row is rolled back too");
    }

    [Test]
    public async Task Post_CaseGoneFromPatrawin_400AndTagDeletedInWiseTime()
    {
        var json = Fixtures.ExampleJson();
        json["tags"] = new JsonArray(new JsonObject { ["name"] = "P0000XX00", ["path"] = "/Patrawin/" });

        var response = await PostAsync(json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("not found for tags: P0000XX00"));
        Assert.That(_factory.WiseTime.DeletedTags, Does.Contain("P0000XX00"));
        Assert.That(await Patrawin.PendingTimeAsync(), Is.Empty);
    }

    [Test]
    public async Task Post_AuthorIsAnEmailLongerThanAUsername_MatchedByEmail()
    {
        var json = Fixtures.ExampleJson();
        json["user"]!["externalId"] = "";
        json["user"]!["email"] = "anders.karlsson@example.com";

        var response = await PostAsync(json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var akl = await Patrawin.ScalarAsync<int>("SELECT Id FROM dbo.BEHORIG_50 WHERE Username = 'AKL'");
        Assert.That((await Patrawin.PendingTimeAsync()).Select(r => r.UserId), Is.EqualTo(new[] { akl, akl }));
    }

    [Test]
    public async Task Post_SameGroupAgainAndConcurrently_RowsWrittenOnce()
    {
        var json = Fixtures.ExampleJson();
        var first = await PostAsync(json);

        var again = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync(json)));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(again.Select(r => r.StatusCode), Has.All.EqualTo(HttpStatusCode.OK));
        Assert.That(await again[0].Content.ReadAsStringAsync(), Does.Contain("already posted"));
        Assert.That(await Patrawin.PendingTimeAsync(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Post_CommitSucceededButAnswerLost_500ThenRedeliveryRecognisesTheCommittedRows()
    {
        var json = Fixtures.ExampleJson();
        _poster.Fault = FlakyPoster.Mode.ThrowAfterPosting;
        var first = await PostAsync(json);
        _poster.Fault = FlakyPoster.Mode.None;

        var second = await PostAsync(json);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await second.Content.ReadAsStringAsync(), Does.Contain("already posted"));
        Assert.That(await Patrawin.PendingTimeAsync(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Post_FailedBeforePostingWhileAColleagueHasAnIdenticalRow_RedeliveryPostsOwnRows()
    {
        var colleague = Fixtures.ExampleJson();
        colleague["user"]!["externalId"] = "AKL";
        await PostAsync(colleague);
        var mine = Fixtures.ExampleJson();
        _poster.Fault = FlakyPoster.Mode.ThrowBeforePosting;
        await PostAsync(mine);
        _poster.Fault = FlakyPoster.Mode.None;

        var retry = await PostAsync(mine);

        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await retry.Content.ReadAsStringAsync(), Does.Not.Contain("already posted"));
        Assert.That(await Patrawin.PendingTimeAsync(), Has.Count.EqualTo(4));
    }

    private async Task<HttpResponseMessage> PostAsync(JsonObject json) =>
        await _client.PostAsync("/receiveTimePostedEvent", new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json"));

    /// <summary>The same time group posted on the SQLite sandbox, for comparison.</summary>
    private static async Task<List<SandboxPatrawin.PendingRow>> PostOnSqliteAsync(JsonObject json)
    {
        await using var sandbox = await DomainHarness.StartAsync();
        await sandbox.PostAsync(json.ToTimeGroup());
        return await sandbox.Patrawin.PendingTimeAsync();
    }

    private static List<SandboxPatrawin.PendingRow> Comparable(List<SandboxPatrawin.PendingRow> rows) => [.. rows.Select(r => r with { Id = 0 })];
}
