using System.Net;
using Polly.Timeout;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>
/// Kimai or CiviCRM failed. <see cref="EntryLevel"/> separates a failure of one entry (CiviCRM's HTTP 500 with a JSON
/// error: park that entry, go on) from an infrastructure failure (no answer, timeout, 502–504, 401/403, a body that is not
/// JSON: fail the run, keep the cursor), as external-hours.md e.3 asks.
/// </summary>
public sealed class ExternalServiceException(string service, string message, HttpStatusCode? statusCode = null, bool entryLevel = false, Exception? inner = null)
    : Exception($"{service}: {message}", inner)
{
    public string Service { get; } = service;
    public HttpStatusCode? StatusCode { get; } = statusCode;
    public bool EntryLevel { get; } = entryLevel;
}

/// <summary>The transport part of a Kimai or CiviCRM call, shared by both clients: no answer becomes an ExternalServiceException.</summary>
internal static class ExternalCall
{
    /// <summary>Sends the request; a network failure or a timeout (after the pipeline's retries) names the service and path.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string service, string path, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new ExternalServiceException(service, $"could not be reached ({path}): {e.Message}", inner: e);
        }
        catch (Exception e) when (e is TimeoutRejectedException || e is TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new ExternalServiceException(service, $"did not answer in time ({path})", inner: e);
        }
    }

    /// <summary>A peer's answer, shortened for a message or a log line.</summary>
    public static string Trim(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
