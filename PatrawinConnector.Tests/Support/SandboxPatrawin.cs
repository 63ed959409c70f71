using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using PatrawinConnector.Domain.Patrawin;

namespace PatrawinConnector.Tests.Support;

/// <summary>A real, seeded Patrawin-shaped SQLite file, and plain SQL to arrange and inspect it.</summary>
public sealed class SandboxPatrawin
{
    private SandboxPatrawin(string file) => ConnectionString = new PatrawinConnectionString($"Data Source={file}");

    public PatrawinConnectionString ConnectionString { get; }

    public static async Task<SandboxPatrawin> CreateAsync(string file)
    {
        var sandbox = new SandboxPatrawin(file);
        await new SqlitePatrawinDatabase(sandbox.ConnectionString, NullLogger<SqlitePatrawinDatabase>.Instance).EnsureReadyAsync(CancellationToken.None);
        return sandbox;
    }

    public async Task<int> ExecuteAsync(string sql, params object?[] values)
    {
        await using var connection = new SqliteConnection(ConnectionString.Value);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue($"${i + 1}", values[i] ?? DBNull.Value);
        }
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<List<PendingRow>> PendingTimeAsync()
    {
        await using var connection = new SqliteConnection(ConnectionString.Value);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, User_Id, Arendenr, Kundnr, StartTimeUtc, Minutes, Fakturatextnr, Text, Imported, ImportStatus FROM PENDING_TIME_335 ORDER BY Id";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<PendingRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new PendingRow(
                reader.GetInt32(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetInt32(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetInt32(9)));
        }
        return rows;
    }

    public sealed record PendingRow(
        int Id, int UserId, string? CaseNumber, string ClientNumber, string StartTimeUtc, int Minutes, int ActivityCode,
        string? Text, string? Imported, int ImportStatus);
}
