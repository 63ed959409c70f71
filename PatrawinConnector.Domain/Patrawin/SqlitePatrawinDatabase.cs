using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace PatrawinConnector.Domain.Patrawin;

/// <summary>
/// Prepares a Patrawin-shaped SQLite file: one that already holds Patrawin's tables is used as it is (never
/// altered, never reseeded); a new, empty file gets the tables of patrawin-schema.sql and the demo data.
/// </summary>
public sealed class SqlitePatrawinDatabase(PatrawinConnectionString connectionString, ILogger<SqlitePatrawinDatabase> logger)
{
    /// <summary>The tables the connector reads or writes; a file holding all of them is a Patrawin database.</summary>
    public static readonly IReadOnlyList<string> RequiredTables =
        ["ARENDE_1", "KUND_24", "KUND_ARENDE_25", "CREDIT_LEVEL_334", "BEHORIG_50", "FAKTURATEXTNR_15", "PENDING_TIME_335"];

    public async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString.Value);
        if (builder.DataSource is { Length: > 0 } file && builder.Mode != SqliteOpenMode.Memory && Path.GetDirectoryName(Path.GetFullPath(file)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = new SqliteConnection(connectionString.Value);
        await connection.OpenAsync(cancellationToken);
        var tables = await ReadTableNamesAsync(connection, cancellationToken);
        var missing = RequiredTables.Where(t => !tables.Contains(t)).ToList();
        if (missing.Count == 0)
        {
            logger.LogInformation("Using the Patrawin tables of the SQLite file {DataSource} as they are", builder.DataSource);
            return;
        }

        if (tables.Count > 0)
        {
            throw new InvalidOperationException(
                $"The SQLite file {builder.DataSource} is not a Patrawin database: it has tables but not {string.Join(", ", missing)}. " +
                "Point PATRAWIN_CONNECTION_STRING at a Patrawin-shaped file or at a new file to create a sandbox.");
        }

        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode = WAL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var transaction = connection.BeginTransaction();
        await using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = SandboxPatrawinData.Tables + SandboxPatrawinData.SandboxIndexes;
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        var rows = await SandboxPatrawinData.SeedAsync(connection, transaction, cancellationToken);
        transaction.Commit();
        logger.LogInformation("Created the sandbox Patrawin database {DataSource} with {RowCount} demo rows", builder.DataSource, rows);
    }

    private static async Task<HashSet<string>> ReadTableNamesAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        await using var reader = await command.ExecuteReaderAsync(ct);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadAsync(ct))
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }
}
