using Microsoft.Extensions.Options;
using PatrawinConnector.Domain;

namespace PatrawinConnector.Api.Logging;

/// <summary>CloudWatch Logs shipping, on when AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION are set.</summary>
public sealed class CloudWatchOptions
{
    [ConfigurationKeyName("AWS_ACCESS_KEY_ID")]
    public string? AccessKeyId { get; set; }

    [ConfigurationKeyName("AWS_SECRET_ACCESS_KEY")]
    public string? SecretAccessKey { get; set; }

    [ConfigurationKeyName("AWS_SESSION_TOKEN")]
    public string? SessionToken { get; set; }

    [ConfigurationKeyName("AWS_REGION")]
    public string? Region { get; set; }

    /// <summary>Log group; created when missing. The stream is yyyyMMdd_HHmm/&lt;uuid&gt; per process.</summary>
    [ConfigurationKeyName("CLOUDWATCH_LOG_GROUP")]
    public string LogGroup { get; set; } = "patrawin-connector";

    /// <summary>Another endpoint than https://logs.REGION.amazonaws.com (a VPC endpoint, or a local stand-in).</summary>
    [ConfigurationKeyName("CLOUDWATCH_ENDPOINT")]
    public string? Endpoint { get; set; }

    /// <summary>Events kept in memory for shipping; when full, new events are dropped and counted (the app never waits).</summary>
    [ConfigurationKeyName("CLOUDWATCH_QUEUE_CAPACITY")]
    public int QueueCapacity { get; set; } = 10_000;

    public bool Enabled => !string.IsNullOrWhiteSpace(AccessKeyId) && !string.IsNullOrWhiteSpace(SecretAccessKey) && !string.IsNullOrWhiteSpace(Region);

    public Uri EndpointUri => new(Endpoint ?? $"https://logs.{Region}.amazonaws.com/");
}

internal sealed class CloudWatchOptionsValidator : IValidateOptions<CloudWatchOptions>
{
    public ValidateOptionsResult Validate(string? name, CloudWatchOptions options)
    {
        var failures = new List<string>();
        var set = new[] { options.AccessKeyId, options.SecretAccessKey, options.Region }.Count(v => !string.IsNullOrWhiteSpace(v));
        if (set is 1 or 2)
        {
            failures.Add("AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION must be set together to ship logs to CloudWatch (or none of them). " +
                         "Example: AWS_REGION=eu-west-1");
        }
        if (!string.IsNullOrWhiteSpace(options.Region) && !System.Text.RegularExpressions.Regex.IsMatch(options.Region, "^[a-z]{2}(-[a-z]+)+-\\d$"))
        {
            failures.Add($"AWS_REGION '{options.Region}' is not an AWS region name. Example: AWS_REGION=eu-west-1");
        }
        if (options.Endpoint is { Length: > 0 } endpoint && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            failures.Add($"CLOUDWATCH_ENDPOINT '{endpoint}' is not a URL. Example: CLOUDWATCH_ENDPOINT=https://logs.eu-west-1.amazonaws.com/");
        }
        SettingChecks.InRange(failures, "CLOUDWATCH_QUEUE_CAPACITY", options.QueueCapacity, 100, 1_000_000, 10_000);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
