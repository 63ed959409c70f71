using Microsoft.Extensions.Options;

namespace PatrawinConnector.Api.Composition;

public enum JobStore
{
    /// <summary>Hangfire.Storage.SQLite in DATA_DIR/hangfire.db: one connector.</summary>
    Sqlite,
    /// <summary>Hangfire.SqlServer in a shared database: several replicas, each job on one of them at a time.</summary>
    SqlServer,
}

public sealed class JobStoreOptions
{
    [ConfigurationKeyName("JOB_STORE")]
    public JobStore JobStore { get; set; } = JobStore.Sqlite;

    /// <summary>SqlClient connection string of the shared job store (JOB_STORE=SQLSERVER); Hangfire creates its HangFire schema when missing.</summary>
    [ConfigurationKeyName("JOB_STORE_CONNECTION_STRING")]
    public string? ConnectionString { get; set; }
}

internal sealed class JobStoreOptionsValidator : IValidateOptions<JobStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, JobStoreOptions options) =>
        options.JobStore == JobStore.SqlServer && string.IsNullOrWhiteSpace(options.ConnectionString)
            ? ValidateOptionsResult.Fail("JOB_STORE is SQL_SERVER but JOB_STORE_CONNECTION_STRING is not set. " +
                                         "Example: JOB_STORE_CONNECTION_STRING=Server=dbhost;Database=PatrawinConnectorJobs;User ID=…;Password=…")
            : ValidateOptionsResult.Success;
}
