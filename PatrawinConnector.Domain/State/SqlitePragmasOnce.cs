using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace PatrawinConnector.Domain.State;

/// <summary>
/// Connection-level PRAGMAs (synchronous, busy_timeout) hold for the life of a native SQLite handle, and the connection
/// pool hands the same handles out again: running them on every open cost a prepared statement per open (a few per
/// webhook post). They run once per handle instead.
/// </summary>
internal static class SqlitePragmasOnce
{
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Applied = [];

    public static void Apply(SqliteConnection connection, string pragmas)
    {
        if (connection.Handle is { } handle && !Applied.TryGetValue(handle, out _))
        {
            using var command = connection.CreateCommand();
            command.CommandText = pragmas;
            command.ExecuteNonQuery();
            Applied.AddOrUpdate(handle, pragmas);
        }
    }

    public static async Task ApplyAsync(SqliteConnection connection, string pragmas, CancellationToken ct)
    {
        if (connection.Handle is { } handle && !Applied.TryGetValue(handle, out _))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = pragmas;
            await command.ExecuteNonQueryAsync(ct);
            Applied.AddOrUpdate(handle, pragmas);
        }
    }
}
