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

    public bool IsSandbox => string.IsNullOrWhiteSpace(ApiKey);

    /// <summary>The base URL with exactly one trailing slash, so relative paths append to it.</summary>
    public Uri BaseUri => new(BaseUrl.TrimEnd('/') + "/");
}

internal sealed class WiseTimeOptionsValidator : IValidateOptions<WiseTimeOptions>
{
    public ValidateOptionsResult Validate(string? name, WiseTimeOptions options) =>
        Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"WISETIME_API_URL '{options.BaseUrl}' is not an http(s) URL. Example: WISETIME_API_URL=https://wisetime.com/connect/api");
}
