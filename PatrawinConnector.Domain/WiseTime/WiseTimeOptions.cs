using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace PatrawinConnector.Domain.WiseTime;

public sealed class WiseTimeOptions
{
    /// <summary>Connect API key; unset = the sandbox WiseTime (nothing leaves the machine).</summary>
    [ConfigurationKeyName("API_KEY")]
    public string? ApiKey { get; set; }

    [ConfigurationKeyName("WISETIME_API_URL")]
    public string BaseUrl { get; set; } = "https://wisetime.com/connect/api";

    /// <summary>Seconds one Connect API call may take before it counts as failed (and is retried).</summary>
    [ConfigurationKeyName("WISETIME_TIMEOUT_SECONDS")]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Retries of a failed call (5xx, 408, 429, network), with jittered exponential backoff; 0 = none.</summary>
    [ConfigurationKeyName("WISETIME_MAX_RETRIES")]
    public int MaxRetries { get; set; } = 3;

    public bool IsSandbox => string.IsNullOrWhiteSpace(ApiKey);

    /// <summary>The base URL with exactly one trailing slash, so relative paths append to it.</summary>
    public Uri BaseUri => new(BaseUrl.TrimEnd('/') + "/");
}

internal sealed class WiseTimeOptionsValidator : IValidateOptions<WiseTimeOptions>
{
    public ValidateOptionsResult Validate(string? name, WiseTimeOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"WISETIME_API_URL '{options.BaseUrl}' is not an http(s) URL. Example: WISETIME_API_URL=https://wisetime.com/connect/api");
        }
        SettingChecks.InRange(failures, "WISETIME_TIMEOUT_SECONDS", options.TimeoutSeconds, 1, 600, 30);
        SettingChecks.InRange(failures, "WISETIME_MAX_RETRIES", options.MaxRetries, 0, 10, 3);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
