using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Domain.State;

namespace PatrawinConnector.Api.Ops;

/// <summary>The external hours part of the ops API (external-hours.md e.8): mappings, Kimai projects, CiviCRM organisations, parked entries.</summary>
[ApiController]
[Route("ops/api/external-hours")]
public sealed class ExternalHoursController(ExternalHoursMappingService mappings, ITimesheetSource kimai, CiviCrmClient civicrm, IOptions<ExternalHoursOptions> options)
    : ControllerBase
{
    /// <summary>Kimai project → CiviCRM organisation mappings, with cached names.</summary>
    [HttpGet("mappings")]
    public async Task<ActionResult<IReadOnlyList<ExternalHoursMapping>>> MappingsAsync(CancellationToken cancellationToken) =>
        NotConfigured() ?? Ok(await mappings.ListAsync(cancellationToken));

    /// <summary>Creates or re-points a mapping (body <c>{"civicrmContactId": 202}</c>); 400 when the contact is not an existing organisation.</summary>
    [HttpPut("mappings/{kimaiProjectId:int}")]
    public async Task<IActionResult> PutAsync(int kimaiProjectId, [FromBody] MappingRequest request, CancellationToken cancellationToken)
    {
        if (NotConfigured() is { } missing)
        {
            return missing;
        }
        return await mappings.PutAsync(kimaiProjectId, request.CivicrmContactId, cancellationToken) is { } problem
            ? BadRequest(problem)
            : NoContent();
    }

    /// <summary>Removes a mapping; the project's activities are kept and its entries detached.</summary>
    [HttpDelete("mappings/{kimaiProjectId:int}")]
    public async Task<IActionResult> DeleteAsync(int kimaiProjectId, CancellationToken cancellationToken) =>
        NotConfigured() ?? (await mappings.DeleteAsync(kimaiProjectId, cancellationToken) ? NoContent() : NotFound());

    /// <summary>Takes over the CiviCRM extension's project links and tags its activities with their Kimai entry (docs/external-hours.md).</summary>
    [HttpPost("import-extension")]
    public async Task<ActionResult<ExtensionMigrationResult>> ImportExtensionAsync([FromServices] ExtensionMigration migration, CancellationToken cancellationToken) =>
        NotConfigured() ?? Ok(await migration.ImportAsync(cancellationToken));

    /// <summary>Every Kimai project (visible or not), for the mapping form.</summary>
    [HttpGet("projects")]
    public async Task<ActionResult<IReadOnlyList<KimaiProject>>> ProjectsAsync(CancellationToken cancellationToken) =>
        NotConfigured() ?? Ok(await kimai.GetProjectsAsync(cancellationToken));

    /// <summary>CiviCRM organisations whose name contains the search text.</summary>
    [HttpGet("organisations")]
    public async Task<ActionResult<IReadOnlyList<OrganisationView>>> OrganisationsAsync([FromQuery] string? search, CancellationToken cancellationToken) =>
        NotConfigured() ?? Ok((await civicrm.FindOrganisationsAsync(search, null, cancellationToken)).Select(o => new OrganisationView(o.Id, o.Name)).ToList());

    /// <summary>Ledger entries in one state: <c>failed</c> (with their errors) or <c>unmapped</c> (projects without an organisation).</summary>
    [HttpGet("entries")]
    public async Task<ActionResult<IReadOnlyList<ExternalHoursEntry>>> EntriesAsync([FromQuery] ExternalHoursEntryState state = ExternalHoursEntryState.Failed,
        [FromQuery] int limit = 50, CancellationToken cancellationToken = default) =>
        NotConfigured() ?? Ok(await mappings.EntriesAsync(state, Math.Clamp(limit, 1, 500), cancellationToken));

    private ActionResult? NotConfigured() =>
        options.Value.Configured ? null : NotFound("External hours are not configured: set KIMAI_URL with KIMAI_API_TOKEN (Kimai 2) or KIMAI_API_VERSION=1 with KIMAI_API_KEY (Kimai 1), and CIVICRM_API4_URL with CIVICRM_API_KEY.");

    public sealed record MappingRequest(int CivicrmContactId);

    public sealed record OrganisationView(int Id, string Name);
}
