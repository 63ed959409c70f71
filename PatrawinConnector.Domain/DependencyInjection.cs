using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.ActivityTypes;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.PostedTime;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.Tags;
using PatrawinConnector.Domain.WiseTime;

namespace PatrawinConnector.Domain;

public static class DependencyInjection
{
    /// <summary>
    /// The connector's domain: Patrawin (SQL Server or SQLite), the state database, WiseTime (HTTP or sandbox) and
    /// posting. Options are bound by the host; here each is validated and the sandbox-or-real choices are made once.
    /// </summary>
    public static IHostApplicationBuilder AddConnectorDomain(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<IValidateOptions<PatrawinOptions>, PatrawinOptionsValidator>();
        services.AddSingleton<IValidateOptions<StateOptions>, StateOptionsValidator>();
        services.AddSingleton<IValidateOptions<WiseTimeOptions>, WiseTimeOptionsValidator>();
        services.AddSingleton<IValidateOptions<TagOptions>, TagOptionsValidator>();
        services.AddSingleton<IValidateOptions<PostedTimeOptions>, PostedTimeOptionsValidator>();
        services.AddSingleton<IValidateOptions<ActivityTypeOptions>, ActivityTypeOptionsValidator>();

        // State (SQLite in DATA_DIR)
        services.AddSingleton<StateWriteGate>();
        services.AddSingleton<DashboardQueries>();
        services.AddPooledDbContextFactory<ConnectorStateDbContext>((sp, options) => options
            .UseSqlite(sp.GetRequiredService<IOptions<StateOptions>>().Value.StateConnectionString)
            .AddInterceptors(new StatePragmas()));

        // Patrawin: one model, two providers
        services.AddSingleton(sp => PatrawinConnection.Resolve(
            sp.GetRequiredService<IOptions<PatrawinOptions>>().Value,
            sp.GetRequiredService<IOptions<StateOptions>>().Value.FullDataDir));
        services.AddDbContextPool<PatrawinDbContext>((sp, options) =>
        {
            var patrawin = sp.GetRequiredService<IOptions<PatrawinOptions>>().Value;
            var connectionString = sp.GetRequiredService<PatrawinConnectionString>().Value;
            if (patrawin.EffectiveProvider == PatrawinProvider.SqlServer)
            {
                options.UseSqlServer(connectionString, sql => sql.CommandTimeout(patrawin.CommandTimeoutSeconds));
            }
            else
            {
                options.UseSqlite(connectionString, sqlite => sqlite.CommandTimeout(patrawin.CommandTimeoutSeconds))
                    // The one model names Patrawin's dbo schema for SQL Server; SQLite has none and would say so at every start.
                    .ConfigureWarnings(warnings => warnings.Ignore(SqliteEventId.SchemaConfiguredWarning));
            }
            options.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        });
        services.AddSingleton<SqlitePatrawinDatabase>();
        services.AddScoped<PatrawinHealthQueries>();
        services.AddSingleton<SqlServerTimePoster>();
        services.AddSingleton<SqliteTimePoster>();
        services.AddSingleton<IPatrawinTimePoster>(sp =>
            sp.GetRequiredService<IOptions<PatrawinOptions>>().Value.EffectiveProvider == PatrawinProvider.SqlServer
                ? sp.GetRequiredService<SqlServerTimePoster>()
                : sp.GetRequiredService<SqliteTimePoster>());

        // WiseTime: the Connect API, or the sandbox when no API key is set
        services.AddSingleton(sp => WiseTimeResilience.Create(
            sp.GetRequiredService<IOptions<WiseTimeOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WiseTimeResilience).FullName!)));
        services.AddHttpClient<WiseTimeHttpClient>((sp, http) =>
            {
                var wiseTime = sp.GetRequiredService<IOptions<WiseTimeOptions>>().Value;
                http.BaseAddress = wiseTime.BaseUri;
                http.Timeout = Timeout.InfiniteTimeSpan;   // the pipeline times each attempt
                if (!wiseTime.IsSandbox)
                {
                    http.DefaultRequestHeaders.Add(WiseTimeHttpClient.ApiKeyHeader, wiseTime.ApiKey);
                }
            })
            .AddHttpMessageHandler(sp => new ResilienceHandler(sp.GetRequiredService<Polly.ResiliencePipeline<HttpResponseMessage>>()));
        services.AddSingleton<SandboxWiseTimeClient>();
        services.AddTransient<IWiseTimeClient>(sp =>
            sp.GetRequiredService<IOptions<WiseTimeOptions>>().Value.IsSandbox
                ? sp.GetRequiredService<SandboxWiseTimeClient>()
                : sp.GetRequiredService<WiseTimeHttpClient>());

        // Posted time
        services.AddSingleton<GroupLocks>();
        services.AddSingleton<PostingLedger>();
        services.AddScoped<PostingQueries>();
        services.AddScoped<PostingService>();
        services.AddSingleton<LongPollState>();
        services.AddSingleton<PostedTimeFetcher>();

        // Tags and activity types
        services.AddSingleton<SyncCursorStore>();
        services.AddScoped<TagQueries>();
        services.AddScoped<TagSyncService>();
        services.AddScoped<TagRefreshService>();
        services.AddScoped<ActivityTypeQueries>();
        services.AddScoped<ActivityTypeSyncService>();

        // External hours (Kimai → CiviCRM): clients configured only when their settings are there
        services.AddSingleton<IValidateOptions<ExternalHoursOptions>, ExternalHoursOptionsValidator>();
        services.AddHttpClient<KimaiClient>((sp, http) =>
            {
                var hours = sp.GetRequiredService<IOptions<ExternalHoursOptions>>().Value;
                http.Timeout = ExternalHoursResilience.CallTimeout;
                if (hours.KimaiUrl is { Length: > 0 } url)
                {
                    http.BaseAddress = new Uri(url.TrimEnd('/') + "/api/");
                }
                if (hours.KimaiApiToken is { Length: > 0 } token)
                {
                    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                }
                else if (hours.KimaiApiUser is { Length: > 0 } user)
                {
                    http.DefaultRequestHeaders.Add("X-AUTH-USER", user);
                    http.DefaultRequestHeaders.Add("X-AUTH-TOKEN", hours.KimaiApiPassword);
                }
            })
            .AddHttpMessageHandler(sp => ExternalHoursHandler(sp, "Kimai"));
        services.AddHttpClient<CiviCrmClient>((sp, http) =>
        {
            var hours = sp.GetRequiredService<IOptions<ExternalHoursOptions>>().Value;
            http.Timeout = ExternalHoursResilience.CallTimeout;
            if (hours.CivicrmApi4Url is { Length: > 0 } url)
            {
                http.BaseAddress = new Uri(url.TrimEnd('/') + "/");
            }
            http.DefaultRequestHeaders.Add("X-Civi-Auth", $"Bearer {hours.CivicrmApiKey}");
            http.DefaultRequestHeaders.Add("X-Requested-With", "XMLHttpRequest");
            if (hours.CivicrmSiteKey is { Length: > 0 } siteKey)
            {
                http.DefaultRequestHeaders.Add("X-Civi-Key", siteKey);
            }
        })
            .AddHttpMessageHandler(sp => ExternalHoursHandler(sp, "CiviCRM"));
        services.AddHttpClient<KimaiV1Client>((sp, http) =>
            {
                var hours = sp.GetRequiredService<IOptions<ExternalHoursOptions>>().Value;
                http.Timeout = ExternalHoursResilience.CallTimeout;
                if (hours.KimaiUrl is { Length: > 0 } url)
                {
                    http.BaseAddress = new Uri(url.TrimEnd('/') + "/core/");
                }
            })
            .AddHttpMessageHandler(sp => ExternalHoursHandler(sp, "Kimai"));
        services.AddScoped<KimaiV2Source>();
        services.AddScoped<KimaiV1Source>();
        // KIMAI_API_VERSION picks the source once; everything after it is the same for both
        services.AddScoped<ITimesheetSource>(sp => sp.GetRequiredService<IOptions<ExternalHoursOptions>>().Value.KimaiV1
            ? sp.GetRequiredService<KimaiV1Source>()
            : sp.GetRequiredService<KimaiV2Source>());
        services.AddSingleton<ExternalHoursRunGate>();
        services.AddScoped<ExternalHoursLedger>();
        services.AddScoped<EntryApplier>();
        services.AddScoped<ExternalHoursReconciler>();
        services.AddScoped<ExternalHoursSyncService>();
        services.AddScoped<ExternalHoursMappingService>();
        services.AddScoped<ExtensionMigration>();
        return builder;
    }

    private static ResilienceHandler ExternalHoursHandler(IServiceProvider sp, string service) => new(ExternalHoursResilience.Create(
        service, sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ExternalHoursResilience).FullName!)));
}
