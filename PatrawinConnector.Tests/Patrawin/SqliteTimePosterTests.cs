using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Patrawin;

/// <summary>pw_PostTime's contract, reproduced on a real Patrawin-shaped SQLite file.</summary>
public sealed class SqliteTimePosterTests
{
    private static readonly DateTimeOffset Start = new(2024, 3, 14, 7, 10, 0, TimeSpan.FromHours(1));

    private TempDirectory _directory = null!;
    private SandboxPatrawin _patrawin = null!;
    private SqliteTimePoster _poster = null!;

    [SetUp]
    public async Task CreatePatrawin()
    {
        _directory = new TempDirectory();
        _patrawin = await SandboxPatrawin.CreateAsync(_directory.File("patrawin.db"));
        _poster = new SqliteTimePoster(_patrawin.ConnectionString, Microsoft.Extensions.Options.Options.Create(new PatrawinOptions()), TimeProvider.System);
    }

    [TearDown]
    public void Cleanup()
    {
        _poster.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task PostAsync_Case_InsertsPendingRowForCaseAndItsBillingClient()
    {
        var result = await _poster.PostAsync([Entry("P1033SE00", chargeable: 1398)], CancellationToken.None);

        var row = (await _patrawin.PendingTimeAsync()).Single();
        Assert.That(result, Is.EqualTo(new PostTimeResult.Inserted([row.Id])).Using<PostTimeResult>(SameIds));
        Assert.That(row, Is.EqualTo(new SandboxPatrawin.PendingRow(
            row.Id, 1, "P1033SE00", "C10045", "2024-03-14 06:10:00", 23, 120, "narrative", null, 0)));
    }

    [Test]
    public async Task PostAsync_Client_InsertsRowWithoutCase()
    {
        await _poster.PostAsync([Entry("C10046")], CancellationToken.None);

        var row = (await _patrawin.PendingTimeAsync()).Single();
        Assert.That((row.CaseNumber, row.ClientNumber), Is.EqualTo(((string?)null, "C10046")));
    }

    [TestCase(59, 0)]
    [TestCase(119, 1)]
    [TestCase(3600, 60)]
    public async Task PostAsync_ChargeableSeconds_TruncatedToWholeMinutes(long chargeable, int minutes)
    {
        await _poster.PostAsync([Entry("C10045", chargeable: chargeable)], CancellationToken.None);

        Assert.That((await _patrawin.PendingTimeAsync()).Single().Minutes, Is.EqualTo(minutes));
    }

    [TestCase("NOPE", "JSM", 120, PostTimeRefusal.CaseOrClientNotFound)]
    [TestCase("P8000SE00", "JSM", 120, PostTimeRefusal.CaseOrClientNotFound)]    // case without a Part 1 / Kundtyp 2 link
    [TestCase("C10052", "JSM", 120, PostTimeRefusal.CaseOrClientNotFound)]       // client without a credit level
    [TestCase("C10050", "JSM", 120, PostTimeRefusal.ClientBlocked)]
    [TestCase("P6000SE00", "JSM", 120, PostTimeRefusal.ClientBlocked)]           // case of a blocked client
    [TestCase("C10050", "ERI", 777, PostTimeRefusal.ClientBlocked)]              // checks run in the procedure's order
    [TestCase("C10045", "ERI", 120, PostTimeRefusal.UserNotFoundOrInactive)]
    [TestCase("C10045", "nobody@example.com", 120, PostTimeRefusal.UserNotFoundOrInactive)]
    [TestCase("C10045", "ERI", 777, PostTimeRefusal.UserNotFoundOrInactive)]
    [TestCase("C10045", "JSM", 199, PostTimeRefusal.ActivityCodeNotFoundOrInactive)]
    [TestCase("C10045", "JSM", 777, PostTimeRefusal.ActivityCodeNotFoundOrInactive)]
    public async Task PostAsync_RefusedEntry_ReturnsProcedureCodeAndWritesNothing(string target, string author, int code, PostTimeRefusal expected)
    {
        var result = await _poster.PostAsync([Entry(target, author, code)], CancellationToken.None);

        Assert.That(result, Is.EqualTo(new PostTimeResult.Refused(0, expected)));
        Assert.That(await _patrawin.PendingTimeAsync(), Is.Empty);
    }

    [Test]
    public async Task PostAsync_SecondEntryRefused_FirstRolledBack()
    {
        var result = await _poster.PostAsync([Entry("P1033SE00"), Entry("C10050")], CancellationToken.None);

        Assert.That(result, Is.EqualTo(new PostTimeResult.Refused(1, PostTimeRefusal.ClientBlocked)));
        Assert.That(await _patrawin.PendingTimeAsync(), Is.Empty);
    }

    [Test]
    public async Task PostAsync_EmailInOtherCase_MatchesLikeSqlServerCollation()
    {
        var result = await _poster.PostAsync([Entry("C10045", "JANE.Smith@Example.com")], CancellationToken.None);

        Assert.That(result, Is.InstanceOf<PostTimeResult.Inserted>());
        Assert.That((await _patrawin.PendingTimeAsync()).Single().UserId, Is.EqualTo(1));
    }

    [Test]
    public async Task PostAsync_AuthorIsOneUsersNameAndAnothersEmail_UsernameWins()
    {
        await _patrawin.ExecuteAsync("INSERT INTO BEHORIG_50 (Username, Email, Isactive, Officeid, Isattorney) VALUES ('ZZZ', 'jdoe', 1, 1, 0)");
        await _patrawin.ExecuteAsync("INSERT INTO BEHORIG_50 (Username, Email, Isactive, Officeid, Isattorney) VALUES ('jdoe', 'x@y', 1, 1, 0)");

        await _poster.PostAsync([Entry("C10045", "jdoe")], CancellationToken.None);

        Assert.That((await _patrawin.PendingTimeAsync()).Single().UserId, Is.EqualTo(6));
    }

    [Test]
    public async Task PostAsync_HandMadeFileWithPlainIntIds_InsertsWithIncreasingIds()
    {
        using var directory = new TempDirectory();
        var file = directory.File("hand-made.db");
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE CREDIT_LEVEL_334 (Creditcode nvarchar(1) NOT NULL PRIMARY KEY, Creditdescription nvarchar(50), Type int NOT NULL);
                CREATE TABLE KUND_24 (Kundnr nvarchar(7) NOT NULL PRIMARY KEY, Kortnamnkund nvarchar(50) NOT NULL, Skapatdat datetime, Kreditjn nvarchar(1), Inaktivjn int);
                CREATE TABLE ARENDE_1 (Arendenr nvarchar(50) NOT NULL PRIMARY KEY, Slagord nvarchar(250), Skapatdat smalldatetime);
                CREATE TABLE KUND_ARENDE_25 (Id int NOT NULL PRIMARY KEY, Kundtyp smallint NOT NULL, Arendenr nvarchar(50) NOT NULL, Kundnr nvarchar(7) NOT NULL, Part smallint NOT NULL);
                CREATE TABLE BEHORIG_50 (Id int NOT NULL PRIMARY KEY, Username nvarchar(6) NOT NULL, Namn nvarchar(40), Email nvarchar(255), Isactive bit NOT NULL);
                CREATE TABLE FAKTURATEXTNR_15 (Fakturatextnr smallint NOT NULL, Inaktiv int, Beskrivning text);
                CREATE TABLE PENDING_TIME_335 (Id int NOT NULL PRIMARY KEY, User_Id int NOT NULL, Arendenr nvarchar(50), Kundnr nvarchar(7) NOT NULL,
                    StartTimeUtc datetime2 NOT NULL, Minutes int NOT NULL, Fakturatextnr smallint NOT NULL, Text text, Imported datetime2,
                    ImportStatus int NOT NULL DEFAULT 0, Created datetime2 NOT NULL);
                INSERT INTO CREDIT_LEVEL_334 VALUES ('A', 'Normal', 0);
                INSERT INTO KUND_24 VALUES ('K1', 'Client', '2024-01-01 00:00:00', 'A', 0);
                INSERT INTO BEHORIG_50 VALUES (7, 'JSM', 'Jane', 'jane@example.com', 1);
                INSERT INTO FAKTURATEXTNR_15 VALUES (120, 0, 'Drafting');
                """;
            await command.ExecuteNonQueryAsync();
        }
        var patrawin = new PatrawinConnectionString($"Data Source={file}");
        using var poster = new SqliteTimePoster(patrawin, Microsoft.Extensions.Options.Options.Create(new PatrawinOptions { ConnectionString = patrawin.Value, Provider = PatrawinProvider.Sqlite }), TimeProvider.System);

        var first = await poster.PostAsync([Entry("K1")], CancellationToken.None);
        var second = await poster.PostAsync([Entry("K1")], CancellationToken.None);

        Assert.That(first, Is.EqualTo(new PostTimeResult.Inserted([1])).Using<PostTimeResult>(SameIds));
        Assert.That(second, Is.EqualTo(new PostTimeResult.Inserted([2])).Using<PostTimeResult>(SameIds));
    }

    [Test]
    public async Task PostAsync_ConcurrentGroupsFromTwoPosters_AllInsertedDespiteWriterContention()
    {
        // A second poster has its own gate, like a second process on the same file: SQLite's own locking must hold.
        using var other = new SqliteTimePoster(_patrawin.ConnectionString, Microsoft.Extensions.Options.Options.Create(new PatrawinOptions()), TimeProvider.System);
        var posts = Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            (i % 2 == 0 ? _poster : other).PostAsync([Entry("P1033SE00"), Entry("C10045")], CancellationToken.None)));

        var results = await Task.WhenAll(posts);

        Assert.That(results, Has.All.InstanceOf<PostTimeResult.Inserted>());
        Assert.That(await _patrawin.PendingTimeAsync(), Has.Count.EqualTo(80));
    }

    private static TimeEntry Entry(string target, string author = "JSM", int code = 120, long chargeable = 600) =>
        new(target, author, code, "narrative", Start, 2796, chargeable);

    private static bool SameIds(PostTimeResult a, PostTimeResult b) =>
        a is PostTimeResult.Inserted x && b is PostTimeResult.Inserted y && x.PendingTimeIds.SequenceEqual(y.PendingTimeIds);
}
