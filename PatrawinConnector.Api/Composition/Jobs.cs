using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;
using PatrawinConnector.Api.Jobs;
using PatrawinConnector.Domain.ActivityTypes;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.Tags;

namespace PatrawinConnector.Api.Composition;

/// <summary>
/// The recurring jobs on Hangfire (ADR-012): Hangfire.Storage.SQLite in DATA_DIR by default, or Hangfire.SqlServer
/// shared by several replicas. The schedule is the block below: the contract ids, intervals from the options, first
/// runs staggered after start-up. Cross-cutting rules are filters registered once: one run of a job at a time
/// (SingleRunFilter), and no automatic retry (the next scheduled run is the retry; the cursors make it safe).
/// </summary>
public static class Jobs
{
    /// <summary>tag-sync's first run after start-up; the others follow at other seconds of the minute (docs/jobs.md).</summary>
    public static readonly TimeSpan FirstRunDelay = TimeSpan.FromSeconds(15);

    public const string SqliteStoreFileName = "hangfire.db";

    /// <summary>This process's Hangfire server name (Hangfire adds ":" and a unique id); the scheduler check looks for it.</summary>
    public static readonly string ServerName = $"patrawin-connector:{Environment.MachineName}:{Environment.ProcessId}".ToLowerInvariant();

    public static WebApplicationBuilder AddConnectorJobs(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var tags = configuration.Get<TagOptions>() ?? new TagOptions();
        var activityTypes = configuration.Get<ActivityTypeOptions>() ?? new ActivityTypeOptions();
        var store = configuration.Get<JobStoreOptions>() ?? new JobStoreOptions();
        var hours = configuration.Get<ExternalHoursOptions>() ?? new ExternalHoursOptions();
        var dataDir = (configuration.Get<StateOptions>() ?? new StateOptions()).FullDataDir;
        var sqlServer = store.JobStore == JobStore.SqlServer && !string.IsNullOrWhiteSpace(store.ConnectionString);

        // Whole minutes apart from each other's seconds: with minute intervals tag-refresh always starts 30 s after or
        // before a tag-sync, never in the same second, and each has a worker of its own.
        var plan = new JobPlan(
        [
            new(TagSyncJob.Id, tags.TagScan == Switch.Enabled, tags.TagSyncIntervalMinutes, FirstRunDelay),
            new(ActivityTypeSyncJob.Id, activityTypes.ActivityTypeScan == Switch.Enabled, activityTypes.SyncIntervalMinutes, TimeSpan.FromSeconds(25)),
            new(ExternalHoursSyncJob.Id, hours.Enabled, hours.IntervalMinutes, TimeSpan.FromSeconds(35)),
            new(TagRefreshJob.Id, tags.TagScan == Switch.Enabled, tags.TagRefreshIntervalMinutes, TimeSpan.FromSeconds(45)),
        ], SingleProcessStore: !sqlServer);

        var services = builder.Services;
        services.AddSingleton(plan);
        services.AddSingleton(_ => DataDirLock.Acquire(dataDir));
        services.AddSingleton<JobStorage>(sp =>
        {
            sp.GetRequiredService<DataDirLock>();
            return sqlServer
                ? new SqlServerStorage(store.ConnectionString, new SqlServerStorageOptions { PrepareSchemaIfNecessary = true })
                : new SQLiteStorage(Path.Combine(dataDir, SqliteStoreFileName), new SQLiteStorageOptions
                {
                    QueuePollInterval = TimeSpan.FromSeconds(1),
                    // Not sliding: a run still going when it passes would be fetched a second time. No run lasts a day.
                    InvisibilityTimeout = TimeSpan.FromHours(24),
                });
        });
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<ProcessJobRunLocks>();
        services.AddSingleton<IJobRunLocks>(sp => sqlServer
            ? new StorageJobRunLocks(sp.GetRequiredService<ProcessJobRunLocks>())
            : sp.GetRequiredService<ProcessJobRunLocks>());
        services.AddSingleton<JobRunJournal>();
        services.AddSingleton<JobSchedules>();
        services.AddSingleton<Ops.JobStatusReader>();
        services.AddSingleton<SingleRunFilter>();
        services.AddSingleton<IJobFilterProvider>(sp => ConnectorFilters(sp.GetRequiredService<SingleRunFilter>()));
        services.AddTransient<TagSyncJob>();
        services.AddTransient<TagRefreshJob>();
        services.AddTransient<ActivityTypeSyncJob>();
        services.AddTransient<ExternalHoursSyncJob>();
        services.AddHostedService<TagSyncWarmUp>();

        services.AddHangfire(hangfire => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddHostedService<RecurringJobRegistration>();   // before the server: the jobs exist when it starts
        services.AddSingleton<IBackgroundProcess, IntervalScheduler>();
        services.AddHangfireServer((_, server) =>
        {
            server.ServerName = ServerName;
            server.WorkerCount = 6;   // the four jobs side by side, and room for a skipped duplicate
            server.CancellationCheckInterval = TimeSpan.FromSeconds(5);
        });
        return builder;
    }

    /// <summary>Hangfire's global filters (statistics, culture, continuations) without AutomaticRetry, plus ours.</summary>
    private static JobFilterProviderCollection ConnectorFilters(SingleRunFilter singleRun)
    {
        var filters = new JobFilterCollection();
        foreach (var filter in GlobalJobFilters.Filters.Where(f => f.Instance is not AutomaticRetryAttribute))
        {
            filters.Add(filter.Instance, filter.Order);
        }
        filters.Add(singleRun);
        return new JobFilterProviderCollection(filters, new JobFilterAttributeFilterProvider());
    }
}
