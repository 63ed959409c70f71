using Microsoft.Extensions.Logging;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Domain.WiseTime.Contracts;

namespace PatrawinConnector.Domain.Tags;

internal static class TagBatches
{
    /// <summary>
    /// Upserts a batch. WiseTime refuses a batch as a whole when it names item errors, so the refused tags are logged
    /// and left out, and the rest is sent again; only when that is accepted does the batch count (and its cursor move).
    /// Returns how many tags were refused.
    /// </summary>
    public static async Task<int> UpsertAsync(IWiseTimeClient wiseTime, IReadOnlyList<UpsertTagRequest> tags, ILogger logger, CancellationToken ct)
    {
        var response = await wiseTime.BatchTagUpsertAsync(tags, ct);
        if (response.Errors is not { Count: > 0 } errors)
        {
            return 0;
        }

        var refused = new HashSet<int>();
        foreach (var error in errors)
        {
            refused.Add(error.Index);
            logger.LogWarning("WiseTime refused tag {TagName}: {Reason}",
                error.Index >= 0 && error.Index < tags.Count ? tags[error.Index].Name : $"#{error.Index}", error.ErrorDescription);
        }

        var rest = tags.Where((_, index) => !refused.Contains(index)).ToList();
        if (rest.Count > 0 && (await wiseTime.BatchTagUpsertAsync(rest, ct)).Errors is { Count: > 0 } again)
        {
            throw new WiseTimeApiException(WiseTimeErrorCategory.Permanent,
                $"WiseTime refused the batch again without its {refused.Count} refused tags: {again[0].ErrorDescription}");
        }
        return tags.Count - rest.Count;
    }
}
