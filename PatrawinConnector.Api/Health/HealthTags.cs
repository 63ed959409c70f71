namespace PatrawinConnector.Api.Health;

public static class HealthTags
{
    /// <summary>/health/live: the process can work.</summary>
    public const string Live = "live";

    /// <summary>/health/ready: everything the connector depends on answers.</summary>
    public const string Ready = "ready";

    /// <summary>The self-check: what a restart of the connector could fix (not WiseTime, not Patrawin's import).</summary>
    public const string Self = "self";
}

/// <summary>How long one check may take within a probe (its registration in Composition/Health.cs).</summary>
public static class HealthTimeouts
{
    /// <summary>A check of what the connector keeps itself: its files, its scheduler, its job journal.</summary>
    public static readonly TimeSpan Local = TimeSpan.FromSeconds(5);

    /// <summary>A check that waits on Patrawin or WiseTime: a probe never waits for SqlClient's connect timeout.</summary>
    public static readonly TimeSpan Remote = TimeSpan.FromSeconds(10);
}
