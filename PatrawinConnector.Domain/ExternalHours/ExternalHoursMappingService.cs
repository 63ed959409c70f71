using Microsoft.EntityFrameworkCore;
using PatrawinConnector.Domain.State;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>
/// Kimai project → CiviCRM organisation mappings (external-hours.md e.6 "mapping changes", e.8). Adding or re-pointing a
/// mapping marks it so that the next run back-fills the project and moves its activities; removing one detaches its
/// entries (their activities stay).
/// </summary>
public sealed class ExternalHoursMappingService(
    CiviCrmClient civicrm,
    ITimesheetSource kimai,
    IDbContextFactory<ConnectorStateDbContext> state,
    StateWriteGate writeGate,
    TimeProvider clock)
{
    public async Task<List<ExternalHoursMapping>> ListAsync(CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        return await db.ExternalHoursMappings.AsNoTracking().OrderBy(m => m.KimaiProjectId).ToListAsync(ct);
    }

    /// <summary>Creates or re-points a mapping; the reason when the contact is not an existing organisation.</summary>
    public async Task<string?> PutAsync(int kimaiProjectId, int civicrmContactId, CancellationToken ct)
    {
        var organisation = (await civicrm.FindOrganisationsAsync(null, civicrmContactId, ct)).FirstOrDefault();
        if (organisation == default)
        {
            return $"CiviCRM contact {civicrmContactId} is not an existing organisation.";
        }
        var project = (await kimai.GetProjectsAsync(ct)).FirstOrDefault(p => p.Id == kimaiProjectId);
        var now = clock.GetUtcNow().UtcDateTime;
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            var mapping = await db.ExternalHoursMappings.FirstOrDefaultAsync(m => m.KimaiProjectId == kimaiProjectId, ct);
            if (mapping is null)
            {
                mapping = new ExternalHoursMapping { KimaiProjectId = kimaiProjectId, CreatedAt = now };
                db.ExternalHoursMappings.Add(mapping);
            }
            mapping.NeedsApply |= mapping.CivicrmContactId != civicrmContactId;
            mapping.CivicrmContactId = civicrmContactId;
            mapping.OrganisationName = organisation.Name;
            mapping.ProjectName = project?.Name ?? mapping.ProjectName;
            mapping.CustomerName = project?.ParentTitle ?? mapping.CustomerName;
            mapping.UpdatedAt = now;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            // entries detached by an earlier unmapping come back: the next run applies them to this organisation
            await db.ExternalHoursEntries.Where(e => e.KimaiProjectId == kimaiProjectId && e.State == ExternalHoursEntryState.Detached)
                .ExecuteUpdateAsync(set => set.SetProperty(e => e.State, ExternalHoursEntryState.Pending), ct);
            await transaction.CommitAsync(ct);
        }
        return null;
    }

    /// <summary>Removes the mapping; false when there was none. Its entries are detached: their activities are kept.</summary>
    public async Task<bool> DeleteAsync(int kimaiProjectId, CancellationToken ct)
    {
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var removed = await db.ExternalHoursMappings.Where(m => m.KimaiProjectId == kimaiProjectId).ExecuteDeleteAsync(ct);
            await db.ExternalHoursEntries.Where(e => e.KimaiProjectId == kimaiProjectId && e.State != ExternalHoursEntryState.Unmapped)
                .ExecuteUpdateAsync(set => set.SetProperty(e => e.State, ExternalHoursEntryState.Detached), ct);
            await transaction.CommitAsync(ct);
            return removed > 0;
        }
    }

    /// <summary>Ledger rows in one state (failed entries with their errors, unmapped ones by project), newest first.</summary>
    public async Task<List<ExternalHoursEntry>> EntriesAsync(ExternalHoursEntryState entryState, int limit, CancellationToken ct)
    {
        await using var db = await state.CreateDbContextAsync(ct);
        return await db.ExternalHoursEntries.AsNoTracking().Where(e => e.State == entryState)
            .OrderByDescending(e => e.BeginUtc).Take(limit).ToListAsync(ct);
    }
}
