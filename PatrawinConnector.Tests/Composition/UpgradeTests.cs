using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Composition;

/// <summary>A DATA_DIR left by the Quartz version of the connector starts on the Hangfire one and keeps what matters.</summary>
public sealed class UpgradeTests
{
    private const string LastMigrationWithJobRuns = "20261122061044_ExternalHours";

    [Test]
    public async Task Start_StateDatabaseWithJobRuns_TableDroppedCursorsKept()
    {
        using var directory = new TempDirectory();
        var state = new StateOptions { DataDir = directory.Path };
        await using (var db = new ConnectorStateDbContext(new DbContextOptionsBuilder<ConnectorStateDbContext>()
                         .UseSqlite(state.StateConnectionString).Options))
        {
            await db.GetService<IMigrator>().MigrateAsync(LastMigrationWithJobRuns);
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO SyncCursors (Name, CreatedAt, Number, PassDone, UpdatedAt) VALUES ('case-sync', '2024-05-01 00:00:00', 'P1234', 0, '2026-12-01 00:00:00');" +
                "INSERT INTO JobRuns (JobId, StartedAt, FinishedAt, Outcome, Message) VALUES ('tag-sync', '2026-12-01 00:00:00', '2026-12-01 00:00:01', 'Succeeded', 'old');");
        }
        SqliteConnection.ClearAllPools();

        using var factory = await new ConnectorApiFactory(dataDir: directory.Path).StartAsync();

        await using var check = new SqliteConnection(state.StateConnectionString);
        await check.OpenAsync();
        Assert.That(await ScalarAsync(check, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'JobRuns'"), Is.Zero,
            "the last runs live in Hangfire's store now");
        Assert.That(await ScalarAsync(check, "SELECT Number FROM SyncCursors WHERE Name = 'case-sync'"), Is.EqualTo("P1234"));
        Assert.That(await ScalarAsync(check, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId DESC LIMIT 1"),
            Does.EndWith("_DropJobRuns"));
    }

    [Test]
    public async Task Start_DataDirWithAQuartzJobStore_StartsRemovesTheStoreWithOneLogLine()
    {
        using var directory = new TempDirectory();
        var quartz = directory.File("jobs.db");
        await using (var connection = new SqliteConnection($"Data Source={quartz}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL;" +
                "CREATE TABLE QRTZ_JOB_DETAILS (SCHED_NAME TEXT NOT NULL, JOB_NAME TEXT NOT NULL, JOB_GROUP TEXT NOT NULL, JOB_CLASS_NAME TEXT NOT NULL, PRIMARY KEY (SCHED_NAME, JOB_NAME, JOB_GROUP));" +
                "INSERT INTO QRTZ_JOB_DETAILS VALUES ('patrawin-connector', 'tag-sync', 'DEFAULT', 'PatrawinConnector.Api.Jobs.TagSyncJob');";
            await command.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();

        using var factory = await new ConnectorApiFactory(withScheduler: true, dataDir: directory.Path).StartAsync();
        using var client = factory.CreateClient();
        var jobs = await client.GetStringAsync("/ops/api/jobs");

        Assert.That(jobs, Does.Contain("\"tag-sync\"").And.Contain("\"external-hours-sync\""), "started, with its jobs in Hangfire's store");
        Assert.That(Directory.GetFiles(directory.Path, "jobs.db*"), Is.Empty);
        Assert.That(factory.Logs.Entries.Count(e => e.Contains("the Quartz job store of an earlier version", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(factory.Logs.Entries, Has.None.Contains("QRTZ_"), "nothing reads the old store");
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is long n ? (int)n : value;
    }
}
