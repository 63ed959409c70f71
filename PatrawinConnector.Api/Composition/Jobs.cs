using PatrawinConnector.Api.Jobs;
using PatrawinConnector.Domain.ActivityTypes;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.Tags;
using Microsoft.Extensions.Options;
using Quartz;

namespace PatrawinConnector.Api.Composition;

/// <summary>
/// The recurring jobs on Quartz.NET (Hangfire is not in this machine's package feed): a persistent ADO.NET job store,
/// SQLite in DATA_DIR by default or a clustered SQL Server store for several replicas. Intervals come from the options;
/// a switched-off job keeps its definition (so "run now" works) but loses its trigger.
/// </summary>
public static class Jobs
{
    public static readonly TimeSpan FirstRunDelay = TimeSpan.FromSeconds(15);

    public static WebApplicationBuilder AddConnectorJobs(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var tags = configuration.Get<TagOptions>() ?? new TagOptions();
        var activityTypes = configuration.Get<ActivityTypeOptions>() ?? new ActivityTypeOptions();
        var store = configuration.Get<JobStoreOptions>() ?? new JobStoreOptions();
        var hours = configuration.Get<ExternalHoursOptions>() ?? new ExternalHoursOptions();
        var dataDir = (configuration.Get<StateOptions>() ?? new StateOptions()).FullDataDir;

        builder.Services.AddQuartz(quartz =>
        {
            // On shutdown the running job's token fires: it stops between batches, its cursor at the last accepted one.
            quartz.ConfigureScheduler(scheduler => scheduler.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs);
            quartz.UsePersistentStore(persistence =>
            {
                if (store.JobStore == JobStore.SqlServer && !string.IsNullOrWhiteSpace(store.ConnectionString))
                {
                    persistence.UseSqlServer(store.ConnectionString!);
                    persistence.UseClustering(cluster =>
                    {
                        cluster.CheckinInterval = TimeSpan.FromSeconds(10);
                        cluster.CheckinMisfireThreshold = TimeSpan.FromSeconds(20);
                    });
                }
                else
                {
                    persistence.UseSqlite($"Data Source={Path.Combine(dataDir, "jobs.db")}");
                }
                persistence.ProvisionSchema();
                persistence.UseSystemTextJsonSerializer();
            });

            Recurring<TagSyncJob>(quartz, TagSyncJob.Key, tags.TagScan == Switch.Enabled, tags.TagSyncIntervalMinutes);
            Recurring<TagRefreshJob>(quartz, TagRefreshJob.Key, tags.TagScan == Switch.Enabled, tags.TagRefreshIntervalMinutes);
            Recurring<ActivityTypeSyncJob>(quartz, ActivityTypeSyncJob.Key,
                activityTypes.ActivityTypeScan == Switch.Enabled, activityTypes.SyncIntervalMinutes);
            Recurring<ExternalHoursSyncJob>(quartz, ExternalHoursSyncJob.Key, hours.Enabled, hours.IntervalMinutes);
            quartz.AddJobListener<JobRunListener>();
        });
        builder.Services.AddQuartzHostedService(hosted => hosted.WaitForJobsToComplete = true);
        builder.Services.AddHostedService<DisabledJobTriggers>();
        return builder;
    }

    public static TriggerKey TriggerOf(JobKey job) => new($"{job.Name}-schedule");

    private static void Recurring<TJob>(IQuartzBuilder quartz, JobKey key, bool enabled, int intervalMinutes)
        where TJob : IJob
    {
        quartz.AddJob<TJob>(job => job.WithIdentity(key).WithDescription(JobCatalog.Find(key.Name)!.Description).StoreDurably());
        if (enabled)
        {
            quartz.AddTrigger(trigger => trigger
                .ForJob(key)
                .WithIdentity(TriggerOf(key))
                .StartAt(DateTimeOffset.UtcNow.Add(FirstRunDelay))
                .WithSimpleSchedule(schedule => schedule
                    .WithInterval(TimeSpan.FromMinutes(intervalMinutes))
                    .RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        }
    }

    internal static IEnumerable<JobKey> Disabled(TagOptions tags, ActivityTypeOptions activityTypes, ExternalHoursOptions hours)
    {
        if (!hours.Enabled)
        {
            yield return ExternalHoursSyncJob.Key;
        }
        if (tags.TagScan == Switch.Disabled)
        {
            yield return TagSyncJob.Key;
            yield return TagRefreshJob.Key;
        }
        if (activityTypes.ActivityTypeScan == Switch.Disabled)
        {
            yield return ActivityTypeSyncJob.Key;
        }
    }
}

/// <summary>Removes, from the persistent store, the triggers of jobs switched off since the last start.</summary>
internal sealed class DisabledJobTriggers(
    ISchedulerFactory schedulers,
    IOptions<TagOptions> tags,
    IOptions<ActivityTypeOptions> activityTypes,
    IOptions<ExternalHoursOptions> hours,
    ILogger<DisabledJobTriggers> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var disabled = Jobs.Disabled(tags.Value, activityTypes.Value, hours.Value).ToList();
        if (disabled.Count == 0)
        {
            return;
        }
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var job in disabled)
        {
            await scheduler.UnscheduleJob(Jobs.TriggerOf(job), cancellationToken);
            logger.LogInformation("Job {JobId} is switched off: it runs only when triggered from the dashboard", job.Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
