using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Domain.WiseTime.Contracts;

namespace PatrawinConnector.Domain.Tags;

/// <summary>What one run of a tag job did.</summary>
public sealed record TagRunSummary(int Upserted, int Deleted, int Skipped, int Batches)
{
    public static TagRunSummary operator +(TagRunSummary a, TagRunSummary b) =>
        new(a.Upserted + b.Upserted, a.Deleted + b.Deleted, a.Skipped + b.Skipped, a.Batches + b.Batches);

    public override string ToString() => $"{Upserted} upserted, {Deleted} deleted, {Skipped} skipped in {Batches} batches";
}

/// <summary>
/// tag-sync: new cases and new clients as WiseTime tags, until nothing new is left. The two kinds are drained side by
/// side, each from its own ordered statement on its own context and with its own cursor, sharing the
/// TAG_UPSERT_CONCURRENCY upload slots: the clients' short stream goes out while the cases' statement still sorts
/// (seconds on a million cases without a creation-date index, ADR-013). In each drain a reader streams the query and
/// maps it into batches ahead while the batches are in flight; the cursor moves past a batch only once WiseTime
/// accepted it and every batch of its kind before it, so a crash or an outage may repeat an upsert but never skips a row.
/// </summary>
public sealed class TagSyncService(
    IServiceScopeFactory scopes,
    SyncCursorStore cursors,
    IWiseTimeClient wiseTime,
    IOptions<TagOptions> options,
    ILogger<TagSyncService> logger)
{
    /// <summary>
    /// One drain's failure does not stop the other kind (its cursor is its own); the run fails once both have ended,
    /// with the cases' error first when both failed (each failure is logged as it happens).
    /// </summary>
    public async Task<TagRunSummary> RunAsync(CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(options.Value.TagUpsertConcurrency);
        // Both at once, off the job's thread: each drain's first steps (its cursor, its count) are synchronous on SQLite.
        var cases = Task.Run(() => DrainInOwnScopeAsync(TagKind.Case, SyncCursor.CaseSync, slots, cancellationToken), cancellationToken);
        var clients = Task.Run(() => DrainInOwnScopeAsync(TagKind.Client, SyncCursor.ClientSync, slots, cancellationToken), cancellationToken);
        await ((Task)Task.WhenAll(cases, clients)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return await cases + await clients;
    }

    private async Task<TagRunSummary> DrainInOwnScopeAsync(TagKind kind, string cursorName, SemaphoreSlim slots, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            return await DrainAsync(scope.ServiceProvider.GetRequiredService<TagQueries>(), kind, cursorName, slots, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "tag-sync of {Kind}s stopped: {Error}", kind, e.Message);
            throw;
        }
    }

    /// <summary>A page read from Patrawin, mapped to tags, with the position the cursor moves to once it is accepted.</summary>
    private sealed record Batch(List<UpsertTagRequest> Tags, int Skipped, KeysetPosition After, int Rows);

    private sealed record InFlight(Task<TagRunSummary> Upload, KeysetPosition After, int Rows);

    private async Task<TagRunSummary> DrainAsync(TagQueries queries, TagKind kind, string cursorName, SemaphoreSlim slots, CancellationToken ct)
    {
        var settings = options.Value;
        var position = await cursors.PositionAsync(cursorName, ct);
        if (position.IsStart)
        {
            // All rows of the table: an upper bound for the progress bar that costs an index count, not a scan with joins.
            await cursors.StartPassAsync(cursorName, await queries.CountAsync(kind, ct), ct);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pages = Channel.CreateBounded<Batch>(new BoundedChannelOptions(settings.TagUpsertConcurrency) { SingleReader = true, SingleWriter = true });
        // Its own thread, not the pool's: a SQLite statement runs its whole scan and sort inside the first read, seconds on
        // a million cases without an index, and a pool thread blocked that long on two cores starves the uploads.
        // It always starts, so that it completes the channel, even when the run is already being stopped.
        var reader = Task.Factory.StartNew(() => ReadAsync(queries, kind, position, pages.Writer, stop.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        var inFlight = new Queue<InFlight>();
        var cursorSaved = Task.CompletedTask;   // cursor writes, chained in batch order, off the upload path
        var summary = new TagRunSummary(0, 0, 0, 0);
        try
        {
            await foreach (var batch in pages.Reader.ReadAllAsync(stop.Token))
            {
                // A slow oldest batch may not let finished later ones pile up without bound: they would all repeat if it failed.
                while (inFlight.Count >= 2 * settings.TagUpsertConcurrency)
                {
                    await ((Task)inFlight.Peek().Upload).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    (var done, cursorSaved) = Complete(inFlight, cursorName, cursorSaved, ct);
                    summary += done;
                }
                await slots.WaitAsync(stop.Token);
                inFlight.Enqueue(new InFlight(UpsertAsync(kind, batch, slots, stop.Token), batch.After, batch.Rows));
                while (inFlight.TryPeek(out var oldest) && oldest.Upload.IsCompleted)
                {
                    (var done, cursorSaved) = Complete(inFlight, cursorName, cursorSaved, ct);
                    summary += done;
                }
                if (cursorSaved.IsFaulted)
                {
                    await cursorSaved;   // a cursor that cannot be saved stops the drain now, not after the whole table
                }
            }
            await reader;
            while (inFlight.Count > 0)
            {
                await ((Task)inFlight.Peek().Upload).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                (var done, cursorSaved) = Complete(inFlight, cursorName, cursorSaved, ct);
                summary += done;
            }
            await cursorSaved;
            await cursors.FinishPassAsync(cursorName, ct);
        }
        finally
        {
            // On failure: stop reading, let what is in flight finish (failed batches are not recorded) before the context goes.
            await stop.CancelAsync();
            await Task.WhenAll(inFlight.Select(f => (Task)f.Upload).Append(reader).Append(cursorSaved)
                .Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        logger.LogInformation("tag-sync of {Kind}s: {Summary}", kind, summary);
        return summary;
    }

    /// <summary>Reads the run's one ordered stream and maps it to batches of tags, ahead of the uploads.</summary>
    private async Task ReadAsync(TagQueries queries, TagKind kind, KeysetPosition position, ChannelWriter<Batch> pages, CancellationToken ct)
    {
        try
        {
            var size = options.Value.TagUpsertBatchSize;
            var tags = new List<UpsertTagRequest>(size);
            var rows = 0;
            var last = position;
            var first = true;
            await foreach (var row in queries.NewAfterAsync(kind, position, ct))
            {
                if (first && row.Position == position)
                {
                    // The database returned the row the cursor is on: its dates do not compare as the connector
                    // writes them (a hand-made SQLite file with another date format, say). Stop rather than repeat it.
                    throw new InvalidOperationException(
                        $"Patrawin returned {kind} {position.Number} again after itself: the {kind} dates do not compare in order");
                }
                first = false;
                last = row.Position;
                rows++;
                if (TagMapper.TryMap(row, options.Value.TagUpsertPath, out var tag, out var reason))
                {
                    tags.Add(tag);
                }
                else
                {
                    logger.LogWarning("Skipped {Kind} {Number}: {Reason}", kind, row.Number, reason);
                }
                if (rows == size)
                {
                    await pages.WriteAsync(new Batch(tags, rows - tags.Count, last, rows), ct);
                    tags = new List<UpsertTagRequest>(size);
                    rows = 0;
                }
            }
            if (rows > 0)
            {
                await pages.WriteAsync(new Batch(tags, rows - tags.Count, last, rows), ct);
            }
            pages.Complete();
        }
        catch (Exception e)
        {
            pages.Complete(e);
            throw;
        }
    }

    /// <summary>The oldest batch is done: a failure throws here, before its cursor (or any later one) is saved.</summary>
    private (TagRunSummary Done, Task CursorSaved) Complete(Queue<InFlight> inFlight, string cursorName, Task previousSave, CancellationToken ct)
    {
        var oldest = inFlight.Peek();
        var done = oldest.Upload.GetAwaiter().GetResult();
        inFlight.Dequeue();
        return (done, SaveAfterAsync(previousSave, cursorName, oldest.After, oldest.Rows, ct));
    }

    private async Task SaveAfterAsync(Task previousSave, string cursorName, KeysetPosition after, int rows, CancellationToken ct)
    {
        await previousSave;
        await cursors.AdvanceAsync(cursorName, after, rows, ct);
    }

    private async Task<TagRunSummary> UpsertAsync(TagKind kind, Batch batch, SemaphoreSlim slots, CancellationToken ct)
    {
        try
        {
            if (batch.Tags.Count == 0)
            {
                return new TagRunSummary(0, 0, batch.Skipped, 0);
            }

            var refused = await TagBatches.UpsertAsync(wiseTime, batch.Tags, logger, ct);
            logger.LogInformation("Upserted a batch of {Count} {Kind} tags, {First} to {Last}",
                batch.Tags.Count - refused, kind, batch.Tags[0].Name, batch.Tags[^1].Name);
            return new TagRunSummary(batch.Tags.Count - refused, 0, batch.Skipped + refused, 1);
        }
        finally
        {
            slots.Release();
        }
    }
}
