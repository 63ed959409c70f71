using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.State;

/// <summary>The connector's own SQLite files are checkpointed in the background, never inside a post's commit.</summary>
public sealed class WalCheckpointerTests
{
    [Test]
    public async Task CheckpointAsync_RowsOnlyInTheWal_AreInTheDatabaseFileAfterwards()
    {
        using var directory = new TempDirectory();
        var (checkpointer, _) = Create(directory.Path);
        var stateFile = directory.File("connector-state.db");
        // A writer that never checkpoints itself and stays open, so that SQLite does not checkpoint when it closes.
        await using var writer = new SqliteConnection($"Data Source={stateFile};Pooling=False");
        await writer.OpenAsync();
        await ExecuteAsync(writer, "PRAGMA journal_mode = WAL; CREATE TABLE t (n INTEGER); PRAGMA wal_checkpoint(TRUNCATE); PRAGMA wal_autocheckpoint = 0;");
        await ExecuteAsync(writer, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO t SELECT i FROM n;");

        Assert.That(await RowsInTheDatabaseFileAloneAsync(stateFile, directory.File("before.db")), Is.Zero, "the rows are only in the WAL");
        await checkpointer.CheckpointAsync(CancellationToken.None);
        Assert.That(await RowsInTheDatabaseFileAloneAsync(stateFile, directory.File("after.db")), Is.EqualTo(100));
    }

    [Test]
    public async Task CheckpointAsync_FileCannotBeOpened_LogsOnceAndRecovers()
    {
        using var directory = new TempDirectory();
        var (checkpointer, logs) = Create(directory.Path);
        Directory.CreateDirectory(directory.File("connector-state.db"));   // a directory where the file should be

        await checkpointer.CheckpointAsync(CancellationToken.None);
        await checkpointer.CheckpointAsync(CancellationToken.None);
        Assert.That(logs.Entries.Count(e => e.StartsWith("Warning", StringComparison.Ordinal) && e.Contains("WAL checkpoint of connector-state.db failed", StringComparison.Ordinal)),
            Is.EqualTo(1), "a failing file is reported once, not every second");

        Directory.Delete(directory.File("connector-state.db"));
        await checkpointer.CheckpointAsync(CancellationToken.None);
        Assert.That(logs.Entries, Has.Some.Contains("WAL checkpoint of connector-state.db works again"));
    }

    [Test]
    public void Files_OperatorsPatrawinFile_IsLeftAlone()
    {
        using var directory = new TempDirectory();
        var (sandbox, _) = Create(directory.Path);
        var (operators, _) = Create(directory.Path, connectionString: $"Data Source={directory.File("firm.db")}");

        Assert.That(sandbox.Files, Has.Count.EqualTo(2).And.Some.Contains(PatrawinConnection.SandboxFileName));
        Assert.That(operators.Files, Has.Count.EqualTo(1).And.All.Contains("connector-state.db"));
    }

    [Test]
    public async Task StateConnections_LeaveCheckpointsToTheCheckpointer_WithABackstop()
    {
        await using var harness = await DomainHarness.StartAsync();
        await using var db = await harness.Services.GetRequiredService<IDbContextFactory<ConnectorStateDbContext>>().CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA wal_autocheckpoint;";

        Assert.That(Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(WalCheckpointer.BackstopPages));
    }

    private static (WalCheckpointer Checkpointer, CapturingLoggerProvider Logs) Create(string dataDir, string? connectionString = null)
    {
        var patrawin = new PatrawinOptions { Provider = PatrawinProvider.Sqlite, ConnectionString = connectionString };
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        return (new WalCheckpointer(
            Options.Create(new StateOptions { DataDir = dataDir }),
            Options.Create(patrawin),
            PatrawinConnection.Resolve(patrawin, dataDir),
            factory.CreateLogger<WalCheckpointer>()), logs);
    }

    /// <summary>Rows of t in a copy of the database file without its WAL: what a checkpoint has moved.</summary>
    private static async Task<long> RowsInTheDatabaseFileAloneAsync(string file, string copy)
    {
        File.Copy(file, copy);
        await using var connection = new SqliteConnection($"Data Source={copy};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM t";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
