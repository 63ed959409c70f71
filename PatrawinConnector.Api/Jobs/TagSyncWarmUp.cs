using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.Tags;

namespace PatrawinConnector.Api.Jobs;

/// <summary>
/// Right after start-up, off the start path: EF Core builds the Patrawin model and translates tag-sync's statements
/// (<see cref="TagQueries.Prepare"/>) and the cursors are read once, so that the first run, seconds later, sends its
/// statements at once instead of after most of a second of first-time work. Nothing is sent to Patrawin; if this
/// fails, the first run does the same work itself.
/// </summary>
internal sealed class TagSyncWarmUp(IServiceScopeFactory scopes, SyncCursorStore cursors, ILogger<TagSyncWarmUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TagQueries>().Prepare();
            await cursors.PositionAsync(SyncCursor.CaseSync, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogDebug(e, "Preparing tag-sync's statements failed; the first run prepares them itself");
        }
    }
}
