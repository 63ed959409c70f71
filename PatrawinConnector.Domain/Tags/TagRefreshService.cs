using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Domain.WiseTime.Contracts;

namespace PatrawinConnector.Domain.Tags;

/// <summary>
/// tag-refresh: one ordered pass over every case and client with a credit level, a small batch per run, so that a
/// full pass takes about 14 days (rule R6). Each row is upserted, or, when it (or a client of the case) is blocked,
/// its tag is deleted ("archived"; a 404 counts as deleted). An empty batch ends the pass; the next run starts over.
/// </summary>
public sealed class TagRefreshService(
    TagQueries queries,
    SyncCursorStore cursors,
    IWiseTimeClient wiseTime,
    IOptions<TagOptions> options,
    ILogger<TagRefreshService> logger)
{
    private const int MinutesPerPass = 14 * 24 * 60;
    private const int MinBatchSize = 10;

    public async Task<TagRunSummary> RunAsync(CancellationToken cancellationToken) =>
        await RefreshAsync(TagKind.Case, SyncCursor.CaseRefresh, cancellationToken) +
        await RefreshAsync(TagKind.Client, SyncCursor.ClientRefresh, cancellationToken);

    /// <summary>Rows per run so that a pass over <paramref name="total"/> rows takes about 14 days, between 10 and TAG_UPSERT_BATCH_SIZE.</summary>
    public static int BatchSize(int total, int intervalMinutes, int maxBatchSize)
    {
        var runsPerPass = Math.Max(1, MinutesPerPass / Math.Max(1, intervalMinutes));
        return Math.Min(maxBatchSize, Math.Max(MinBatchSize, total / runsPerPass));
    }

    private async Task<TagRunSummary> RefreshAsync(TagKind kind, string cursorName, CancellationToken ct)
    {
        var settings = options.Value;
        var cursor = await cursors.FindAsync(cursorName, ct);
        var position = cursor is { Number: { } n, CreatedAt: { } t } ? new KeysetPosition(t, n) : KeysetPosition.Start;
        var total = cursor?.PassTotal;
        if (position.IsStart || total is null)
        {
            total = await queries.CountAsync(kind, ct);
            await cursors.StartPassAsync(cursorName, total, ct);
            position = KeysetPosition.Start;
        }

        var batchSize = BatchSize(total.Value, settings.TagRefreshIntervalMinutes, settings.TagUpsertBatchSize);
        var rows = await queries.NextPageAsync(kind, position, batchSize, refresh: true, ct);
        if (rows.Count == 0)
        {
            await cursors.StartPassAsync(cursorName, null, ct);
            logger.LogInformation("tag-refresh of {Kind}s finished a pass; the next run starts over", kind);
            return new TagRunSummary(0, 0, 0, 0);
        }

        var tags = new List<UpsertTagRequest>();
        int skipped = 0, deleted = 0;
        foreach (var row in rows)
        {
            if (!TagMapper.TryMap(row, settings.TagUpsertPath, out var tag, out var reason))
            {
                skipped++;
                logger.LogWarning("tag-refresh skipped {Kind} {Number}: {Reason}", kind, row.Number, reason);
            }
            else if (row.Blocked)
            {
                await wiseTime.TagDeleteAsync(tag.Name, ct);
                deleted++;
            }
            else
            {
                tags.Add(tag);
            }
        }

        var refused = tags.Count > 0 ? await TagBatches.UpsertAsync(wiseTime, tags, logger, ct) : 0;

        await cursors.AdvanceAsync(cursorName, rows[^1].Position, rows.Count, ct);
        var summary = new TagRunSummary(tags.Count - refused, deleted, skipped + refused, tags.Count > 0 ? 1 : 0);
        logger.LogInformation("tag-refresh of {Kind}s: {Summary}", kind, summary);
        return summary;
    }
}
