using Microsoft.EntityFrameworkCore;
using PatrawinConnector.Domain.Patrawin;

namespace PatrawinConnector.Domain.ActivityTypes;

/// <summary>Patrawin's activity codes as WiseTime activity types (wisetime-patrawin.md section h).</summary>
public sealed class ActivityTypeQueries(PatrawinDbContext db)
{
    public const string RenewalSection = "INVOICES RENEWAL INVOICING";
    public const string AdvanceSection = "INVOICES ADVANCE INVOICING";
    public static readonly IReadOnlyList<string> AdvanceParameters =
        ["ADVANCE", "ADVANCE DEDUCTION SERVICE", "ADVANCE WITH VAT", "ADVANCE WITH VAT DEDUCTION SERVICE"];

    /// <summary>
    /// Active codes above 9, except 9998 and the renewal and advance codes the invoicing parameters name, with their label
    /// in the company's screen language, ordered by code. A code without a label in that language is left out.
    /// </summary>
    public async Task<IReadOnlyList<(short Code, string? Label)>> ReadAsync(CancellationToken ct)
    {
        var language = await ScreenLanguage(db).FirstOrDefaultAsync(ct);
        var excluded = (await ExcludingParameters(db).ToListAsync(ct))
            .Select(v => v?.Trim())
            .Where(v => v is { Length: > 0 } && v.All(char.IsAsciiDigit))
            .Select(v => long.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : -1)
            .Where(code => code is >= 0 and <= short.MaxValue)
            .Select(code => (int)code)
            .ToHashSet();

        var rows = await Codes(db, language ?? string.Empty).ToListAsync(ct);
        return rows
            .Where(r => !excluded.Contains(r.Code))
            .DistinctBy(r => r.Code)
            .Select(r => (r.Code, r.Label))
            .ToList();
    }

    /// <summary>COMPANY_INFO has one row; ordered all the same, so that the first is a defined one (and EF Core does not warn).</summary>
    internal static IQueryable<string?> ScreenLanguage(PatrawinDbContext db) => db.CompanyInfo.Select(c => c.ScreenLanguage).OrderBy(language => language);

    internal static IQueryable<string?> ExcludingParameters(PatrawinDbContext db) =>
        db.SystemParameters
            .Where(p => p.Section == RenewalSection || (p.Section == AdvanceSection && AdvanceParameters.Contains(p.Name)))
            .Select(p => p.Value);

    internal static IQueryable<CodeLabel> Codes(PatrawinDbContext db, string language) =>
        from code in db.ActivityCodes
        join label in db.ActivityCodeLabels on code.Code equals label.Code
        where label.LanguageCode == language && code.Inactive == 0 && code.Code > 9 && code.Code != 9998
        orderby code.Code, label.Id
        select new CodeLabel(code.Code, label.Label);

    internal sealed record CodeLabel(short Code, string? Label);
}
