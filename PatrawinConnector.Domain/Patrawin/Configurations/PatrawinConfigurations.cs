using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PatrawinConnector.Domain.Patrawin.Configurations;

// Column types are Patrawin 13.2's, so that SQL Server parameters match the columns exactly
// (no implicit conversions, typed dates: rule R8). SQLite maps the same types by affinity.

internal sealed class PatrawinCaseConfiguration : IEntityTypeConfiguration<PatrawinCase>
{
    public void Configure(EntityTypeBuilder<PatrawinCase> builder)
    {
        builder.ToTable("ARENDE_1", "dbo");
        builder.HasKey(c => c.Number);
        builder.Property(c => c.Number).HasColumnName("Arendenr").HasColumnType("nvarchar(50)").HasMaxLength(50);
        builder.Property(c => c.Catchword).HasColumnName("Slagord").HasColumnType("nvarchar(250)").HasMaxLength(250);
        builder.Property(c => c.CreatedAt).HasColumnName("Skapatdat").HasColumnType("smalldatetime");
    }
}

internal sealed class PatrawinClientConfiguration : IEntityTypeConfiguration<PatrawinClient>
{
    public void Configure(EntityTypeBuilder<PatrawinClient> builder)
    {
        builder.ToTable("KUND_24", "dbo");
        builder.HasKey(c => c.Number);
        builder.Property(c => c.Number).HasColumnName("Kundnr").HasColumnType("nvarchar(7)").HasMaxLength(7);
        builder.Property(c => c.ShortName).HasColumnName("Kortnamnkund").HasColumnType("nvarchar(50)").HasMaxLength(50);
        builder.Property(c => c.CreatedAt).HasColumnName("Skapatdat").HasColumnType("datetime");
        builder.Property(c => c.CreditCode).HasColumnName("Kreditjn").HasColumnType("nvarchar(1)").HasMaxLength(1);
        builder.Property(c => c.InactiveFlag).HasColumnName("Inaktivjn");
    }
}

internal sealed class CaseClientLinkConfiguration : IEntityTypeConfiguration<CaseClientLink>
{
    public void Configure(EntityTypeBuilder<CaseClientLink> builder)
    {
        builder.ToTable("KUND_ARENDE_25", "dbo");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Id).HasColumnName("Id");
        builder.Property(l => l.CaseNumber).HasColumnName("Arendenr").HasColumnType("nvarchar(50)").HasMaxLength(50);
        builder.Property(l => l.ClientNumber).HasColumnName("Kundnr").HasColumnType("nvarchar(7)").HasMaxLength(7);
        builder.Property(l => l.ClientType).HasColumnName("Kundtyp");
        builder.Property(l => l.Part).HasColumnName("Part");
    }
}

internal sealed class CreditLevelConfiguration : IEntityTypeConfiguration<CreditLevel>
{
    public void Configure(EntityTypeBuilder<CreditLevel> builder)
    {
        builder.ToTable("CREDIT_LEVEL_334", "dbo");
        builder.HasKey(c => c.Code);
        builder.Property(c => c.Code).HasColumnName("Creditcode").HasColumnType("nvarchar(1)").HasMaxLength(1);
        builder.Property(c => c.Description).HasColumnName("Creditdescription").HasColumnType("nvarchar(50)").HasMaxLength(50);
        builder.Property(c => c.Type).HasColumnName("Type");
    }
}

internal sealed class PatrawinUserConfiguration : IEntityTypeConfiguration<PatrawinUser>
{
    public void Configure(EntityTypeBuilder<PatrawinUser> builder)
    {
        builder.ToTable("BEHORIG_50", "dbo");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).HasColumnName("Id");
        builder.Property(u => u.Username).HasColumnName("Username").HasColumnType("nvarchar(6)").HasMaxLength(6);
        builder.Property(u => u.Name).HasColumnName("Namn").HasColumnType("nvarchar(40)").HasMaxLength(40);
        builder.Property(u => u.Email).HasColumnName("Email").HasColumnType("nvarchar(255)").HasMaxLength(255);
        builder.Property(u => u.IsActive).HasColumnName("Isactive").HasColumnType("bit");
    }
}

internal sealed class ActivityCodeConfiguration : IEntityTypeConfiguration<ActivityCode>
{
    public void Configure(EntityTypeBuilder<ActivityCode> builder)
    {
        // FAKTURATEXTNR_15 has no primary key in Patrawin.
        builder.ToTable("FAKTURATEXTNR_15", "dbo");
        builder.HasNoKey();
        builder.Property(a => a.Code).HasColumnName("Fakturatextnr");
        builder.Property(a => a.Inactive).HasColumnName("Inaktiv");
        builder.Property(a => a.Description).HasColumnName("Beskrivning").HasColumnType("nvarchar(max)");
    }
}

internal sealed class PendingTimeConfiguration : IEntityTypeConfiguration<PendingTime>
{
    public void Configure(EntityTypeBuilder<PendingTime> builder)
    {
        builder.ToTable("PENDING_TIME_335", "dbo");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasColumnName("Id");
        builder.Property(p => p.UserId).HasColumnName("User_Id");
        builder.Property(p => p.CaseNumber).HasColumnName("Arendenr").HasColumnType("nvarchar(50)").HasMaxLength(50);
        builder.Property(p => p.ClientNumber).HasColumnName("Kundnr").HasColumnType("nvarchar(7)").HasMaxLength(7);
        builder.Property(p => p.StartTimeUtc).HasColumnName("StartTimeUtc").HasColumnType("datetime2(7)");
        builder.Property(p => p.Minutes).HasColumnName("Minutes");
        builder.Property(p => p.ActivityCode).HasColumnName("Fakturatextnr");
        builder.Property(p => p.Text).HasColumnName("Text").HasColumnType("nvarchar(max)");
        builder.Property(p => p.Imported).HasColumnName("Imported").HasColumnType("datetime2(7)");
        builder.Property(p => p.ImportStatus).HasColumnName("ImportStatus");
        builder.Property(p => p.Created).HasColumnName("Created").HasColumnType("datetime2(7)");
    }
}

internal sealed class ActivityCodeLabelConfiguration : IEntityTypeConfiguration<ActivityCodeLabel>
{
    public void Configure(EntityTypeBuilder<ActivityCodeLabel> builder)
    {
        builder.ToTable("FAKTURATEXT_16", "dbo");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Id).HasColumnName("Id");
        builder.Property(l => l.Code).HasColumnName("Fakturatextnr");
        builder.Property(l => l.LanguageCode).HasColumnName("Sprakkod").HasColumnType("nvarchar(1)").HasMaxLength(1);
        builder.Property(l => l.Label).HasColumnName("Fakturatext").HasColumnType("nvarchar(max)");
    }
}

internal sealed class CompanyInfoConfiguration : IEntityTypeConfiguration<CompanyInfo>
{
    public void Configure(EntityTypeBuilder<CompanyInfo> builder)
    {
        builder.ToTable("FORETAGINFO_56", "dbo");
        builder.HasNoKey();
        builder.Property(c => c.ScreenLanguage).HasColumnName("Skarmsprak").HasColumnType("nvarchar(1)").HasMaxLength(1);
    }
}

internal sealed class SystemParameterConfiguration : IEntityTypeConfiguration<SystemParameter>
{
    public void Configure(EntityTypeBuilder<SystemParameter> builder)
    {
        builder.ToTable("PARAMETER_149", "dbo");
        builder.HasNoKey();
        builder.Property(p => p.Section).HasColumnName("Sektion").HasColumnType("nvarchar(50)").HasMaxLength(50);
        builder.Property(p => p.Name).HasColumnName("Parameter").HasColumnType("nvarchar(100)").HasMaxLength(100);
        builder.Property(p => p.Value).HasColumnName("Varde").HasColumnType("nvarchar(4000)").HasMaxLength(4000);
    }
}
