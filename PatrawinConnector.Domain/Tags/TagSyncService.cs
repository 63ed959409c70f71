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
/// tag-sync: new cases, then new clients, as WiseTime tags, until nothing new is left. Pages are read while earlier
/// batches upload, with up to TAG_UPSERT_CONCURRENCY batches in flight; the cursor moves past a batch only once WiseTime
/// accepted it and every batch before it, so a crash or an outage may repeat an upsert but never skips a row.
/// </summary>
public sealed class TagSyncService(
    TagQueries queries,
    SyncCursorStore cursors,
    IWiseTimeClient wiseTime,
    IOptions<TagOptions> options,
    ILogger<TagSyncService> logger)
{
    public async Task<TagRunSummary> RunAsync(CancellationToken cancellationToken)
    {
        var cases = await DrainAsync(TagKind.Case, SyncCursor.CaseSync, cancellationToken);
        var clients = await DrainAsync(TagKind.Client, SyncCursor.ClientSync, cancellationToken);
        return cases + clients;
    }

    private async Task<TagRunSummary> DrainAsync(TagKind kind, string cursorName, CancellationToken ct)
    {
        var settings = options.Value;
        var position = await cursors.PositionAsync(cursorName, ct);
        if (position.IsStart)
        {
            // All rows of the table: an upper bound for the progress bar that costs an index count, not a scan with joins.
            await cursors.StartPassAsync(cursorName, await queries.CountAsync(kind, ct), ct);
        }

        var summary = new TagRunSummary(0, 0, 0, 0);
        var inFlight = new Queue<(Task<TagRunSummary> Upload, KeysetPosition After, int Rows)>();
        var cursorSaved = Task.CompletedTask;   // cursor writes, chained in batch order, off the upload path
        var nextPage = queries.NextPageAsync(kind, position, settings.TagUpsertBatchSize, refresh: false, ct);
        try
        {
            while (true)
            {
                var page = await nextPage;
                if (page.Count == 0)
                {
                    break;
                }

                var after = page[^1].Position;
                nextPage = queries.NextPageAsync(kind, after, settings.TagUpsertBatchSize, refresh: false, ct);   // read ahead
                inFlight.Enqueue((UpsertAsync(kind, page, ct), after, page.Count));
                while (inFlight.Count >= settings.TagUpsertConcurrency || inFlight.Peek().Upload.IsCompleted)
                {
                    (var batch, cursorSaved) = await CompleteOldestAsync(inFlight, cursorName, cursorSaved, ct);
                    summary += batch;
                    if (inFlight.Count == 0)
                    {
                        break;
                    }
                }
            }

            while (inFlight.Count > 0)
            {
                (var batch, cursorSaved) = await CompleteOldestAsync(inFlight, cursorName, cursorSaved, ct);
                summary += batch;
            }
            await cursorSaved;
        }
        finally
        {
            // On failure: let the other reads, uploads and cursor writes finish (failed batches are not recorded)
            // before the context goes.
            await Task.WhenAll(inFlight.Select(f => (Task)f.Upload).Append(nextPage).Append(cursorSaved)
                .Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }

        logger.LogInformation("tag-sync of {Kind}s: {Summary}", kind, summary);
        return summary;
    }

    /// <summary>Waits for the oldest batch; once WiseTime accepted it, chains its cursor write after the previous one.</summary>
    private async Task<(TagRunSummary Batch, Task CursorSaved)> CompleteOldestAsync(
        Queue<(Task<TagRunSummary> Upload, KeysetPosition After, int Rows)> inFlight, string cursorName, Task previousSave, CancellationToken ct)
    {
        var (upload, after, rows) = inFlight.Peek();
        var result = await upload;   // a failed batch throws here, before its cursor (or any later one) is saved
        inFlight.Dequeue();
        return (result, SaveAfterAsync(previousSave, cursorName, after, rows, ct));
    }

    private async Task SaveAfterAsync(Task previousSave, string cursorName, KeysetPosition after, int rows, CancellationToken ct)
    {
        await previousSave;
        await cursors.AdvanceAsync(cursorName, after, rows, ct);
    }

    private async Task<TagRunSummary> UpsertAsync(TagKind kind, List<TagRow> page, CancellationToken ct)
    {
        var tags = new List<UpsertTagRequest>(page.Count);
        var skipped = 0;
        foreach (var row in page)
        {
            if (TagMapper.TryMap(row, options.Value.TagUpsertPath, out var tag, out var reason))
            {
                tags.Add(tag);
                continue;
            }
            skipped++;
            logger.LogWarning("Skipped {Kind} {Number}: {Reason}", kind, row.Number, reason);
        }

        if (tags.Count == 0)
        {
            return new TagRunSummary(0, 0, skipped, 0);
        }

        var response = await wiseTime.BatchTagUpsertAsync(tags, ct);
        var refused = LogRefusals(response.Errors, tags);
        logger.LogInformation("Upserted a batch of {Count} {Kind} tags, {First} to {Last}", tags.Count - refused, kind, tags[0].Name, tags[^1].Name);
        return new TagRunSummary(tags.Count - refused, 0, skipped + refused, 1);
    }

    private int LogRefusals(IReadOnlyList<ErrorItem>? errors, List<UpsertTagRequest> tags)
    {
        foreach (var error in errors ?? [])
        {
            var name = error.Index >= 0 && error.Index < tags.Count ? tags[error.Index].Name : $"#{error.Index}";
            logger.LogWarning("WiseTime refused tag {TagName}: {Reason}", name, error.ErrorDescription);
        }
        return errors?.Count ?? 0;
    }
}
