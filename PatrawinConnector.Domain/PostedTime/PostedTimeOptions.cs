using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace PatrawinConnector.Domain.PostedTime;

public enum ReceivePostedTimeMode
{
    Webhook,
    LongPoll,
    Disabled,
}

public sealed class PostedTimeOptions
{
    /// <summary>Must equal the callerKey of every posted time group; unset = the webhook is not authenticated.</summary>
    [ConfigurationKeyName("CALLER_KEY")]
    public string? CallerKey { get; set; }

    [ConfigurationKeyName("ADD_SUMMARY_TO_NARRATIVE")]
    public bool AddSummaryToNarrative { get; set; }

    [ConfigurationKeyName("RECEIVE_POSTED_TIME")]
    public ReceivePostedTimeMode ReceivePostedTime { get; set; } = ReceivePostedTimeMode.Webhook;

    [ConfigurationKeyName("LONG_POLL_BATCH_SIZE")]
    public int LongPollBatchSize { get; set; } = 25;
}

internal sealed class PostedTimeOptionsValidator : IValidateOptions<PostedTimeOptions>
{
    public ValidateOptionsResult Validate(string? name, PostedTimeOptions options)
    {
        var failures = new List<string>();
        SettingChecks.InRange(failures, "LONG_POLL_BATCH_SIZE", options.LongPollBatchSize, 1, 25, 25);
        if (options.CallerKey is { Length: > 0 and < 8 })
        {
            failures.Add("CALLER_KEY is shorter than 8 characters, too easy to guess. Example: CALLER_KEY=<a random string of 20 or more characters>");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
