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
