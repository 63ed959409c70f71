using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.Patrawin;

namespace PatrawinConnector.Domain.State;

/// <summary>
/// Moves the committed WAL frames of the connector's own SQLite files (the state database and, on the sandbox, the
/// sandbox Patrawin) into the database files five times a second, on this background service. SQLite would otherwise
/// checkpoint inside a commit, every 1,000 pages, fsync included, while the committing post holds its file's write
/// gate and every other post waits behind it: that was most of the webhook's p99 (docs/performance.md). Small, frequent
/// checkpoints measured better than one a second, whose larger fsync still stalled the writers. The files'
/// connections keep SQLite's own checkpoint as a backstop, at <see cref="BackstopPages"/> pages. A file the operator
/// gave is left alone.
/// </summary>
public sealed partial class WalCheckpointer(
    IOptions<StateOptions> state,
    IOptions<PatrawinOptions> patrawin,
    PatrawinConnectionString patrawinConnection,
    ILogger<WalCheckpointer> logger) : BackgroundService
{
    /// <summary>SQLite's own checkpoint, should this service fall behind or stop: about 80 MB of WAL.</summary>
    public const int BackstopPages = 20_000;

    /// <summary>
    /// What every connection that writes to one of these files sets, once per SQLite handle: commits that wait for the
    /// WAL only, and SQLite's own checkpoint held back to the backstop.
    /// </summary>
    public static readonly string WriterPragmas = $"PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = {BackstopPages};";

    internal static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly HashSet<string> _failing = [];

    internal IReadOnlyList<string> Files => patrawin.Value.IsSandbox
        ? [state.Value.StateConnectionString, patrawinConnection.Value]
        : [state.Value.StateConnectionString];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckpointAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    /// <summary>One PASSIVE checkpoint of each file: it copies what no reader still needs and never waits for a writer.</summary>
    internal async Task CheckpointAsync(CancellationToken ct)
    {
        foreach (var file in Files)
        {
            try
            {
                await using var connection = new SqliteConnection(file);
                await connection.OpenAsync(ct);
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                await command.ExecuteNonQueryAsync(ct);
                if (_failing.Remove(file))
                {
                    LogRecovered(Path.GetFileName(new SqliteConnectionStringBuilder(file).DataSource));
                }
            }
            catch (SqliteException e)
            {
                if (_failing.Add(file))
                {
                    LogFailed(Path.GetFileName(new SqliteConnectionStringBuilder(file).DataSource), e.Message);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WAL checkpoint of {File} failed ({Reason}); SQLite checkpoints it itself at its backstop size")]
    private partial void LogFailed(string file, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "WAL checkpoint of {File} works again")]
    private partial void LogRecovered(string file);
}
