using Microsoft.Extensions.Configuration;

namespace PatrawinConnector.Domain.State;

public sealed class StateOptions
{
    /// <summary>The connector's own state: sync cursors, posting ledger, job store, sandbox files. Relative paths are under the working directory.</summary>
    [ConfigurationKeyName("DATA_DIR")]
    public string DataDir { get; set; } = "data";

    public string FullDataDir => Path.GetFullPath(DataDir);

    public string StateConnectionString => $"Data Source={Path.Combine(FullDataDir, "connector-state.db")}";
}
