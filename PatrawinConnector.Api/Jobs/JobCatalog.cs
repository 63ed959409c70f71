namespace PatrawinConnector.Api.Jobs;

/// <summary>The recurring jobs of the contract: id (the Hangfire recurring-job id), what it does, its class.</summary>
public static class JobCatalog
{
    public sealed record Entry(string Id, string Description, Type JobType);

    public static readonly IReadOnlyList<Entry> All =
    [
        new(TagSyncJob.Id, "New Patrawin cases and clients, side by side, as WiseTime tags", typeof(TagSyncJob)),
        new(TagRefreshJob.Id, "Slow refresh of every tag; blocked clients' tags deleted", typeof(TagRefreshJob)),
        new(ActivityTypeSyncJob.Id, "Patrawin activity codes as WiseTime activity types", typeof(ActivityTypeSyncJob)),
        new(ExternalHoursSyncJob.Id, "Kimai timesheet entries as CiviCRM \"Service Hours\" activities", typeof(ExternalHoursSyncJob)),
    ];

    public static Entry? Find(string id) => All.FirstOrDefault(j => j.Id == id);

    public static Entry? Of(Type jobType) => All.FirstOrDefault(j => j.JobType == jobType);
}
