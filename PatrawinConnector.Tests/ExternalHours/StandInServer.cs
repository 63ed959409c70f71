using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PatrawinConnector.Tests.ExternalHours;

/// <summary>
/// Stand-ins served over real HTTP on 127.0.0.1 (Kestrel), each under its own path prefix (<c>/kimai/…</c>,
/// <c>/civicrm/…</c>), every request answered after a fixed latency: the benchmark's peers, and the tests that want a socket
/// between the connector's client and the stand-in. Port 0 picks a free one.
/// </summary>
public sealed class StandInServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<HttpMessageInvoker> _invokers = [];
    private long _requests;

    private StandInServer(WebApplication app) => _app = app;

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>The address Kestrel bound, e.g. <c>http://127.0.0.1:18401</c>.</summary>
    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<StandInServer> StartAsync(int port, TimeSpan latency, IReadOnlyDictionary<string, HttpMessageHandler> routes,
        Action<WebApplication>? more = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var server = new StandInServer(builder.Build());
        foreach (var (prefix, handler) in routes)
        {
            var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
            server._invokers.Add(invoker);
            server._app.Map($"/{prefix}/{{**rest}}", context =>
            {
                Interlocked.Increment(ref server._requests);
                return ForwardAsync(context, invoker, latency);
            });
        }
        more?.Invoke(server._app);
        await server._app.StartAsync();
        return server;
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var invoker in _invokers)
        {
            invoker.Dispose();
        }
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

        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, context.RequestAborted);
        }
        HttpResponseMessage answer;
        try
        {
            answer = await standIn.SendAsync(request, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            context.Abort();   // the stand-in plays a dropped connection: drop this one
            return;
        }
        using (answer)
        {
            context.Response.StatusCode = (int)answer.StatusCode;
            foreach (var header in answer.Headers)
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
            context.Response.ContentType = answer.Content.Headers.ContentType?.ToString() ?? "application/json";
            await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }
}
