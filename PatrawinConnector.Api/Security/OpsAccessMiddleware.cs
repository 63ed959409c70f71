using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PatrawinConnector.Api.Ops;

namespace PatrawinConnector.Api.Security;

/// <summary>
/// Guards the operations surfaces (/ops, its API, /hangfire, /swagger): HTTP Basic with OPS_USERNAME/OPS_PASSWORD, compared in fixed
/// time; without credentials configured, loopback callers only. Mounted with UseWhen on those path prefixes.
/// </summary>
internal sealed class OpsAccessMiddleware(RequestDelegate next, IOptions<OpsOptions> options, ILogger<OpsAccessMiddleware> logger)
{
    public const string Realm = "Patrawin Connector operations";

    /// <summary>The dashboard sends it with every change it asks for; a cross-site form cannot, so a visited page cannot trigger or pause a job.</summary>
    public const string RequestedByHeader = "X-Requested-By";
    private const string BasicScheme = "Basic ";

    private readonly byte[]? _expected = options.Value.HasCredentials
        ? SHA256.HashData(Encoding.UTF8.GetBytes($"{options.Value.Username}:{options.Value.Password}"))
        : null;

    public static bool Applies(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/ops", StringComparison.OrdinalIgnoreCase) ||
        IsHangfire(context) ||
        context.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        // Hangfire's dashboard sends no such header: its POSTs carry an antiforgery token, which Hangfire checks.
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) &&
            !context.Request.Headers.ContainsKey(RequestedByHeader) && !IsHangfire(context))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync($"Changes through the operations API need the {RequestedByHeader} header (the dashboard sends it).");
            return;
        }

        if (_expected is null)
        {
            // In-process test servers and unix sockets have no remote address: both are local. A request that came
            // through a proxy on this host (a sidecar, a reverse proxy) is not a local caller, whatever its address.
            var forwarded = context.Request.Headers.ContainsKey("X-Forwarded-For") || context.Request.Headers.ContainsKey("Forwarded");
            if (forwarded || (context.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote)))
            {
                logger.LogWarning("Refused {Path} to {RemoteAddress}: without OPS_USERNAME/OPS_PASSWORD only loopback callers are served",
                    context.Request.Path.Value, forwarded ? "a forwarded request" : context.Connection.RemoteIpAddress?.ToString());
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("The operations pages answer loopback callers only. Set OPS_USERNAME and OPS_PASSWORD to open them to the network.");
                return;
            }
            await next(context);
            return;
        }

        if (!Matches(context.Request.Headers.Authorization.ToString()))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\", charset=\"UTF-8\"";
            return;
        }
        await next(context);
    }

    private static bool IsHangfire(HttpContext context) =>
        context.Request.Path.StartsWithSegments(Ops.HangfireDashboard.Path, StringComparison.OrdinalIgnoreCase);

    private bool Matches(string header)
    {
        var given = string.Empty;
        if (header.StartsWith(BasicScheme, StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                given = Encoding.UTF8.GetString(Convert.FromBase64String(header[BasicScheme.Length..].Trim()));
            }
            catch (FormatException)
            {
                given = string.Empty;
            }
        }
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), _expected) & given.Length > 0;
    }
}
