using System.Collections.Concurrent;
using PatrawinConnector.Domain.WiseTime;

namespace PatrawinConnector.Tests.Support;

/// <summary>A WiseTime stand-in for domain tests: records what the connector asked for, or fails as told.</summary>
public sealed class RecordingWiseTimeClient : IWiseTimeClient
{
    public ConcurrentQueue<string> DeletedTags { get; } = new();

    public WiseTimeApiException? FailWith { get; set; }

    public Task<TagDeleteOutcome> TagDeleteAsync(string tagName, CancellationToken cancellationToken)
    {
        if (FailWith is not null)
        {
            throw FailWith;
        }
        DeletedTags.Enqueue(tagName);
        return Task.FromResult(TagDeleteOutcome.Deleted);
    }
}
