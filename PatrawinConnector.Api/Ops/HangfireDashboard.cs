using Hangfire;
using Hangfire.Dashboard;

namespace PatrawinConnector.Api.Ops;

/// <summary>
/// /hangfire: Hangfire's dashboard is the ops home (recurring jobs, run now, history with stack traces, servers,
/// graphs). OpsAccessMiddleware guards it exactly as it guards /ops; Hangfire checks antiforgery tokens on its POSTs.
/// Its menu leads to the connector's own pages under /ops.
/// </summary>
internal static class HangfireDashboard
{
    public const string Path = "/hangfire";

    // Hangfire's navigation menu is a static list: add the connector's items once per process, however many hosts start.
    private static readonly Lazy<bool> MenuItems = new(() =>
    {
        NavigationMenu.Items.Add(_ => new MenuItem("Connector: jobs and pause", "/ops#jobs-section"));
        NavigationMenu.Items.Add(_ => new MenuItem("Sync cursors and time left", "/ops#cursors-section"));
        NavigationMenu.Items.Add(_ => new MenuItem("Posting ledger", "/ops#postings-section"));
        NavigationMenu.Items.Add(_ => new MenuItem("External hours", "/ops#external-hours"));
        NavigationMenu.Items.Add(_ => new MenuItem("Sandbox calls", "/ops#sandbox-section"));
        return true;
    });

    public static DashboardOptions Options()
    {
        _ = MenuItems.Value;
        return new DashboardOptions
        {
            DashboardTitle = "Patrawin Connector",
            AppPath = "/ops",
            DisplayStorageConnectionString = false,
            Authorization = [new GuardedByOpsAccess()],
        };
    }

    /// <summary>Hangfire's default (local requests only) would refuse a Basic-authenticated remote caller: the guard is in front.</summary>
    private sealed class GuardedByOpsAccess : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => true;
    }
}
