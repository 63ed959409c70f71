namespace PatrawinConnector.Domain.State;

public enum JobRunOutcome
{
    Running,
    Succeeded,
    Failed,
}

/// <summary>One run of a recurring job, for the dashboard's history and /ops/api/jobs.</summary>
public sealed class JobRun
{
    public long Id { get; init; }
    public required string JobId { get; init; }
    public DateTime StartedAt { get; init; }
    public DateTime? FinishedAt { get; set; }
    public JobRunOutcome Outcome { get; set; }
    /// <summary>The run's summary, or the error's message.</summary>
    public string? Message { get; set; }
    /// <summary>The failure's stack trace.</summary>
    public string? Error { get; set; }
}
