using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.Tags;

namespace PatrawinConnector.Domain.ActivityTypes;

public sealed class ActivityTypeOptions
{
    [ConfigurationKeyName("ACTIVITY_TYPE_SCAN")]
    public Switch ActivityTypeScan { get; set; } = Switch.Enabled;

    [ConfigurationKeyName("ACTIVITY_TYPE_SYNC_INTERVAL_MIN")]
    public int SyncIntervalMinutes { get; set; } = 5;

    [ConfigurationKeyName("ACTIVITY_TYPE_BATCH_SIZE")]
    public int BatchSize { get; set; } = 500;

    /// <summary>New activity types arrive enabled in WiseTime (the Java connector left them disabled until an admin acted).</summary>
    [ConfigurationKeyName("ACTIVITY_TYPE_ENABLE_IF_NEW")]
    public bool EnableIfNew { get; set; } = true;
}

internal sealed class ActivityTypeOptionsValidator : IValidateOptions<ActivityTypeOptions>
{
    public ValidateOptionsResult Validate(string? name, ActivityTypeOptions options)
    {
        var failures = new List<string>();
        SettingChecks.InRange(failures, "ACTIVITY_TYPE_SYNC_INTERVAL_MIN", options.SyncIntervalMinutes, 1, 1440, 5);
        SettingChecks.InRange(failures, "ACTIVITY_TYPE_BATCH_SIZE", options.BatchSize, 1, 2000, 500, " (the API's limit)");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
