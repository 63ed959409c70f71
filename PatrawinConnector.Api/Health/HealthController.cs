using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PatrawinConnector.Api.Health;

/// <summary>The probes of the contract: JSON naming each check, its status, its duration and, on failure, its reason.</summary>
[ApiController]
[Route("health")]
public sealed class HealthController(HealthCheckService health) : ControllerBase
{
    /// <summary>200 while the process is able to work; 503 once the self-check has given up.</summary>
    [HttpGet("live")]
    [ProducesResponseType<HealthBody>(StatusCodes.Status200OK)]
    [ProducesResponseType<HealthBody>(StatusCodes.Status503ServiceUnavailable)]
    public Task<ObjectResult> Live(CancellationToken cancellationToken) => CheckAsync(HealthTags.Live, cancellationToken);

    /// <summary>200 when Patrawin, the state store, the scheduler and (with an API key) WiseTime answer, and Patrawin imports posted time; 503 naming the failing check otherwise.</summary>
    [HttpGet("ready")]
    [ProducesResponseType<HealthBody>(StatusCodes.Status200OK)]
    [ProducesResponseType<HealthBody>(StatusCodes.Status503ServiceUnavailable)]
    public Task<ObjectResult> Ready(CancellationToken cancellationToken) => CheckAsync(HealthTags.Ready, cancellationToken);

    private async Task<ObjectResult> CheckAsync(string tag, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(tag), ct);
        var body = new HealthBody(
            report.Status.ToString(),
            Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            report.Entries.Select(e => new HealthCheckBody(
                e.Key,
                e.Value.Status.ToString(),
                Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                e.Value.Description ?? e.Value.Exception?.Message)).ToList());
        return StatusCode(report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK, body);
    }
}

public sealed record HealthBody(string Status, double DurationMs, IReadOnlyList<HealthCheckBody> Checks);

public sealed record HealthCheckBody(string Name, string Status, double DurationMs, string? Description);
