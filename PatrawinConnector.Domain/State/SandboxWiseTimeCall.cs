namespace PatrawinConnector.Domain.State;

/// <summary>A call the sandbox WiseTime client did not send: what would have gone to the Connect API.</summary>
public sealed class SandboxWiseTimeCall
{
    public long Id { get; init; }
    public required string Operation { get; init; }
    public required string Body { get; init; }
    public DateTime RecordedAt { get; init; }
}
