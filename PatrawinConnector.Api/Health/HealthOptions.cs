using Microsoft.Extensions.Options;
using PatrawinConnector.Domain;

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
        SettingChecks.InRange(failures, "HEALTH_CHECK_INTERVAL", options.PendingTimeMinutes, 1, 10080, 5, " minutes");
        SettingChecks.InRange(failures, "HEALTH_SELF_CHECK_INTERVAL_SECONDS", options.SelfCheckIntervalSeconds, 1, 3600, 60);
        SettingChecks.InRange(failures, "HEALTH_SELF_CHECK_FAILURES", options.SelfCheckFailures, 0, 100, 3);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
