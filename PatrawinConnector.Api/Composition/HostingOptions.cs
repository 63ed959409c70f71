using Microsoft.Extensions.Options;
using PatrawinConnector.Domain;

namespace PatrawinConnector.Api.Composition;

public enum ConnectorLogLevel
{
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Off,
}

public sealed class HostingOptions
{
    /// <summary>Port of the webhook, dashboard and probes (ASPNETCORE_URLS, when set, wins).</summary>
    [ConfigurationKeyName("WEBHOOK_PORT")]
    public int WebhookPort { get; set; } = 8080;

    [ConfigurationKeyName("LOG_LEVEL")]
    public ConnectorLogLevel LogLevel { get; set; } = ConnectorLogLevel.Info;

    public LogLevel MinimumLevel => LogLevel switch
    {
        ConnectorLogLevel.Trace => Microsoft.Extensions.Logging.LogLevel.Trace,
        ConnectorLogLevel.Debug => Microsoft.Extensions.Logging.LogLevel.Debug,
        ConnectorLogLevel.Info => Microsoft.Extensions.Logging.LogLevel.Information,
        ConnectorLogLevel.Warn => Microsoft.Extensions.Logging.LogLevel.Warning,
        ConnectorLogLevel.Error => Microsoft.Extensions.Logging.LogLevel.Error,
        _ => Microsoft.Extensions.Logging.LogLevel.None,
    };
}

internal sealed class HostingOptionsValidator : IValidateOptions<HostingOptions>
{
    public ValidateOptionsResult Validate(string? name, HostingOptions options)
    {
        var failures = new List<string>();
        SettingChecks.InRange(failures, "WEBHOOK_PORT", options.WebhookPort, 1, 65535, 8080);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
