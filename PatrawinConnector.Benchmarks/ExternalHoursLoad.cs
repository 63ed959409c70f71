using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PatrawinConnector.Domain;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Tests.ExternalHours;

namespace PatrawinConnector.Benchmarks;

/// <summary>
/// The first external-hours sync of the entries the stand-in process holds (<see cref="ExternalHoursStandIns"/>), with the
/// connector's own services (typed clients with their pipelines, ledger, state database) over HTTP on 127.0.0.1, then a
/// second run with nothing changed. Peak memory is this process's: the stand-ins' data lives in the other one.
/// </summary>
internal static class ExternalHoursLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = Args.Option(args, "--url", "http://127.0.0.1:18091");
        var concurrency = Args.Int(args, "--concurrency", 8);
        var version = Args.Int(args, "--kimai-version", 2);
        var dataDir = Directory.CreateTempSubdirectory("external-hours-bench-").FullName;
        using var stats = new HttpClient { BaseAddress = new Uri(url) };

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<StateOptions>(o => o.DataDir = dataDir);
        builder.Services.Configure<ExternalHoursOptions>(o =>
        {
            o.KimaiUrl = $"{url}/kimai";
            o.KimaiApiVersion = version;
            o.KimaiApiToken = version == 1 ? null : "token";
            o.KimaiApiKey = version == 1 ? KimaiV1StandIn.ApiKey : null;
            o.CivicrmApi4Url = $"{url}/civicrm/ajax/api4";
            o.CivicrmApiKey = "civi-key";
            o.CivicrmTimeZone = "Europe/Berlin";
            o.SyncFrom = "2024-01-01";
            o.FullReconcile = "DISABLED";
            o.Concurrency = concurrency;
        });
        builder.AddConnectorDomain();
        using var host = builder.Build();
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<ConnectorStateDbContext>>().CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
        }
        int projects;
        using (var scope = host.Services.CreateScope())
        {
            projects = (await scope.ServiceProvider.GetRequiredService<ITimesheetSource>().GetProjectsAsync(CancellationToken.None)).Count;
            var mappings = scope.ServiceProvider.GetRequiredService<ExternalHoursMappingService>();
            for (var p = 1; p <= projects; p++)
            {
                if (await mappings.PutAsync(p, ExternalHoursStandIns.FirstOrganisation + p, CancellationToken.None) is { } problem)
                {
                    throw new InvalidOperationException(problem);
                }
            }
        }

        var before = await StatsAsync(stats);
        GC.Collect();
        var baselineMb = ResidentMemory.PeakMegabytes();
        var (first, firstSummary) = await TimedRunAsync(host.Services);
        var peakMb = ResidentMemory.PeakMegabytes();
        var afterFirst = await StatsAsync(stats);
        var (second, secondSummary) = await TimedRunAsync(host.Services);
        var afterSecond = await StatsAsync(stats);

        var entries = firstSummary.Fetched;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"first sync (Kimai {version}): {entries:N0} entries over {projects} projects, concurrency {concurrency}: " +
            $"{first.TotalSeconds:F1} s, {entries / first.TotalSeconds:F0} entries/s, {afterFirst.Requests - before.Requests:N0} HTTP requests; {firstSummary}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"activities in CiviCRM: {afterFirst.Activities:N0}; connector peak RSS {peakMb:F0} MB (after start-up {baselineMb:F0} MB)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"second run, nothing changed: {second.TotalSeconds:F1} s, {afterSecond.Requests - afterFirst.Requests} HTTP requests; {secondSummary}"));
        Directory.Delete(dataDir, recursive: true);
        return afterFirst.Activities == entries && firstSummary.Created == entries ? 0 : 1;
    }

    private sealed record StandInStats(long Requests, int Activities);

    private static async Task<StandInStats> StatsAsync(HttpClient stats) =>
        await stats.GetFromJsonAsync<StandInStats>("/stats") ?? throw new InvalidOperationException("the stand-ins answered no stats");

    private static async Task<(TimeSpan Elapsed, ExternalHoursRunSummary Summary)> TimedRunAsync(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var watch = Stopwatch.StartNew();
        var summary = await scope.ServiceProvider.GetRequiredService<ExternalHoursSyncService>().RunAsync(CancellationToken.None);
        return (watch.Elapsed, summary);
    }
}
