using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace PatrawinConnector.Domain.Patrawin;

/// <summary>
/// pw_PostTime's contract on a Patrawin-shaped SQLite file (the sandbox, and the tests): the same checks in the
/// same order, the same return codes and the same PENDING_TIME_335 row, every entry of a group in one transaction.
/// Comparisons are case-insensitive, as under Patrawin's SQL Server collation.
/// </summary>
public sealed class SqliteTimePoster(PatrawinConnectionString connectionString, IOptions<PatrawinOptions> options, TimeProvider clock)
    : IPatrawinTimePoster, IDisposable
{
    // SQLite has one writer at a time; queueing writers here is far cheaper than SQLITE_BUSY retries.
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly TimeZoneInfo _serverZone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    private const string FindCaseSql = """
        SELECT l.Arendenr, k.Kundnr, c.Type
        FROM KUND_ARENDE_25 l
        JOIN KUND_24 k ON k.Kundnr = l.Kundnr COLLATE NOCASE
        JOIN CREDIT_LEVEL_334 c ON c.Creditcode = k.Kreditjn COLLATE NOCASE
        WHERE l.Arendenr = $id COLLATE NOCASE AND l.Part = 1 AND l.Kundtyp = 2
        ORDER BY l.Id DESC
        LIMIT 1
        """;

    private const string FindClientSql = """
        SELECT NULL, k.Kundnr, c.Type
        FROM KUND_24 k
        JOIN CREDIT_LEVEL_334 c ON c.Creditcode = k.Kreditjn COLLATE NOCASE
        WHERE k.Kundnr = $id COLLATE NOCASE
        LIMIT 1
        """;

    // Checks 3 and 4 in one statement (one prepare per entry instead of two); their order is kept by the caller.
    private const string FindUserAndActivityCodeSql = """
        SELECT (SELECT Id
                FROM BEHORIG_50
                WHERE (Username = $user COLLATE NOCASE OR Email = $user COLLATE NOCASE) AND Isactive = 1
                ORDER BY CASE WHEN Username = $user COLLATE NOCASE THEN 0 ELSE 1 END, Id
                LIMIT 1),
               EXISTS (SELECT 1 FROM FAKTURATEXTNR_15 WHERE Fakturatextnr = $code AND Inaktiv = 0)
        """;

    // The Id is given explicitly (inside the write transaction), so that a hand-made file whose Id column is declared
    // "int PRIMARY KEY" (not SQLite's auto-numbered "INTEGER PRIMARY KEY") works too.
    private const string InsertSql = """
        INSERT INTO PENDING_TIME_335 (Id, User_Id, Arendenr, Kundnr, StartTimeUtc, Minutes, Fakturatextnr, Text, Imported, ImportStatus, Created)
        VALUES ((SELECT COALESCE(MAX(Id), 0) + 1 FROM PENDING_TIME_335), $userId, $case, $client, $start, $minutes, $code, $text, NULL, 0, $created)
        RETURNING Id
        """;

    public async Task<PostTimeResult> PostAsync(IReadOnlyList<TimeEntry> entries, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var connection = new SqliteConnection(connectionString.Value);
            await connection.OpenAsync(cancellationToken);
            if (options.Value.IsSandbox)
            {
                // The sandbox was created in WAL mode, where NORMAL keeps every commit across a process crash without an
                // fsync per commit, and its checkpoints are the WalCheckpointer's. A file the operator gave is left on
                // SQLite's defaults.
                await State.SqlitePragmasOnce.ApplyAsync(connection, State.WalCheckpointer.WriterPragmas, cancellationToken);
            }
            await using var transaction = connection.BeginTransaction();
            var ids = new List<int>(entries.Count);
            for (var i = 0; i < entries.Count; i++)
            {
                var returnValue = await PostOneAsync(connection, transaction, entries[i], cancellationToken);
                if (returnValue <= 0)
                {
                    transaction.Rollback();
                    return new PostTimeResult.Refused(i, (PostTimeRefusal)returnValue);
                }
                ids.Add(returnValue);
            }

            transaction.Commit();
            return new PostTimeResult.Inserted(ids);
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<int> PostOneAsync(SqliteConnection connection, SqliteTransaction transaction, TimeEntry entry, CancellationToken ct)
    {
        var timeout = options.Value.CommandTimeoutSeconds;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandTimeout = timeout;

        // 1. the case's billing client (Part 1, Kundtyp 2), else 2. the client itself
        command.CommandText = FindCaseSql;
        command.Parameters.AddWithValue("$id", entry.CaseOrClientNumber);
        var target = await ReadTargetAsync(command, ct);
        if (target is null)
        {
            command.CommandText = FindClientSql;
            target = await ReadTargetAsync(command, ct);
        }
        if (target is null)
        {
            return (int)PostTimeRefusal.CaseOrClientNotFound;
        }
        if (target.Value.CreditType == CreditLevel.BlockedType)
        {
            return (int)PostTimeRefusal.ClientBlocked;
        }

        // 3. an active user by username, else by e-mail (nvarchar(50): longer values are cut, as SQL Server does);
        // 4. an active activity code
        command.Parameters.Clear();
        command.CommandText = FindUserAndActivityCodeSql;
        command.Parameters.AddWithValue("$user", entry.Author.Length > 50 ? entry.Author[..50] : entry.Author);
        command.Parameters.AddWithValue("$code", entry.ActivityCode);
        long userId;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            if (reader.IsDBNull(0))
            {
                return (int)PostTimeRefusal.UserNotFoundOrInactive;
            }
            userId = reader.GetInt64(0);
            if (reader.GetInt64(1) == 0)
            {
                return (int)PostTimeRefusal.ActivityCodeNotFoundOrInactive;
            }
        }

        command.Parameters.Clear();
        command.CommandText = InsertSql;
        command.Parameters.AddWithValue("$userId", userId);
        command.Parameters.AddWithValue("$case", (object?)target.Value.CaseNumber ?? DBNull.Value);
        command.Parameters.AddWithValue("$client", target.Value.ClientNumber);
        command.Parameters.AddWithValue("$start", entry.StartTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$minutes", entry.ChargeableSeconds / 60);
        command.Parameters.AddWithValue("$code", entry.ActivityCode);
        command.Parameters.AddWithValue("$text", entry.Narrative);
        command.Parameters.AddWithValue("$created", ServerNow().ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture));
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static async Task<(string? CaseNumber, string ClientNumber, long CreditType)?> ReadTargetAsync(SqliteCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        return (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetString(1), reader.GetInt64(2));
    }

    /// <summary>"Now" on the database server's clock (TIMEZONE), as sysdatetime() fills PENDING_TIME_335.Created.</summary>
    private DateTime ServerNow() => TimeZoneInfo.ConvertTime(clock.GetUtcNow(), _serverZone).DateTime;

    public void Dispose() => _writer.Dispose();
}
