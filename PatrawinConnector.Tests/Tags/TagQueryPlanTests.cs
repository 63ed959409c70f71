using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.Tags;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Tags;

/// <summary>
/// The tag queries on a Patrawin that has nothing but its primary keys (patrawin-schema.sql): SQLite's EXPLAIN QUERY
/// PLAN of every statement they send. No statement may scan a table once per row (a correlated subquery that scans),
/// and a whole run of the sync is a fixed number of statements however many batches it has, so that its cost grows
/// with the table, not with its square.
/// </summary>
public sealed class TagQueryPlanTests
{
    private TempDirectory _directory = null!;
    private string _connectionString = null!;

    [SetUp]
    public async Task CreatePrimaryKeyOnlyPatrawin()
    {
        _directory = new TempDirectory();
        _connectionString = $"Data Source={Path.Combine(_directory.Path, "patrawin.db")};Pooling=False";
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = SandboxPatrawinData.Tables + """
            INSERT INTO CREDIT_LEVEL_334 (Creditcode, Creditdescription, Type) VALUES ('A', 'Normal', 0), ('B', 'Blocked', 2);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
            INSERT INTO KUND_24 (Kundnr, Kortnamnkund, Skapatdat, Kreditjn, Valutakod, Landkod, Sprakkod, Rowguid, Einvoicetype,
                Xmlinvoicetypeid, Einvoiceaccent, Enableipforecaster, Automatfakturajn, Usebasicoutsourcingsurcharge, IsAgentInFile)
            SELECT printf('K%05d', i), 'Client ' || i, CASE WHEN i % 97 = 0 THEN NULL ELSE datetime('2000-01-01', '+' || i || ' hours') END,
                   CASE WHEN i % 50 = 0 THEN 'B' ELSE 'A' END, 'SEK', 'SE', 'E', 'g', 0, 0, 0, 0, 'N', 0, 0 FROM n;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
            INSERT INTO ARENDE_1 (Arendenr, Slagord, Skapatdat, Rowguid, Officeid, Electronic_file, Excludedfromiprcontrol, Outsourced)
            SELECT printf('P%06dSE', i), 'Case ' || i, CASE WHEN i % 100 = 0 THEN NULL ELSE datetime('2000-01-01', '+' || (i / 3) || ' minutes') END,
                   'g', 1, 0, 0, 0 FROM n;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
            INSERT INTO KUND_ARENDE_25 (Kundtyp, Arendenr, Kundnr, Part) SELECT 2, printf('P%06dSE', i), printf('K%05d', i % 300 + 1), 1 FROM n;
            """;
        await command.ExecuteNonQueryAsync();
    }

    [TearDown]
    public void Remove() => _directory.Dispose();

    [TestCase(TagKind.Case)]
    [TestCase(TagKind.Client)]
    public async Task NewAfterAsync_PrimaryKeysOnly_NoStatementScansPerRowAndOneStreamPerRun(TagKind kind)
    {
        var (commands, queries, db) = Open();
        await using var _ = db;

        var rows = await ReadAllAsync(queries.NewAfterAsync(kind, KeysetPosition.Start, CancellationToken.None));
        var fromStart = commands.Count;
        var middle = rows[rows.Count / 2].Position;
        var rest = await ReadAllAsync(queries.NewAfterAsync(kind, middle, CancellationToken.None));
        var fromCursor = commands.Count - fromStart;
        var none = await ReadAllAsync(queries.NewAfterAsync(kind, new KeysetPosition(new DateTime(9000, 1, 1), "~"), CancellationToken.None));
        var fromEnd = commands.Count - fromStart - fromCursor;

        Assert.That(rows, Has.Count.GreaterThan(250), "many batches' worth of rows");
        Assert.That(rest, Is.EqualTo(rows.Skip(rows.Count / 2 + 1)), "a run that starts from a cursor reads what follows it");
        Assert.That(none, Is.Empty);
        Assert.That(fromStart, Is.EqualTo(1), "one ordered stream per run, however many batches");
        Assert.That(fromCursor, Is.EqualTo(2), "after a cursor: one window of what follows, one look-up of its client links");
        Assert.That(fromEnd, Is.EqualTo(1), "nothing after the cursor: one scan, no look-up");
        await AssertNoScanPerRowAsync(commands);
    }

    [TestCase(TagKind.Case, false)]
    [TestCase(TagKind.Case, true)]
    [TestCase(TagKind.Client, true)]
    public async Task NextPageAsync_PrimaryKeysOnly_NoStatementScansPerRow(TagKind kind, bool refresh)
    {
        var (commands, queries, db) = Open();
        await using var _ = db;

        var first = await queries.NextPageAsync(kind, KeysetPosition.Start, 100, refresh, CancellationToken.None);
        var next = await queries.NextPageAsync(kind, first[^1].Position, 100, refresh, CancellationToken.None);

        Assert.That((first.Count, next.Count), Is.EqualTo((100, 100)));
        await AssertNoScanPerRowAsync(commands);
    }

    // The start-up warm-up (TagSyncWarmUp) on a process's cold query cache: afterwards a first sync, an incremental run
    // and a resumed first sync of either kind translate nothing before their first statement, and it sent nothing.
    [Test]
    public async Task Prepare_ColdQueryCache_RunsOfBothKindsThenCompileNoQuery()
    {
        await using (var connection = new SqliteConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var more = connection.CreateCommand();
            more.CommandText = $"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {TagQueries.FewRows + 100})
                INSERT INTO KUND_24 (Kundnr, Kortnamnkund, Skapatdat, Kreditjn, Valutakod, Landkod, Sprakkod, Rowguid, Einvoicetype,
                    Xmlinvoicetypeid, Einvoiceaccent, Enableipforecaster, Automatfakturajn, Usebasicoutsourcingsurcharge, IsAgentInFile)
                SELECT printf('L%05d', i), 'Client ' || i, datetime('2001-01-01', '+' || i || ' hours'), 'A', 'SEK', 'SE', 'E', 'g', 0, 0, 0, 0, 'N', 0, 0 FROM n;
                """;   // enough clients that a resumed first sync of clients streams too
            await more.ExecuteNonQueryAsync();
        }
        await using var efServices = new ServiceCollection().AddEntityFrameworkSqlite().BuildServiceProvider();
        var compilations = new List<string>();
        var commands = new List<Statement>();
        var options = new DbContextOptionsBuilder<PatrawinDbContext>()
            .UseInternalServiceProvider(efServices)
            .UseSqlite(_connectionString)
            .AddInterceptors(new CapturingInterceptor(commands))
            .LogTo(compilations.Add, [CoreEventId.QueryCompilationStarting])
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .Options;

        await using (var warmUp = new PatrawinDbContext(options))
        {
            new TagQueries(warmUp).Prepare();
        }
        var prepared = compilations.Count;
        compilations.Clear();

        await using var run = new PatrawinDbContext(options);
        var queries = new TagQueries(run);
        foreach (var kind in new[] { TagKind.Case, TagKind.Client })
        {
            var all = await ReadAllAsync(queries.NewAfterAsync(kind, KeysetPosition.Start, CancellationToken.None));
            var dated = all.Where(r => !r.Position.InUndatedSegment).ToList();
            var few = await ReadAllAsync(queries.NewAfterAsync(kind, dated[^(TagQueries.FewRows / 20)].Position, CancellationToken.None));
            var many = await ReadAllAsync(queries.NewAfterAsync(kind, dated[0].Position, CancellationToken.None));
            Assert.That((few.Count, many.Count), Is.EqualTo((TagQueries.FewRows / 20 - 1, all.Count - all.IndexOf(dated[0]) - 1)), $"{kind}");
        }

        Assert.That(compilations, Is.Empty, "the runs found every statement in the query cache");
        Assert.That(prepared, Is.EqualTo(8), "four statements of each kind translated");
        Assert.That(commands.Count, Is.EqualTo(10), "per kind: a stream; a window and its look-up; a window and a stream. The warm-up sends none");
    }

    private (List<Statement> Commands, TagQueries Queries, PatrawinDbContext Db) Open()
    {
        var commands = new List<Statement>();
        var db = new PatrawinDbContext(new DbContextOptionsBuilder<PatrawinDbContext>()
            .UseSqlite(_connectionString, sqlite => sqlite.CommandTimeout(20))   // PATRAWIN_COMMAND_TIMEOUT_SECONDS' default
            .AddInterceptors(new CapturingInterceptor(commands))
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .Options);
        return (commands, new TagQueries(db), db);
    }

    private async Task AssertNoScanPerRowAsync(List<Statement> commands)
    {
        Assert.That(commands, Is.Not.Empty);
        Assert.That(commands.Select(c => c.TimeoutSeconds), Is.All.EqualTo((int)TagQueries.ScanTimeout.TotalSeconds),
            "a tag read may take longer than a post: it scans and sorts the table before its first row");
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        foreach (var captured in commands)
        {
            var plan = await PlanAsync(connection, captured);
            TestContext.Out.WriteLine(captured.CommandText + "\n" + string.Join("\n", plan) + "\n");
            var correlated = plan.Where(p => p.Detail.StartsWith("CORRELATED", StringComparison.Ordinal)).Select(p => p.Id).ToHashSet();
            var scansPerRow = plan.Where(p => p.Detail.StartsWith("SCAN ", StringComparison.Ordinal) && Within(plan, p, correlated)).ToList();
            Assert.That(scansPerRow, Is.Empty, $"a table is scanned once per row in:\n{captured.CommandText}\n{string.Join("\n", plan)}");
        }
    }

    /// <summary>Whether the plan step lies inside one of the given subqueries.</summary>
    private static bool Within(List<PlanStep> plan, PlanStep step, HashSet<long> subqueries)
    {
        var parent = step.Parent;
        while (parent != 0)
        {
            if (subqueries.Contains(parent))
            {
                return true;
            }
            parent = plan.FirstOrDefault(p => p.Id == parent)?.Parent ?? 0;
        }
        return false;
    }

    private sealed record Statement(string CommandText, List<(string Name, object Value)> Parameters, int TimeoutSeconds);

    private sealed record PlanStep(long Id, long Parent, string Detail)
    {
        public override string ToString() => $"{Id} <- {Parent}: {Detail}";
    }

    private static async Task<List<PlanStep>> PlanAsync(SqliteConnection connection, Statement captured)
    {
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + captured.CommandText;
        foreach (var (name, value) in captured.Parameters)
        {
            explain.Parameters.AddWithValue(name, value);
        }
        await using var reader = await explain.ExecuteReaderAsync();
        var steps = new List<PlanStep>();
        while (await reader.ReadAsync())
        {
            steps.Add(new PlanStep(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(3)));
        }
        return steps;
    }

    private static async Task<List<TagRow>> ReadAllAsync(IAsyncEnumerable<TagRow> rows)
    {
        var all = new List<TagRow>();
        await foreach (var row in rows)
        {
            all.Add(row);
        }
        return all;
    }

    private sealed class CapturingInterceptor(List<Statement> commands) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            commands.Add(new Statement(command.CommandText,
                command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value ?? DBNull.Value)).ToList(), command.CommandTimeout));
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
