using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.Tags;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>Kimai → CiviCRM "Service Hours" settings (external-hours.md e.1). The job runs when both ends are configured.</summary>
public sealed class ExternalHoursOptions
{
    /// <summary>2: Kimai 2's REST API; 1: Kimai 1 with the kimai1_civicrm change queue (JSON-RPC).</summary>
    [ConfigurationKeyName("KIMAI_API_VERSION")]
    public int KimaiApiVersion { get; set; } = 2;

    [ConfigurationKeyName("KIMAI_URL")]
    public string? KimaiUrl { get; set; }

    [ConfigurationKeyName("KIMAI_API_TOKEN")]
    public string? KimaiApiToken { get; set; }

    /// <summary>Kimai 1's API key (the user's <c>apikey</c>); without it, <c>authenticate</c> with KIMAI_API_USER and KIMAI_API_PASSWORD gives it.</summary>
    [ConfigurationKeyName("KIMAI_API_KEY")]
    public string? KimaiApiKey { get; set; }

    /// <summary>Kimai 2: legacy X-AUTH headers, only when no token is set (Kimai before 2.14). Kimai 1: the user <c>authenticate</c> logs in.</summary>
    [ConfigurationKeyName("KIMAI_API_USER")]
    public string? KimaiApiUser { get; set; }

    [ConfigurationKeyName("KIMAI_API_PASSWORD")]
    public string? KimaiApiPassword { get; set; }

    [ConfigurationKeyName("CIVICRM_API4_URL")]
    public string? CivicrmApi4Url { get; set; }

    [ConfigurationKeyName("CIVICRM_API_KEY")]
    public string? CivicrmApiKey { get; set; }

    [ConfigurationKeyName("CIVICRM_SITE_KEY")]
    public string? CivicrmSiteKey { get; set; }

    /// <summary>IANA zone of the CiviCRM site; unset = TIMEZONE.</summary>
    [ConfigurationKeyName("CIVICRM_TIMEZONE")]
    public string? CivicrmTimeZone { get; set; }

    [ConfigurationKeyName("EXTERNAL_HOURS_SYNC")]
    public Switch Sync { get; set; } = Switch.Enabled;

    [ConfigurationKeyName("EXTERNAL_HOURS_INTERVAL")]
    public int IntervalMinutes { get; set; } = 5;

    [ConfigurationKeyName("EXTERNAL_HOURS_OVERLAP")]
    public int OverlapMinutes { get; set; } = 10;

    [ConfigurationKeyName("EXTERNAL_HOURS_PAGE_SIZE")]
    public int PageSize { get; set; } = 500;

    [ConfigurationKeyName("EXTERNAL_HOURS_RECONCILE_DAYS")]
    public int ReconcileDays { get; set; } = 62;

    [ConfigurationKeyName("EXTERNAL_HOURS_RECONCILE_INTERVAL")]
    public int ReconcileIntervalMinutes { get; set; } = 60;

    /// <summary>Daily time (HH:mm, CiviCRM's zone) of the full reconciliation, or DISABLED.</summary>
    [ConfigurationKeyName("EXTERNAL_HOURS_FULL_RECONCILE")]
    public string FullReconcile { get; set; } = "03:00";

    [ConfigurationKeyName("EXTERNAL_HOURS_RETRY_BASE")]
    public int RetryBaseMinutes { get; set; } = 5;

    /// <summary>Earliest entry start to back-fill (yyyy-MM-dd); unset = the first run minus EXTERNAL_HOURS_RECONCILE_DAYS.</summary>
    [ConfigurationKeyName("EXTERNAL_HOURS_SYNC_FROM")]
    public string? SyncFrom { get; set; }

    [ConfigurationKeyName("EXTERNAL_HOURS_ACTIVITY_TYPE")]
    public string ActivityTypeName { get; set; } = "exthours_servicehours";

    [ConfigurationKeyName("EXTERNAL_HOURS_ACTIVITY_TYPE_LABEL")]
    public string ActivityTypeLabel { get; set; } = "Service Hours";

    [ConfigurationKeyName("EXTERNAL_HOURS_ACTIVITY_STATUS")]
    public string ActivityStatus { get; set; } = "Completed";

    /// <summary>Reconciliation withholds deletions when more than this share (%) of the window's entries is missing…</summary>
    [ConfigurationKeyName("EXTERNAL_HOURS_DELETE_GUARD_PERCENT")]
    public int DeleteGuardPercent { get; set; } = 25;

    /// <summary>…and more than this many.</summary>
    [ConfigurationKeyName("EXTERNAL_HOURS_DELETE_GUARD_MIN")]
    public int DeleteGuardMinimum { get; set; } = 20;

    /// <summary>Entries applied to CiviCRM at once.</summary>
    [ConfigurationKeyName("EXTERNAL_HOURS_CONCURRENCY")]
    public int Concurrency { get; set; } = 8;

    public bool Configured =>
        !string.IsNullOrWhiteSpace(KimaiUrl) && !string.IsNullOrWhiteSpace(CivicrmApi4Url) && !string.IsNullOrWhiteSpace(CivicrmApiKey) &&
        (!string.IsNullOrWhiteSpace(KimaiApiVersion == 1 ? KimaiApiKey : KimaiApiToken) || HasKimaiLogin);

    /// <summary>KIMAI_API_USER and KIMAI_API_PASSWORD are both set.</summary>
    public bool HasKimaiLogin => !string.IsNullOrWhiteSpace(KimaiApiUser) && !string.IsNullOrWhiteSpace(KimaiApiPassword);

    /// <summary>The source of the entries is Kimai 1's change queue.</summary>
    public bool KimaiV1 => KimaiApiVersion == 1;

    public bool Enabled => Configured && Sync == Switch.Enabled;

    public TimeOnly? FullReconcileTime =>
        TimeOnly.TryParseExact(FullReconcile, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;
}

internal sealed class ExternalHoursOptionsValidator : IValidateOptions<ExternalHoursOptions>
{
    public ValidateOptionsResult Validate(string? name, ExternalHoursOptions options)
    {
        var failures = new List<string>();
        foreach (var (setting, value) in new[] { ("KIMAI_URL", options.KimaiUrl), ("CIVICRM_API4_URL", options.CivicrmApi4Url) })
        {
            if (!string.IsNullOrWhiteSpace(value) && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
            {
                failures.Add($"{setting} '{value}' is not an http(s) URL. Example: {setting}={(setting == "KIMAI_URL" ? "https://kimai.example.org" : "https://crm.example.org/civicrm/ajax/api4")}");
            }
        }
        var kimai = !string.IsNullOrWhiteSpace(options.KimaiUrl);
        var civicrm = !string.IsNullOrWhiteSpace(options.CivicrmApi4Url);
        if (options.KimaiApiVersion is not (1 or 2))
        {
            failures.Add($"KIMAI_API_VERSION '{options.KimaiApiVersion}' must be 2 (Kimai 2's REST API) or 1 (Kimai 1 with kimai1_civicrm). Example: KIMAI_API_VERSION=2");
        }
        else if (options.KimaiV1 && !string.IsNullOrWhiteSpace(options.KimaiApiToken))
        {
            failures.Add("KIMAI_API_TOKEN is a Kimai 2 token; with KIMAI_API_VERSION=1 set KIMAI_API_KEY (or KIMAI_API_USER and KIMAI_API_PASSWORD). Example: KIMAI_API_VERSION=1 KIMAI_API_KEY=…");
        }
        else if (!options.KimaiV1 && !string.IsNullOrWhiteSpace(options.KimaiApiKey))
        {
            failures.Add("KIMAI_API_KEY is a Kimai 1 key; with KIMAI_API_VERSION=2 set KIMAI_API_TOKEN. Example: KIMAI_API_VERSION=1 KIMAI_API_KEY=… (Kimai 1), or KIMAI_API_TOKEN=… (Kimai 2)");
        }
        else if (options.KimaiV1 && kimai && string.IsNullOrWhiteSpace(options.KimaiApiKey) && !options.HasKimaiLogin)
        {
            failures.Add("KIMAI_API_VERSION=1 needs KIMAI_API_KEY, or KIMAI_API_USER and KIMAI_API_PASSWORD (authenticate gives the key). Example: KIMAI_API_VERSION=1 KIMAI_API_KEY=…");
        }
        else if (kimai != civicrm || (kimai && !options.Configured))
        {
            failures.Add("External hours need KIMAI_URL with KIMAI_API_TOKEN (or KIMAI_API_USER and KIMAI_API_PASSWORD; for KIMAI_API_VERSION=1 KIMAI_API_KEY), and CIVICRM_API4_URL with CIVICRM_API_KEY, " +
                         "or none of them. Example: KIMAI_URL=https://kimai.example.org KIMAI_API_TOKEN=… CIVICRM_API4_URL=https://crm.example.org/civicrm/ajax/api4 CIVICRM_API_KEY=…");
        }
        if (options.CivicrmTimeZone is { Length: > 0 } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            failures.Add($"CIVICRM_TIMEZONE '{zone}' is not a known IANA time zone. Example: CIVICRM_TIMEZONE=Europe/Berlin");
        }
        if (!string.Equals(options.FullReconcile, "DISABLED", StringComparison.OrdinalIgnoreCase) && options.FullReconcileTime is null)
        {
            failures.Add($"EXTERNAL_HOURS_FULL_RECONCILE '{options.FullReconcile}' must be a time HH:mm or DISABLED. Example: EXTERNAL_HOURS_FULL_RECONCILE=03:00");
        }
        if (options.SyncFrom is { Length: > 0 } from && !DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            failures.Add($"EXTERNAL_HOURS_SYNC_FROM '{from}' is not a date yyyy-MM-dd. Example: EXTERNAL_HOURS_SYNC_FROM=2024-01-01");
        }
        SettingChecks.InRange(failures, "EXTERNAL_HOURS_INTERVAL", options.IntervalMinutes, 1, 1440, 5);
        SettingChecks.InRange(failures, "EXTERNAL_HOURS_OVERLAP", options.OverlapMinutes, 0, 1440, 10);
        SettingChecks.InRange(failures, "EXTERNAL_HOURS_PAGE_SIZE", options.PageSize, 1, 500, 500, " (Kimai's limit)");
        SettingChecks.InRange(failures, "EXTERNAL_HOURS_RECONCILE_DAYS", options.ReconcileDays, 1, 3650, 62);
        SettingChecks.InRange(failures, "EXTERNAL_HOURS_RECONCILE_INTERVAL", options.ReconcileIntervalMinutes, 0, 10080, 60);
        SettingChecks.InRange(failures, "EXTERNAL_HOURS_RETRY_BASE", options.RetryBaseMinutes, 0, 1440, 5);
        SettingChecks.InRange(failures, "EXTERNAL_HOURS_DELETE_GUARD_PERCENT", options.DeleteGuardPercent, 1, 100, 25);
        SettingChecks.InRange(failures, "EXTERNAL_HOURS_DELETE_GUARD_MIN", options.DeleteGuardMinimum, 0, 100000, 20);
        SettingChecks.InRange(failures, "EXTERNAL_HOURS_CONCURRENCY", options.Concurrency, 1, 64, 8);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
