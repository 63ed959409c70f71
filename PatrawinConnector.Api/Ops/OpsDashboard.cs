using System.Reflection;

namespace PatrawinConnector.Api.Ops;

/// <summary>GET /ops: one self-contained page (no CDN, no external script) that reads /ops/api.</summary>
internal static class OpsDashboard
{
    private static readonly Lazy<string> Html = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("PatrawinConnector.Api.Ops.dashboard.html")
                           ?? throw new InvalidOperationException("The dashboard page is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static IResult Page(HttpContext context)
    {
        context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; img-src 'self' data:";
        context.Response.Headers.CacheControl = "no-store";
        return Results.Content(Html.Value, "text/html; charset=utf-8");
    }
}
