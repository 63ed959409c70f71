using PatrawinConnector.Api.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace PatrawinConnector.Api.Composition;

/// <summary>
/// Structured logs: one JSON object per line on stdout (Serilog's JSON formatter), at LOG_LEVEL. Per-request and
/// per-command chatter of the frameworks is kept at Warning, so that the one line each time group and each sync batch
/// logs stays readable. Secrets are never logged: no code logs a key, a password or a connection string.
/// </summary>
public static class Logging
{
    public static WebApplicationBuilder AddConnectorLogging(this WebApplicationBuilder builder, HostingOptions hosting)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(SerilogLevel(hosting.LogLevel))
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .MinimumLevel.Override("Hangfire", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        if (hosting.LogLevel != ConnectorLogLevel.Off)
        {
            configuration.WriteTo.Console(new JsonFormatter(renderMessage: true));
        }
        var cloudWatch = builder.Configuration.Get<CloudWatchOptions>() ?? new CloudWatchOptions();
        if (cloudWatch.Enabled && hosting.LogLevel != ConnectorLogLevel.Off && new CloudWatchOptionsValidator().Validate(null, cloudWatch).Succeeded)
        {
            configuration.WriteTo.Sink(new CloudWatchSink(cloudWatch));   // disposed (and flushed) with the logger at shutdown
        }

        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(hosting.MinimumLevel);
        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);
        return builder;
    }

    private static LogEventLevel SerilogLevel(ConnectorLogLevel level) => level switch
    {
        ConnectorLogLevel.Trace => LogEventLevel.Verbose,
        ConnectorLogLevel.Debug => LogEventLevel.Debug,
        ConnectorLogLevel.Info => LogEventLevel.Information,
        ConnectorLogLevel.Warn => LogEventLevel.Warning,
        ConnectorLogLevel.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };
}
