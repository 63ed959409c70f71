using Microsoft.Extensions.Configuration;

namespace PatrawinConnector.Domain.Patrawin;

public enum PatrawinProvider
{
    /// <summary>Chosen from the other settings: SQL Server when a JDBC URL or connection string is set, else SQLite.</summary>
    Auto,
    SqlServer,
    Sqlite,
}

public sealed class PatrawinOptions
{
    [ConfigurationKeyName("PATRAWIN_JDBC_URL")]
    public string? JdbcUrl { get; set; }

    [ConfigurationKeyName("PATRAWIN_DB_USER")]
    public string? DbUser { get; set; }

    [ConfigurationKeyName("PATRAWIN_DB_PASSWORD")]
    public string? DbPassword { get; set; }

    [ConfigurationKeyName("PATRAWIN_CONNECTION_STRING")]
    public string? ConnectionString { get; set; }

    [ConfigurationKeyName("PATRAWIN_PROVIDER")]
    public PatrawinProvider Provider { get; set; } = PatrawinProvider.Auto;

    /// <summary>IANA zone of the Patrawin database server's clock (PENDING_TIME_335.Created is in it).</summary>
    [ConfigurationKeyName("TIMEZONE")]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Seconds a Patrawin command may run before the post fails as transient (500, WiseTime retries).</summary>
    [ConfigurationKeyName("PATRAWIN_COMMAND_TIMEOUT_SECONDS")]
    public int CommandTimeoutSeconds { get; set; } = 20;

    public PatrawinProvider EffectiveProvider => Provider switch
    {
        PatrawinProvider.Auto when !string.IsNullOrWhiteSpace(JdbcUrl) || !string.IsNullOrWhiteSpace(ConnectionString) => PatrawinProvider.SqlServer,
        PatrawinProvider.Auto => PatrawinProvider.Sqlite,
        _ => Provider,
    };

    /// <summary>True when the connector creates and seeds its own demo Patrawin (SQLite, no connection string).</summary>
    public bool IsSandbox => EffectiveProvider == PatrawinProvider.Sqlite && string.IsNullOrWhiteSpace(ConnectionString);
}
