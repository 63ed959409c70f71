using Microsoft.EntityFrameworkCore;
using PatrawinConnector.Domain.State.Configurations;

namespace PatrawinConnector.Domain.State;

/// <summary>The connector's own SQLite state in DATA_DIR. It owns its migrations (State/Migrations), applied at start-up.</summary>
public sealed class ConnectorStateDbContext(DbContextOptions<ConnectorStateDbContext> options) : DbContext(options)
{
    public DbSet<PostingLedgerEntry> PostingLedger => Set<PostingLedgerEntry>();
    public DbSet<SandboxWiseTimeCall> SandboxWiseTimeCalls => Set<SandboxWiseTimeCall>();
    public DbSet<SyncCursor> SyncCursors => Set<SyncCursor>();
    public DbSet<ActivityTypeSyncState> ActivityTypeSync => Set<ActivityTypeSyncState>();
    public DbSet<ExternalHoursMapping> ExternalHoursMappings => Set<ExternalHoursMapping>();
    public DbSet<ExternalHoursEntry> ExternalHoursEntries => Set<ExternalHoursEntry>();
    public DbSet<ExternalHoursSyncState> ExternalHoursSync => Set<ExternalHoursSyncState>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new PostingLedgerEntryConfiguration());
        modelBuilder.ApplyConfiguration(new SandboxWiseTimeCallConfiguration());
        modelBuilder.ApplyConfiguration(new SyncCursorConfiguration());
        modelBuilder.ApplyConfiguration(new ActivityTypeSyncStateConfiguration());
        modelBuilder.ApplyConfiguration(new ExternalHoursMappingConfiguration());
        modelBuilder.ApplyConfiguration(new ExternalHoursEntryConfiguration());
        modelBuilder.ApplyConfiguration(new ExternalHoursSyncStateConfiguration());
    }
}
