using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace PatrawinConnector.Domain.Tags;

public enum Switch
{
    Enabled,
    Disabled,
}

public sealed class TagOptions
{
    /// <summary>WiseTime tag folder of Patrawin tags; also how posted time is recognised as ours.</summary>
    [ConfigurationKeyName("TAG_UPSERT_PATH")]
    public string TagUpsertPath { get; set; } = "/Patrawin/";

    [ConfigurationKeyName("TAG_UPSERT_BATCH_SIZE")]
    public int TagUpsertBatchSize { get; set; } = 500;

    /// <summary>DISABLED switches off both tag jobs (tag-sync and tag-refresh).</summary>
    [ConfigurationKeyName("TAG_SCAN")]
    public Switch TagScan { get; set; } = Switch.Enabled;

    [ConfigurationKeyName("TAG_SYNC_INTERVAL_MIN")]
    public int TagSyncIntervalMinutes { get; set; } = 1;

    /// <summary>Minutes between tag-refresh runs; also sets its batch size, so that a full pass takes about 14 days.</summary>
    [ConfigurationKeyName("TAG_SYNC_SLOW_LOOP_INTERVAL_MIN")]
    public int TagRefreshIntervalMinutes { get; set; } = 5;

    /// <summary>Tag batches in flight at once during tag-sync (docs/performance.md has the measurements behind the default).</summary>
    [ConfigurationKeyName("TAG_UPSERT_CONCURRENCY")]
    public int TagUpsertConcurrency { get; set; } = 4;
}

internal sealed class TagOptionsValidator : IValidateOptions<TagOptions>
{
    public ValidateOptionsResult Validate(string? name, TagOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.TagUpsertPath) || !options.TagUpsertPath.StartsWith('/') || !options.TagUpsertPath.EndsWith('/'))
        {
            failures.Add($"TAG_UPSERT_PATH '{options.TagUpsertPath}' must start and end with '/'. Example: TAG_UPSERT_PATH=/Patrawin/ (or / for the root folder)");
        }
        SettingChecks.InRange(failures, "TAG_UPSERT_BATCH_SIZE", options.TagUpsertBatchSize, 1, 2000, 500, " (the API's limit)");
        SettingChecks.InRange(failures, "TAG_SYNC_INTERVAL_MIN", options.TagSyncIntervalMinutes, 1, 1440, 1);
        SettingChecks.InRange(failures, "TAG_SYNC_SLOW_LOOP_INTERVAL_MIN", options.TagRefreshIntervalMinutes, 1, 20160, 5, " (14 days)");
        SettingChecks.InRange(failures, "TAG_UPSERT_CONCURRENCY", options.TagUpsertConcurrency, 1, 32, 4);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
