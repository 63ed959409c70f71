namespace PatrawinConnector.Domain.State;

public enum PostingStatus
{
    /// <summary>About to post, or posting: the intent is recorded before Patrawin is called.</summary>
    InProgress,
    /// <summary>Every pw_PostTime call of the group committed.</summary>
    Posted,
    /// <summary>The group had no Patrawin tag: answered 200, nothing written.</summary>
    NothingToPost,
    /// <summary>A permanent failure (400): WiseTime shows the message and does not retry.</summary>
    Rejected,
    /// <summary>A transient failure (500): WiseTime retries the delivery.</summary>
    Failed,
}

/// <summary>One posted time group as the connector handled it: the idempotency key and the dashboard's record.</summary>
public sealed class PostingLedgerEntry
{
    public required string GroupId { get; init; }
    public PostingStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? UserName { get; set; }
    public string? Author { get; set; }
    public string? Tags { get; set; }
    public int? ActivityCode { get; set; }
    public int? Minutes { get; set; }
    public DateTime? StartTimeUtc { get; set; }
    public string? PendingTimeIds { get; set; }
    public string? Message { get; set; }
    public DateTime FirstReceivedAt { get; init; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Set when the group was fetched by long polling: its outcome must be reported back to WiseTime.</summary>
    public bool Fetched { get; set; }

    /// <summary>When the outcome was last reported to WiseTime (long polling); null = still to report.</summary>
    public DateTime? StatusReportedAt { get; set; }
}
