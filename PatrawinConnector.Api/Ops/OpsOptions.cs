using Microsoft.Extensions.Options;

namespace PatrawinConnector.Api.Ops;

public sealed class OpsOptions
{
    /// <summary>HTTP Basic user of /ops and /swagger; unset (with OPS_PASSWORD) = loopback callers only.</summary>
    [ConfigurationKeyName("OPS_USERNAME")]
    public string? Username { get; set; }

    [ConfigurationKeyName("OPS_PASSWORD")]
    public string? Password { get; set; }

    public bool HasCredentials => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);
}

internal sealed class OpsOptionsValidator : IValidateOptions<OpsOptions>
{
    public ValidateOptionsResult Validate(string? name, OpsOptions options) =>
        string.IsNullOrEmpty(options.Username) != string.IsNullOrEmpty(options.Password)
            ? ValidateOptionsResult.Fail("OPS_USERNAME and OPS_PASSWORD must be set together (or neither, for loopback-only access). Example: OPS_USERNAME=ops OPS_PASSWORD=<a long random string>")
            : ValidateOptionsResult.Success;
}
