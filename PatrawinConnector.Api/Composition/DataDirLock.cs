namespace PatrawinConnector.Api.Composition;

/// <summary>
/// One connector process per DATA_DIR: an exclusive lock on DATA_DIR/connector.lock for the life of the process (the
/// operating system drops it when the process dies, kill -9 included). A second process on the same directory stops at
/// start-up with this message: two would run every job twice and share one SQLite job store between processes, which
/// Hangfire.Storage.SQLite does not support (ADR-012).
/// </summary>
public sealed class DataDirLock : IDisposable
{
    public const string FileName = "connector.lock";

    private readonly FileStream _file;

    private DataDirLock(FileStream file) => _file = file;

    public static DataDirLock Acquire(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, FileName);
        try
        {
            return new DataDirLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new ConnectorConfigurationException([
                $"DATA_DIR {dataDir} is in use by another connector process (it holds {path}: {e.Message}). " +
                "Two connectors on one DATA_DIR would run every job twice: stop the other one, or give each its own DATA_DIR " +
                "(several replicas share one schedule through JOB_STORE=SQL_SERVER).",
            ]);
        }
    }

    public void Dispose() => _file.Dispose();
}
