using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace PatrawinConnector.Domain.Tags;

public sealed class TagOptions
{
    /// <summary>WiseTime tag folder of Patrawin tags; also how posted time is recognised as ours.</summary>
    [ConfigurationKeyName("TAG_UPSERT_PATH")]
    public string TagUpsertPath { get; set; } = "/Patrawin/";

    [ConfigurationKeyName("TAG_UPSERT_BATCH_SIZE")]
    public int TagUpsertBatchSize { get; set; } = 500;
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
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
