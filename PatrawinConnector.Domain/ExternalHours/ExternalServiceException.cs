using System.Net;

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
