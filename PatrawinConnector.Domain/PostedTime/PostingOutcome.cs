namespace PatrawinConnector.Domain.PostedTime;

/// <summary>
/// What became of a posted time group. Closed (private constructor): the webhook maps each case to one HTTP answer,
/// the long-poll receiver to one status.
/// </summary>
public abstract record PostingOutcome
{
    private PostingOutcome(string message) => Message = message;

    /// <summary>A sentence for the WiseTime user.</summary>
    public string Message { get; }

    /// <summary>Written to Patrawin now (or nothing of ours to write): 200.</summary>
    public sealed record Posted : PostingOutcome
    {
        public Posted(string message, IReadOnlyList<int> pendingTimeIds) : base(message) => PendingTimeIds = pendingTimeIds;

        public IReadOnlyList<int> PendingTimeIds { get; }
    }

    /// <summary>Already written by an earlier delivery of the same group: 200, nothing written now.</summary>
    public sealed record AlreadyPosted(string Reason) : PostingOutcome(Reason);

    /// <summary>Can never succeed as sent; the user must act: 400, WiseTime does not retry.</summary>
    public sealed record Rejected(string Reason) : PostingOutcome(Reason);

    /// <summary>Could not be done now (Patrawin or WiseTime unavailable): 500, WiseTime retries.</summary>
    public sealed record Failed(string Reason) : PostingOutcome(Reason);
}
