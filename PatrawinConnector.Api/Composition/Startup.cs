using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.PostedTime;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.WiseTime;

namespace PatrawinConnector.Api.Composition;

public static class Startup
{
    public static WebApplicationBuilder AddConnectorStartup(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostedService<ConnectorStartup>();
        builder.Services.AddHostedService<PostedTime.LongPollReceiver>();
        builder.Services.AddHostedService<WalCheckpointer>();
        return builder;
    }
}

/// <summary>
/// Runs before the connector accepts requests: migrates the state database, prepares a SQLite Patrawin, and says
/// once, loudly, what runs on a sandbox and what is not secured.
/// </summary>
internal sealed partial class ConnectorStartup(
    IDbContextFactory<ConnectorStateDbContext> state,
    IServiceProvider services,
    IOptions<StateOptions> stateOptions,
    IOptions<PatrawinOptions> patrawinOptions,
    IOptions<WiseTimeOptions> wiseTimeOptions,
    IOptions<PostedTimeOptions> postedTimeOptions,
    ILogger<ConnectorStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Connector state is in {DataDir}", stateOptions.Value.FullDataDir);
        await using (var db = await state.CreateDbContextAsync(cancellationToken))
        {
            await db.Database.MigrateAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        }

        var patrawin = patrawinOptions.Value;
        if (patrawin.EffectiveProvider == PatrawinProvider.Sqlite)
        {
            await services.GetRequiredService<SqlitePatrawinDatabase>().EnsureReadyAsync(cancellationToken);
            if (patrawin.IsSandbox)
            {
                logger.LogWarning("SANDBOX Patrawin: posting into the demo database {FileName} in DATA_DIR, not a real Patrawin", PatrawinConnection.SandboxFileName);
            }
        }
        else if (!string.IsNullOrWhiteSpace(patrawin.JdbcUrl))
        {
            var translation = JdbcUrl.Translate(patrawin.JdbcUrl, patrawin.DbUser, patrawin.DbPassword);
            if (translation.IgnoredProperties.Count > 0)
            {
                logger.LogInformation("PATRAWIN_JDBC_URL properties without a SqlClient equivalent are ignored: {Properties}",
                    string.Join(", ", translation.IgnoredProperties));
            }
            if (translation.EncryptionDefaulted)
            {
                logger.LogWarning("PATRAWIN_JDBC_URL says nothing about encryption: connecting with Encrypt=Optional, as the Java connector did. " +
                                  "Add encrypt=true to the URL to require TLS");
            }
        }

        if (wiseTimeOptions.Value.IsSandbox)
        {
            logger.LogWarning("SANDBOX WiseTime: API_KEY is not set, nothing is sent to WiseTime; calls are recorded for the dashboard");
        }
        if (string.IsNullOrEmpty(postedTimeOptions.Value.CallerKey))
        {
            logger.LogWarning("CALLER_KEY is not set: the posted-time webhook accepts calls from anyone who can reach it");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
