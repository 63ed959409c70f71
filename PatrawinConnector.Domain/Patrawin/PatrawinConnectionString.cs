namespace PatrawinConnector.Domain.Patrawin;

/// <summary>The resolved Patrawin connection string (SqlClient or SQLite). It may hold a password: never log it.</summary>
public sealed record PatrawinConnectionString(string Value)
{
    public override string ToString() => "PatrawinConnectionString { Value = *** }";
}

public static class PatrawinConnection
{
    /// <summary>The file the sandbox Patrawin lives in when no connection string is given.</summary>
    public const string SandboxFileName = "patrawin-sandbox.db";

    /// <summary>Resolves the connection string once: JDBC URL, ADO.NET connection string, or the sandbox file in DATA_DIR.</summary>
    public static PatrawinConnectionString Resolve(PatrawinOptions options, string dataDir) =>
        (options.EffectiveProvider, options) switch
        {
            (PatrawinProvider.SqlServer, { JdbcUrl: { Length: > 0 } jdbc }) =>
                new(JdbcUrl.Translate(jdbc, options.DbUser, options.DbPassword).ConnectionString),
            (_, { ConnectionString: { Length: > 0 } connectionString }) => new(connectionString),
            _ => new($"Data Source={Path.Combine(dataDir, SandboxFileName)}"),
        };
}
