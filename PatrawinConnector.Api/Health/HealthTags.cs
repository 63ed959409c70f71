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
