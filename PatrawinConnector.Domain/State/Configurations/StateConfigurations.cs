using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PatrawinConnector.Domain.State.Configurations;

internal sealed class PostingLedgerEntryConfiguration : IEntityTypeConfiguration<PostingLedgerEntry>
{
    public void Configure(EntityTypeBuilder<PostingLedgerEntry> builder)
    {
        builder.ToTable("PostingLedger");
        builder.HasKey(e => e.GroupId);
        builder.Property(e => e.GroupId).HasMaxLength(200);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.UserName).HasMaxLength(320);
        builder.Property(e => e.Author).HasMaxLength(320);
        builder.Property(e => e.Tags).HasMaxLength(4000);
        builder.Property(e => e.PendingTimeIds).HasMaxLength(4000);
        builder.Property(e => e.Message).HasMaxLength(4000);
        builder.HasIndex(e => e.UpdatedAt);
    }
}

internal sealed class SandboxWiseTimeCallConfiguration : IEntityTypeConfiguration<SandboxWiseTimeCall>
{
    public void Configure(EntityTypeBuilder<SandboxWiseTimeCall> builder)
    {
        builder.ToTable("SandboxWiseTimeCalls");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Operation).HasMaxLength(100);
        builder.HasIndex(c => c.RecordedAt);
    }
}

internal sealed class SyncCursorConfiguration : IEntityTypeConfiguration<SyncCursor>
{
    public void Configure(EntityTypeBuilder<SyncCursor> builder)
    {
        builder.ToTable("SyncCursors");
        builder.HasKey(c => c.Name);
        builder.Property(c => c.Name).HasMaxLength(50);
        builder.Property(c => c.Number).HasMaxLength(50);
    }
}

internal sealed class ActivityTypeSyncStateConfiguration : IEntityTypeConfiguration<ActivityTypeSyncState>
{
    public void Configure(EntityTypeBuilder<ActivityTypeSyncState> builder)
    {
        builder.ToTable("ActivityTypeSync");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Hash).HasMaxLength(64);
    }
}

internal sealed class ExternalHoursMappingConfiguration : IEntityTypeConfiguration<ExternalHoursMapping>
{
    public void Configure(EntityTypeBuilder<ExternalHoursMapping> builder)
    {
        builder.ToTable("ExternalHoursMappings");
        builder.HasKey(m => m.KimaiProjectId);
        builder.Property(m => m.KimaiProjectId).ValueGeneratedNever();
        builder.Property(m => m.ProjectName).HasMaxLength(500);
        builder.Property(m => m.CustomerName).HasMaxLength(500);
        builder.Property(m => m.OrganisationName).HasMaxLength(500);
    }
}

internal sealed class ExternalHoursEntryConfiguration : IEntityTypeConfiguration<ExternalHoursEntry>
{
    public void Configure(EntityTypeBuilder<ExternalHoursEntry> builder)
    {
        builder.ToTable("ExternalHoursEntries");
        builder.HasKey(e => e.KimaiTimesheetId);
        builder.Property(e => e.KimaiTimesheetId).ValueGeneratedNever();
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Fingerprint).HasMaxLength(64);
        builder.Property(e => e.LastError).HasMaxLength(4000);
        builder.HasIndex(e => e.CivicrmActivityId).IsUnique().HasFilter("CivicrmActivityId IS NOT NULL");
        builder.HasIndex(e => e.BeginUtc);
        builder.HasIndex(e => new { e.State, e.NextAttemptAt });
        builder.HasIndex(e => e.KimaiProjectId);
    }
}

internal sealed class ExternalHoursSyncStateConfiguration : IEntityTypeConfiguration<ExternalHoursSyncState>
{
    public void Configure(EntityTypeBuilder<ExternalHoursSyncState> builder)
    {
        builder.ToTable("ExternalHoursSync");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
    }
}
