using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Composition;

/// <summary>Every setting the code reads is documented in docs/configuration.md, and every documented one is read.</summary>
public sealed class ConfigurationDocsTests
{
    private static readonly Type[] OptionTypes =
    [
        typeof(Api.Composition.HostingOptions), typeof(Domain.State.StateOptions), typeof(Domain.Patrawin.PatrawinOptions),
        typeof(Domain.WiseTime.WiseTimeOptions), typeof(Domain.Tags.TagOptions), typeof(Domain.PostedTime.PostedTimeOptions),
        typeof(Domain.ActivityTypes.ActivityTypeOptions), typeof(Api.Composition.JobStoreOptions), typeof(Api.Health.HealthOptions),
        typeof(Api.Ops.OpsOptions), typeof(Api.Logging.CloudWatchOptions), typeof(Domain.ExternalHours.ExternalHoursOptions),
    ];

    [Test]
    public void Settings_InCodeAndInDocs_TheSameNames()
    {
        var inCode = OptionTypes.SelectMany(t => t.GetProperties())
            .Select(p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name)
            .OfType<string>()
            .ToList();
        var docs = File.ReadAllText(RepositoryFiles.Path("docs/configuration.md"));
        var documented = Regex.Matches(docs, @"^\| `([A-Z0-9_]+)`(?:, `([A-Z0-9_]+)`)*(?:, `([A-Z0-9_]+)`)?", RegexOptions.Multiline)
            .SelectMany(m => m.Groups.Cast<Group>().Skip(1).SelectMany(g => g.Captures.Select(c => c.Value)))
            .Where(v => v.Length > 0)
            .ToHashSet();

        Assert.That(inCode, Is.Unique, "each setting is read in one place");
        Assert.That(inCode.Where(name => !documented.Contains(name)), Is.Empty, "read but not documented");
        Assert.That(documented.Where(name => !inCode.Contains(name)), Is.Empty, "documented but not read");
    }

    [Test]
    public void ContractSettings_AllRead()
    {
        string[] contract =
        [
            "API_KEY", "WISETIME_API_URL", "CALLER_KEY", "PATRAWIN_JDBC_URL", "PATRAWIN_DB_USER", "PATRAWIN_DB_PASSWORD",
            "PATRAWIN_CONNECTION_STRING", "PATRAWIN_PROVIDER", "DATA_DIR", "TAG_UPSERT_PATH", "TAG_UPSERT_BATCH_SIZE", "TAG_SCAN",
            "ACTIVITY_TYPE_SCAN", "RECEIVE_POSTED_TIME", "ADD_SUMMARY_TO_NARRATIVE", "TIMEZONE", "HEALTH_CHECK_INTERVAL", "LOG_LEVEL",
            "TAG_SYNC_INTERVAL_MIN", "TAG_SYNC_SLOW_LOOP_INTERVAL_MIN", "ACTIVITY_TYPE_SYNC_INTERVAL_MIN", "ACTIVITY_TYPE_BATCH_SIZE",
            "TAG_UPSERT_CONCURRENCY", "LONG_POLL_BATCH_SIZE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION",
            "OPS_USERNAME", "OPS_PASSWORD", "WEBHOOK_PORT",
        ];
        var inCode = OptionTypes.SelectMany(t => t.GetProperties())
            .Select(p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name).OfType<string>().ToHashSet();

        Assert.That(contract.Where(name => !inCode.Contains(name)), Is.Empty);
    }
}
