using System.Diagnostics;
using System.Globalization;
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
/// The first external-hours sync of ENTRIES Kimai entries over PROJECTS mapped projects, with the connector's own services
/// (typed clients with their pipelines, ledger, state database) against the test suite's Kimai and CiviCRM stand-ins,
/// every request delayed by LATENCY ms. A second run over the unchanged data shows the no-op cost.
/// </summary>
internal static class ExternalHoursLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var entries = Args.Int(args, "--entries", 100_000);
        var projects = Args.Int(args, "--projects", 200);
        var latency = TimeSpan.FromMilliseconds(Args.Int(args, "--latency-ms", 20));
        var concurrency = Args.Int(args, "--concurrency", 8);
        var dataDir = Directory.CreateTempSubdirectory("external-hours-bench-").FullName;

        var clock = new DateTime(2024, 6, 1, 8, 0, 0, DateTimeKind.Utc);
        var kimai = new KimaiStandIn(() => clock);
        var civicrm = new CiviCrmStandIn();
        for (var p = 1; p <= projects; p++)
        {
            kimai.Projects.Add(new() { ["id"] = p, ["name"] = $"Project {p}", ["customer"] = p, ["parentTitle"] = $"Customer {p}" });
            civicrm.Organisations[10_000 + p] = $"Organisation {p}";
        }
        var start = new DateTime(2024, 1, 2, 8, 0, 0);
        for (var id = 1; id <= entries; id++)
        {
            var begin = start.AddMinutes(id * 2);   // two-minute steps: 100,000 entries span about 139 days
            kimai.Put(id, $"{begin:yyyy-MM-dd'T'HH:mm:ss}+0200", $"{begin.AddMinutes(45):yyyy-MM-dd'T'HH:mm:ss}+0200", 2700, 1 + id % projects, $"Work item {id} <b>review</b>");
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<StateOptions>(o => o.DataDir = dataDir);
        builder.Services.Configure<ExternalHoursOptions>(o =>
        {
            o.KimaiUrl = "https://kimai.bench";
            o.KimaiApiToken = "token";
            o.CivicrmApi4Url = "https://crm.bench/civicrm/ajax/api4";
            o.CivicrmApiKey = "civi-key";
            o.CivicrmTimeZone = "Europe/Berlin";
            o.SyncFrom = "2024-01-01";
            o.FullReconcile = "DISABLED";
            o.Concurrency = concurrency;
        });
        builder.AddConnectorDomain();
        builder.Services.AddHttpClient<KimaiClient>().ConfigurePrimaryHttpMessageHandler(() => new Latency(latency) { InnerHandler = kimai });
        builder.Services.AddHttpClient<CiviCrmClient>().ConfigurePrimaryHttpMessageHandler(() => new Latency(latency) { InnerHandler = civicrm });
        using var host = builder.Build();
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<ConnectorStateDbContext>>().CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
        }
        using (var scope = host.Services.CreateScope())
        {
            var mappings = scope.ServiceProvider.GetRequiredService<ExternalHoursMappingService>();
            for (var p = 1; p <= projects; p++)
            {
                if (await mappings.PutAsync(p, 10_000 + p, CancellationToken.None) is { } problem)
                {
                    throw new InvalidOperationException(problem);
                }
            }
        }

        GC.Collect();
        var baselineMb = PeakResidentMegabytes();
        var (first, firstSummary) = await TimedRunAsync(host.Services);
        var peakMb = PeakResidentMegabytes();
        var (second, secondSummary) = await TimedRunAsync(host.Services);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"first sync: {entries:N0} entries over {projects} projects, {latency.TotalMilliseconds:F0} ms per request, concurrency {concurrency}: " +
            $"{first.TotalSeconds:F1} s, {entries / first.TotalSeconds:F0} entries/s; {firstSummary}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"activities in CiviCRM: {civicrm.Activities.Count:N0}; peak RSS {peakMb:F0} MB (before the run {baselineMb:F0} MB; the in-process stand-ins hold every entry and activity)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"second run, nothing changed: {second.TotalSeconds:F1} s; {secondSummary}"));
        Directory.Delete(dataDir, recursive: true);
        return civicrm.Activities.Count == entries ? 0 : 1;
    }

    private static async Task<(TimeSpan Elapsed, ExternalHoursRunSummary Summary)> TimedRunAsync(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var watch = Stopwatch.StartNew();
        var summary = await scope.ServiceProvider.GetRequiredService<ExternalHoursSyncService>().RunAsync(CancellationToken.None);
        return (watch.Elapsed, summary);
    }

    private static double PeakResidentMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>Every request waits <paramref name="delay"/> before the stand-in answers: the network and the peer's own work.</summary>
    private sealed class Latency(TimeSpan delay) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
