namespace PatrawinConnector.Domain.WiseTime;

public enum TagDeleteOutcome
{
    Deleted,
    /// <summary>WiseTime answered 404: the tag is already gone, which counts as deleted (rule R7).</summary>
    AlreadyGone,
}

/// <summary>The WiseTime Connect API, as the connector uses it. One method per Connect operation.</summary>
public interface IWiseTimeClient
{
    /// <summary>POST /tag/delete {"name": …}.</summary>
    Task<TagDeleteOutcome> TagDeleteAsync(string tagName, CancellationToken cancellationToken);
}
