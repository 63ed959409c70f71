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

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is long n ? (int)n : value;
    }
}
