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
        if (options.SyncIntervalMinutes is < 1 or > 1440)
        {
            failures.Add($"ACTIVITY_TYPE_SYNC_INTERVAL_MIN must be between 1 and 1440, not {options.SyncIntervalMinutes}. Example: ACTIVITY_TYPE_SYNC_INTERVAL_MIN=5");
        }
        if (options.BatchSize is < 1 or > 2000)
        {
            failures.Add($"ACTIVITY_TYPE_BATCH_SIZE must be between 1 and 2000 (the API's limit), not {options.BatchSize}. Example: ACTIVITY_TYPE_BATCH_SIZE=500");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
