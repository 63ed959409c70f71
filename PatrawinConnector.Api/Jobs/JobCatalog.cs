using Quartz;

namespace PatrawinConnector.Api.Jobs;

/// <summary>The recurring jobs of the contract, by id.</summary>
public static class JobCatalog
{
    public sealed record Entry(JobKey Key, string Description);

    public static readonly IReadOnlyList<Entry> All =
    [
        new(TagSyncJob.Key, "New Patrawin cases, then new clients, as WiseTime tags"),
        new(TagRefreshJob.Key, "Slow refresh of every tag; blocked clients' tags deleted"),
        new(ActivityTypeSyncJob.Key, "Patrawin activity codes as WiseTime activity types"),
        new(ExternalHoursSyncJob.Key, "Kimai timesheet entries as CiviCRM \"Service Hours\" activities"),
    ];

    public static Entry? Find(string id) => All.FirstOrDefault(j => j.Key.Name == id);
}
