using Microsoft.Extensions.Options;

namespace PatrawinConnector.Api.Health;

public sealed class HealthOptions
{
    /// <summary>Minutes time may wait in PENDING_TIME_335 for Patrawin's import before readiness fails.</summary>
    [ConfigurationKeyName("HEALTH_CHECK_INTERVAL")]
    public int PendingTimeMinutes { get; set; } = 5;

    /// <summary>Seconds between the connector's own self-checks.</summary>
    [ConfigurationKeyName("HEALTH_SELF_CHECK_INTERVAL_SECONDS")]
    public int SelfCheckIntervalSeconds { get; set; } = 60;

    /// <summary>Consecutive failed self-checks after which the connector stops with a non-zero exit code, so that Docker or Kubernetes restarts it; 0 = never.</summary>
    [ConfigurationKeyName("HEALTH_SELF_CHECK_FAILURES")]
    public int SelfCheckFailures { get; set; } = 3;
}

internal sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    public ValidateOptionsResult Validate(string? name, HealthOptions options)
    {
        var failures = new List<string>();
        if (options.PendingTimeMinutes is < 1 or > 10080)
        {
            failures.Add($"HEALTH_CHECK_INTERVAL must be between 1 and 10080 minutes, not {options.PendingTimeMinutes}. Example: HEALTH_CHECK_INTERVAL=5");
        }
        if (options.SelfCheckIntervalSeconds is < 1 or > 3600)
        {
            failures.Add($"HEALTH_SELF_CHECK_INTERVAL_SECONDS must be between 1 and 3600, not {options.SelfCheckIntervalSeconds}. Example: HEALTH_SELF_CHECK_INTERVAL_SECONDS=60");
        }
        if (options.SelfCheckFailures is < 0 or > 100)
        {
            failures.Add($"HEALTH_SELF_CHECK_FAILURES must be between 0 and 100, not {options.SelfCheckFailures}. Example: HEALTH_SELF_CHECK_FAILURES=3");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
