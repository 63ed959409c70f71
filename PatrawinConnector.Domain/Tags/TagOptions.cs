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
        if (options.TagUpsertBatchSize is < 1 or > 2000)
        {
            failures.Add($"TAG_UPSERT_BATCH_SIZE must be between 1 and 2000 (the API's limit), not {options.TagUpsertBatchSize}. Example: TAG_UPSERT_BATCH_SIZE=500");
        }
        if (options.TagSyncIntervalMinutes is < 1 or > 1440)
        {
            failures.Add($"TAG_SYNC_INTERVAL_MIN must be between 1 and 1440, not {options.TagSyncIntervalMinutes}. Example: TAG_SYNC_INTERVAL_MIN=1");
        }
        if (options.TagRefreshIntervalMinutes is < 1 or > 20160)
        {
            failures.Add($"TAG_SYNC_SLOW_LOOP_INTERVAL_MIN must be between 1 and 20160 (14 days), not {options.TagRefreshIntervalMinutes}. Example: TAG_SYNC_SLOW_LOOP_INTERVAL_MIN=5");
        }
        if (options.TagUpsertConcurrency is < 1 or > 32)
        {
            failures.Add($"TAG_UPSERT_CONCURRENCY must be between 1 and 32, not {options.TagUpsertConcurrency}. Example: TAG_UPSERT_CONCURRENCY=4");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
