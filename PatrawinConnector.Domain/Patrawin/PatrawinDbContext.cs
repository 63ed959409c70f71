using Microsoft.EntityFrameworkCore;
using PatrawinConnector.Domain.Patrawin.Configurations;

namespace PatrawinConnector.Domain.Patrawin;

/// <summary>
/// Patrawin's tables, read-only. The connector never migrates, creates or changes Patrawin through
/// this context; its only write is pw_PostTime, behind <see cref="IPatrawinTimePoster"/>.
/// </summary>
public sealed class PatrawinDbContext(DbContextOptions<PatrawinDbContext> options) : DbContext(options)
{
    public DbSet<PatrawinCase> Cases => Set<PatrawinCase>();
    public DbSet<PatrawinClient> Clients => Set<PatrawinClient>();
    public DbSet<CaseClientLink> CaseClientLinks => Set<CaseClientLink>();
    public DbSet<CreditLevel> CreditLevels => Set<CreditLevel>();
    public DbSet<PatrawinUser> Users => Set<PatrawinUser>();
    public DbSet<ActivityCode> ActivityCodes => Set<ActivityCode>();
    public DbSet<PendingTime> PendingTime => Set<PendingTime>();
    public DbSet<ActivityCodeLabel> ActivityCodeLabels => Set<ActivityCodeLabel>();
    public DbSet<CompanyInfo> CompanyInfo => Set<CompanyInfo>();
    public DbSet<SystemParameter> SystemParameters => Set<SystemParameter>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new InvalidOperationException("The Patrawin database is read-only for the connector.");

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("The Patrawin database is read-only for the connector.");

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new PatrawinCaseConfiguration());
        modelBuilder.ApplyConfiguration(new PatrawinClientConfiguration());
        modelBuilder.ApplyConfiguration(new CaseClientLinkConfiguration());
        modelBuilder.ApplyConfiguration(new CreditLevelConfiguration());
        modelBuilder.ApplyConfiguration(new PatrawinUserConfiguration());
        modelBuilder.ApplyConfiguration(new ActivityCodeConfiguration());
        modelBuilder.ApplyConfiguration(new PendingTimeConfiguration());
        modelBuilder.ApplyConfiguration(new ActivityCodeLabelConfiguration());
        modelBuilder.ApplyConfiguration(new CompanyInfoConfiguration());
        modelBuilder.ApplyConfiguration(new SystemParameterConfiguration());
    }
}
