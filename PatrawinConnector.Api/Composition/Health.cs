using HealthChecks.SqlServer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using PatrawinConnector.Api.Health;
using PatrawinConnector.Domain.Patrawin;

namespace PatrawinConnector.Api.Composition;

public static class Health
{
    public static WebApplicationBuilder AddConnectorHealth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>();
        services.AddSingleton<HealthResultCache>();
        services.AddSingleton<SelfCheckMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<SelfCheckMonitor>());

        var patrawin = builder.Configuration.Get<PatrawinOptions>() ?? new PatrawinOptions();
        var checks = services.AddHealthChecks().AddCheck<LivenessCheck>("self-check", tags: [HealthTags.Live]);
        // "patrawin" is not a self-check: a restart does not bring a stopped SQL Server back, it only loops (issue 10)
        if (patrawin.EffectiveProvider == PatrawinProvider.SqlServer)
        {
            checks.Add(new HealthCheckRegistration("patrawin", sp => new DescribedFailureCheck(
                new SqlServerHealthCheck(new SqlServerHealthCheckOptions
                {
                    ConnectionString = sp.GetRequiredService<PatrawinConnectionString>().Value,
                    CommandText = "SELECT TOP(1) 1 FROM ARENDE_1;",
                }),
                "Patrawin's SQL Server", HealthTimeouts.Remote), failureStatus: null, tags: [HealthTags.Ready], timeout: HealthTimeouts.Remote));
        }
        else
        {
            checks.AddDbContextCheck<PatrawinDbContext>("patrawin", tags: [HealthTags.Ready],
                customTestQuery: async (db, ct) =>
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    timeout.CancelAfter(HealthTimeouts.Remote);
                    await db.Cases.AnyAsync(timeout.Token);   // SELECT EXISTS (SELECT 1 FROM ARENDE_1)
                    return true;
                });
        }
        checks
            .AddCheck<PatrawinSchemaCheck>("patrawin-schema", tags: [HealthTags.Ready], timeout: HealthTimeouts.Remote)
            .AddCheck<StateStoreCheck>("state-store", tags: [HealthTags.Ready, HealthTags.Self], timeout: HealthTimeouts.Local)
            .AddCheck<SchedulerCheck>("scheduler", tags: [HealthTags.Ready, HealthTags.Self], timeout: HealthTimeouts.Local)
            .AddCheck<WiseTimeCheck>("wisetime", tags: [HealthTags.Ready], timeout: HealthTimeouts.Remote)
            .AddCheck<PendingTimeCheck>("pending-time", tags: [HealthTags.Ready], timeout: HealthTimeouts.Remote)
            .AddCheck<LongPollCheck>("long-poll", tags: [HealthTags.Ready])
            .AddCheck<ExternalHoursCheck>("external-hours", tags: [HealthTags.Ready], timeout: HealthTimeouts.Local);
        return builder;
    }
}
