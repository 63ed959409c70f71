using Microsoft.Data.SqlClient;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Tds;

/// <summary>
/// A Patrawin database on a real TDS server (Babelfish, started by ./test.sh through scripts/babelfish.sh): the tables of
/// patrawin-schema.sql, the stand-in pw_PostTime of Fixtures/Tds, and the sandbox's demo firm. Babelfish runs in
/// single-db mode, so there is one such database, <see cref="Database"/>, and the TDS fixtures use it one at a time.
/// </summary>
public sealed class TdsPatrawin
{
    public const string Database = "patrawin";

    private static readonly string[] Tables =
    [
        "PENDING_TIME_335", "KUND_ARENDE_25", "ARENDE_1", "KUND_24", "CREDIT_LEVEL_334", "BEHORIG_50", "FAKTURATEXT_16",
        "FAKTURATEXTNR_15", "FORETAGINFO_56", "PARAMETER_149",
    ];

    public static string Host => "127.0.0.1";

    public static int Port => int.TryParse(Environment.GetEnvironmentVariable("BABELFISH_PORT"), out var port) ? port : 1433;

    public static int PostgresPort => int.TryParse(Environment.GetEnvironmentVariable("BABELFISH_PG_PORT"), out var port) ? port : 5439;

    public static string User => Environment.GetEnvironmentVariable("BABELFISH_USER") ?? "sa_user";

    public static string Password => Environment.GetEnvironmentVariable("BABELFISH_PASSWORD") ?? "Passw0rd!";

    /// <summary>The URL a firm's operator writes, as the Java connector took it.</summary>
    public static string JdbcUrl => $"jdbc:sqlserver://{Host}:{Port};databaseName={Database};encrypt=false";

    /// <summary>The connector's settings for this Patrawin: the JDBC trio.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["PATRAWIN_JDBC_URL"] = JdbcUrl,
        ["PATRAWIN_DB_USER"] = User,
        ["PATRAWIN_DB_PASSWORD"] = Password,
    };

    public static string ConnectionString(string database = Database) => new SqlConnectionStringBuilder
    {
        DataSource = $"{Host},{Port}",
        InitialCatalog = database,
        UserID = User,
        Password = Password,
        Encrypt = SqlConnectionEncryptOption.Optional,
        TrustServerCertificate = true,
        ConnectTimeout = 10,
        Pooling = true,
    }.ConnectionString;

    /// <summary>Drops and creates the database, its tables, the stand-in pw_PostTime and the demo firm.</summary>
    public static async Task<TdsPatrawin> CreateAsync()
    {
        await using (var master = await OpenAsync("master"))
        {
            await ExecuteAsync(master, $"IF DB_ID('{Database}') IS NOT NULL DROP DATABASE {Database}");
            await ExecuteAsync(master, $"CREATE DATABASE {Database}");
        }
        var patrawin = new TdsPatrawin();
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, await File.ReadAllTextAsync(Fixture("patrawin-schema.sql")));
        await ExecuteAsync(connection, await File.ReadAllTextAsync(Fixture("pw_PostTime.sql")));
        await patrawin.ReseedAsync();
        return patrawin;
    }

    /// <summary>
    /// Empties every table and seeds the demo firm again, so that each test starts alike: the demo firm's identities
    /// restart (user ids as on the sandbox), PENDING_TIME_335's do not, as in a real Patrawin, where an id is never
    /// handed out twice (the posting ledger remembers the ids of earlier tests).
    /// </summary>
    public async Task ReseedAsync()
    {
        await using var connection = await OpenAsync();
        foreach (var table in Tables)
        {
            await ExecuteAsync(connection, table == "PENDING_TIME_335" ? $"DELETE FROM dbo.{table}" : $"TRUNCATE TABLE dbo.{table}");
        }
        await using var transaction = await connection.BeginTransactionAsync();
        await SandboxPatrawinData.SeedAsync(connection, transaction, CancellationToken.None);
        await transaction.CommitAsync();
    }

    public async Task<int> ExecuteAsync(string sql, params object?[] values)
    {
        await using var connection = await OpenAsync();
        return await ExecuteAsync(connection, sql, values);
    }

    public async Task<T?> ScalarAsync<T>(string sql, params object?[] values)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, values);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>The first column of every row, in the order the server returns them.</summary>
    public async Task<List<string>> StringsAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    /// <summary>PENDING_TIME_335 in id order, with StartTimeUtc in the sandbox's text form, so that both databases compare alike.</summary>
    public async Task<List<SandboxPatrawin.PendingRow>> PendingTimeAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection,
            "SELECT Id, User_Id, Arendenr, Kundnr, StartTimeUtc, Minutes, Fakturatextnr, [Text], Imported, ImportStatus FROM dbo.PENDING_TIME_335 ORDER BY Id");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<SandboxPatrawin.PendingRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new SandboxPatrawin.PendingRow(
                reader.GetInt32(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                reader.GetDateTime(4).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                reader.GetInt32(5), reader.GetInt16(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetDateTime(8).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                reader.GetInt32(9)));
        }
        return rows;
    }

    public static async Task<SqlConnection> OpenAsync(string database = Database)
    {
        var connection = new SqlConnection(ConnectionString(database));
        try
        {
            await connection.OpenAsync();
        }
        catch (SqlException e)
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException(
                $"No TDS server answers on {Host}:{Port} ({e.Message}). ./test.sh starts Babelfish through scripts/babelfish.sh; " +
                "for a single test run, `scripts/babelfish.sh start` first.", e);
        }
        return connection;
    }

    private static async Task<int> ExecuteAsync(SqlConnection connection, string sql, params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        return await command.ExecuteNonQueryAsync();
    }

    private static SqlCommand Command(SqlConnection connection, string sql, params object?[] values)
    {
        var command = new SqlCommand(sql, connection) { CommandTimeout = 60 };
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue($"@p{i + 1}", values[i] ?? DBNull.Value);
        }
        return command;
    }

    private static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "Tds", name);
}
