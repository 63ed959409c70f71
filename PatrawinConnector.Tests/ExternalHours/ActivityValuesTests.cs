using System.Text.Json;
using PatrawinConnector.Domain.ExternalHours;

namespace PatrawinConnector.Tests.ExternalHours;

/// <summary>Kimai entry → CiviCRM activity, with the examples of external-hours.md section f.</summary>
public sealed class ActivityValuesTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [TestCase(5400, 90)]
    [TestCase(89, 1)]
    [TestCase(90, 2)]
    [TestCase(150, 3)]
    [TestCase(29, 0)]
    [TestCase(2730, 46)]
    [TestCase(0, 0)]
    public void Minutes_Seconds_RoundedHalfAwayFromZero(long seconds, long minutes) =>
        Assert.That(ActivityValues.Minutes(seconds), Is.EqualTo(minutes));

    [TestCase("2024-05-14T09:00:00+0200", "2024-05-14 09:00:00")]
    [TestCase("2024-05-13T08:00:00+0000", "2024-05-13 10:00:00")]
    [TestCase("2024-01-15T09:00:00-0500", "2024-01-15 15:00:00")]
    [TestCase("2024-01-15T09:00:00+01:00", "2024-01-15 09:00:00")]
    public void From_Begin_InTheCiviCrmZoneWithoutOffset(string begin, string expected)
    {
        var entry = Entry($$"""{"id": 1, "begin": "{{begin}}", "end": "{{begin}}", "duration": 60}""");

        Assert.That(ActivityValues.From(entry, 202, 58, Berlin).ActivityDateTime, Is.EqualTo(expected));
    }

    [Test]
    public void From_EntryOverMidnight_OneActivityOnItsStartDay()
    {
        var entry = Entry("""{"id": 7, "begin": "2024-05-13T23:30:00+0200", "end": "2024-05-14T01:15:00+0200", "duration": 6300}""");

        var values = ActivityValues.From(entry, 202, 58, Berlin);

        Assert.That((values.ActivityDateTime, values.DurationMinutes), Is.EqualTo(("2024-05-13 23:30:00", 105L)));
    }

    [Test]
    public void From_EntryOverDaylightSavingChange_KimaisDurationNotTheWallClock()
    {
        var entry = Entry("""{"id": 8, "begin": "2024-03-31T01:30:00+0100", "end": "2024-03-31T03:30:00+0200", "duration": 3600}""");

        Assert.That(ActivityValues.From(entry, 202, 58, Berlin).DurationMinutes, Is.EqualTo(60));
    }

    [Test]
    public void From_NoDuration_EndMinusBeginMinusBreak()
    {
        var entry = Entry("""{"id": 9, "begin": "2024-05-14T09:00:00+0200", "end": "2024-05-14T11:00:00+0200", "duration": null, "break": 1800}""");

        Assert.That(ActivityValues.From(entry, 202, 58, Berlin).DurationMinutes, Is.EqualTo(90));
    }

    [Test]
    public void From_Description_EscapedHtmlWithLineBreaks()
    {
        var entry = Entry("""{"id": 10, "begin": "2024-05-14T09:00:00+0200", "end": "2024-05-14T10:00:00+0200", "duration": 3600, "description": "Patched web01 <prod> & db01\nRebooted \"all\"\r\ndone"}""");

        Assert.That(ActivityValues.From(entry, 202, 58, Berlin).Details,
            Is.EqualTo("Patched web01 &lt;prod&gt; &amp; db01<br />Rebooted &quot;all&quot;<br />done"));
    }

    [Test]
    public void From_Entry_SubjectStatusAndContacts()
    {
        var values = ActivityValues.From(Entry("""{"id": 5001, "begin": "2024-05-14T09:00:00+0200", "end": null, "duration": 0}"""), 202, 58, Berlin);

        Assert.That(values, Is.EqualTo(values with { Subject = "Kimai timesheet #5001", Status = "Completed", SourceContactId = 202, ActivityTypeId = 58 }));
        Assert.That(values.TargetContactIds, Is.EqualTo(new[] { 202 }));
        Assert.That(values.Details, Is.Empty);
    }

    [Test]
    public void Fingerprint_MappingOrDescriptionChanges_Differs()
    {
        var entry = Entry("""{"id": 11, "begin": "2024-05-14T09:00:00+0200", "end": "2024-05-14T10:00:00+0200", "duration": 3600, "description": "a"}""");
        var original = ActivityValues.From(entry, 202, 58, Berlin);

        Assert.That(ActivityValues.From(entry, 202, 58, Berlin).Fingerprint, Is.EqualTo(original.Fingerprint));
        Assert.That(ActivityValues.From(entry, 203, 58, Berlin).Fingerprint, Is.Not.EqualTo(original.Fingerprint));
        Assert.That(ActivityValues.From(entry with { Description = "b" }, 202, 58, Berlin).Fingerprint, Is.Not.EqualTo(original.Fingerprint));
    }

    [Test]
    public void Timesheet_RunningTimer_RecognisedAndCollectionExampleParsed()
    {
        var running = Entry("""{"id": 12, "begin": "2024-05-14T09:00:00+0200", "end": null, "duration": 0}""");
        var example = Entry("""
            {"id": 5001, "begin": "2024-05-14T09:00:00+0200", "end": "2024-05-14T10:30:00+0200", "duration": 5400, "break": 0,
             "description": "Quarterly server patching", "rate": 150.0, "internalRate": 100.0, "exported": false, "billable": true,
             "tags": ["maintenance"], "metaFields": [{"name": "ticket", "value": "T-88"}], "activity": 7, "project": 3, "user": 2}
            """);

        Assert.That(running.IsRunning, Is.True);
        Assert.That((example.Project, example.Activity, example.NetSeconds, example.End!.Value.Offset), Is.EqualTo(((int?)3, (int?)7, 5400L, TimeSpan.FromHours(2))));
    }

    private static KimaiTimesheet Entry(string json) => JsonSerializer.Deserialize<KimaiTimesheet>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
}
