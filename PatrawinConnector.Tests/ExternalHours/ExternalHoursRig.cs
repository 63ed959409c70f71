using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Tests.Support;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace PatrawinConnector.Tests.ExternalHours;

/// <summary>
/// The external hours services as the host composes them, around one timesheet source, the CiviCRM stand-in and the
/// harness's real state database: what the sync tests of both Kimai versions build their runs from.
/// </summary>
public sealed class ExternalHoursRig(DomainHarness harness, TimeProvider clock, ExternalHoursOptions options, CiviCrmStandIn civicrm, Func<ITimesheetSource> source)
{
    public ExternalHoursLedger Ledger() => new(States, harness.Services.GetRequiredService<StateWriteGate>());

    public ExternalHoursMappingService MappingService() => new(Civicrm(), source(), States, harness.Services.GetRequiredService<StateWriteGate>(), clock);

    public async Task MapAsync(int project, int contact) =>
        Assert.That(await MappingService().PutAsync(project, contact, CancellationToken.None), Is.Null);

    public Task<ExternalHoursRunSummary> RunAsync()
    {
        var wrapped = MsOptions.Create(options);
        var ledger = Ledger();
        var kimai = source();
        var applier = new EntryApplier(Civicrm(), ledger, clock, wrapped, NullLogger<EntryApplier>.Instance);
        return new ExternalHoursSyncService(kimai, Civicrm(), applier,
            new ExternalHoursReconciler(kimai, applier, ledger, clock, wrapped, NullLogger<ExternalHoursReconciler>.Instance), ledger,
            harness.Services.GetRequiredService<ExternalHoursRunGate>(), clock, wrapped, MsOptions.Create(new PatrawinOptions()),
            NullLogger<ExternalHoursSyncService>.Instance).RunAsync(CancellationToken.None);
    }

    public CiviCrmClient Civicrm()
    {
        var http = new HttpClient(civicrm, disposeHandler: false) { BaseAddress = new Uri("https://crm.test/civicrm/ajax/api4/") };
        http.DefaultRequestHeaders.Add("X-Civi-Auth", "Bearer civi-key");
        return new CiviCrmClient(http);
    }

    public async Task<ExternalHoursEntry?> EntryAsync(int id)
    {
        await using var db = await States.CreateDbContextAsync();
        return await db.ExternalHoursEntries.AsNoTracking().FirstOrDefaultAsync(e => e.KimaiTimesheetId == id);
    }

    public async Task<List<string>> StatesAsync()
    {
        await using var db = await States.CreateDbContextAsync();
        return [.. (await db.ExternalHoursEntries.AsNoTracking().OrderBy(e => e.KimaiTimesheetId).ToListAsync()).Select(e => e.State.ToString())];
    }

    public async Task<ExternalHoursSyncState?> SyncStateAsync()
    {
        await using var db = await States.CreateDbContextAsync();
        return await db.ExternalHoursSync.AsNoTracking().FirstOrDefaultAsync();
    }

    private IDbContextFactory<ConnectorStateDbContext> States => harness.Services.GetRequiredService<IDbContextFactory<ConnectorStateDbContext>>();
}
