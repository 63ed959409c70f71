using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
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

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        using var toKimai = new HttpMessageInvoker(version == 1 ? kimai1 : kimai, disposeHandler: false);
        using var toCivicrm = new HttpMessageInvoker(civicrm, disposeHandler: false);
        long requests = 0;
        app.MapGet("/stats", () => Results.Json(new { requests = Interlocked.Read(ref requests), activities = civicrm.Activities.Count }));
        app.Map("/kimai/{**rest}", context => ForwardAsync(context, toKimai, latency, ref requests));
        app.Map("/civicrm/{**rest}", context => ForwardAsync(context, toCivicrm, latency, ref requests));
        await app.RunAsync();
        return 0;
    }

    private static Task ForwardAsync(HttpContext context, HttpMessageInvoker standIn, TimeSpan latency, ref long requests)
    {
        Interlocked.Increment(ref requests);
        return ForwardAsync(context, standIn, latency);
    }

    /// <summary>The HTTP request as the stand-in's HttpRequestMessage, its answer back as the HTTP response.</summary>
    private static async Task ForwardAsync(HttpContext context, HttpMessageInvoker standIn, TimeSpan latency)
    {
        var incoming = context.Request;
        using var request = new HttpRequestMessage(new HttpMethod(incoming.Method), $"http://{incoming.Host}{incoming.Path}{incoming.QueryString}");
        foreach (var header in incoming.Headers.Where(h => !h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value);
        }
        if (incoming.ContentLength > 0 || incoming.Headers.TransferEncoding.Count > 0)
        {
            using var buffer = new MemoryStream();
            await incoming.Body.CopyToAsync(buffer, context.RequestAborted);
            request.Content = new ByteArrayContent(buffer.ToArray());
            if (incoming.ContentType is { } type)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            }
        }

        await Task.Delay(latency, context.RequestAborted);
        using var answer = await standIn.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var header in answer.Headers)
        {
            context.Response.Headers[header.Key] = header.Value.ToArray();
        }
        context.Response.ContentType = answer.Content.Headers.ContentType?.ToString() ?? "application/json";
        await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
