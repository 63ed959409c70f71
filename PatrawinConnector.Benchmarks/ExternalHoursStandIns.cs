using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PatrawinConnector.Tests.ExternalHours;

namespace PatrawinConnector.Benchmarks;

/// <summary>
/// The test suite's Kimai and CiviCRM stand-ins served over HTTP on 127.0.0.1, in their own process so that the
/// benchmark's memory figure is the connector's alone: Kimai under <c>/kimai/api/</c>, CiviCRM under
/// <c>/civicrm/ajax/api4/</c>, every request answered after a fixed latency. Seeds ENTRIES entries over PROJECTS projects
/// and an organisation per project (id 10000 + project). <c>GET /stats</c> counts requests and activities. With
/// <c>--kimai-version 1</c> Kimai is the Kimai 1 + kimai1_civicrm stand-in under <c>/kimai/core/</c>, its queue not yet primed.
/// </summary>
internal static class ExternalHoursStandIns
{
    public const int FirstOrganisation = 10_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var port = Args.Int(args, "--port", 18091);
        var latency = TimeSpan.FromMilliseconds(Args.Int(args, "--latency-ms", 20));
        var entries = Args.Int(args, "--entries", 100_000);
        var projects = Args.Int(args, "--projects", 200);
        var version = Args.Int(args, "--kimai-version", 2);

        var clock = new DateTime(2024, 6, 1, 8, 0, 0, DateTimeKind.Utc);
        using var kimai = new KimaiStandIn(() => clock);
        using var kimai1 = new KimaiV1StandIn(() => clock);
        using var civicrm = new CiviCrmStandIn();
        for (var p = 1; p <= projects; p++)
        {
            kimai.Projects.Add(new() { ["id"] = p, ["name"] = $"Project {p}", ["customer"] = p, ["parentTitle"] = $"Customer {p}" });
            kimai1.Projects.Add(new() { ["projectID"] = $"{p}", ["name"] = $"Project {p}", ["customerID"] = $"{p}", ["customerName"] = $"Customer {p}" });
            civicrm.Organisations[FirstOrganisation + p] = $"Organisation {p}";
        }
        var start = new DateTime(2024, 1, 2, 8, 0, 0);
        for (var id = 1; id <= entries; id++)
        {
            var begin = start.AddMinutes(id * 2);   // two-minute steps: 100,000 entries span about 139 days
            var (from, to, project, text) = ($"{begin:yyyy-MM-dd'T'HH:mm:ss}+0200", $"{begin.AddMinutes(45):yyyy-MM-dd'T'HH:mm:ss}+0200", 1 + id % projects, $"Work item {id} <b>review</b>");
            if (version == 1)
            {
                kimai1.Insert(id, from, to, project, text);
            }
            else
            {
                kimai.Put(id, from, to, 2700, project, text);
            }
        }

        StandInServer? server = null;
        server = await StandInServer.StartAsync(port, latency,
            new Dictionary<string, HttpMessageHandler> { ["kimai"] = version == 1 ? kimai1 : kimai, ["civicrm"] = civicrm },
            app => app.MapGet("/stats", () => Results.Json(new { requests = server!.Requests, activities = civicrm.Activities.Count })));
        await using (server)
        {
            await server.WaitForShutdownAsync();
        }
        return 0;
    }
}
