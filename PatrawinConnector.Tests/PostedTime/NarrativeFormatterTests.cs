using PatrawinConnector.Domain.PostedTime;
using PatrawinConnector.Domain.WiseTime.Contracts;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.PostedTime;

public sealed class NarrativeFormatterTests
{
    private const string ExampleWithoutSummary =
        "Drafted response to office action\r\n\r\n07:00 - 07:59\r\n- 30m - Microsoft Word - Office action response v2.docx\r\n" +
        "- 5m 30s - Outlook - RE: P1033SE00 deadline\r\n\r\n09:00 - 09:59\r\n- 11m 6s - Manual Time - Phone call with client";

    [Test]
    public void Format_SpecificationExample_ExactText()
    {
        var group = Fixtures.Example();

        var text = NarrativeFormatter.Format(group, group.TimeRows!, addSummary: false);

        Assert.That(text, Is.EqualTo(ExampleWithoutSummary));
    }

    [Test]
    public void Format_WithSummary_AppendsWeightedTotals()
    {
        var group = Fixtures.Example();

        var text = NarrativeFormatter.Format(group, group.TimeRows!, addSummary: true);

        Assert.That(text, Is.EqualTo(ExampleWithoutSummary +
            "\r\n\r\nTotal Worked Time: 46m 36s\r\nTotal Chargeable Time: 23m 18s\r\n\r\n" +
            "The chargeable time has been weighed based on an experience factor of 50%."));
    }

    [Test]
    public void Format_EditedTotalWithSummary_ShowsTotalUnweightedWithoutWeightingSentence()
    {
        var group = Group(40, 1200, Row(2024031409, 0, 60), Row(2024031409, 5, 480)) with { Description = "" };

        var text = NarrativeFormatter.Format(group, group.TimeRows!, addSummary: true);

        Assert.That(text, Does.EndWith("Total Worked Time: 9m\r\nTotal Chargeable Time: 20m"));
        Assert.That(text, Does.Not.Contain("weighed"));
    }

    [Test]
    public void Format_NullWeightingWithSummary_TreatedAsHundredPercent()
    {
        var group = Group(null, 540, Row(2024031409, 0, 60), Row(2024031409, 5, 480));

        var text = NarrativeFormatter.Format(group, group.TimeRows!, addSummary: true);

        Assert.That(text, Does.EndWith("Total Worked Time: 9m\r\nTotal Chargeable Time: 9m"));
    }

    [Test]
    public void Format_SummaryRoundsHalfUp_AsDocumented()
    {
        var group = Group(33, 1001, Row(2024031409, 0, 1001));

        var text = NarrativeFormatter.Format(group, group.TimeRows!, addSummary: true);

        Assert.That(text, Does.Contain("Total Chargeable Time: 5m 30s\r\n"));
    }

    [Test]
    public void Format_NarrativeOnly_DescriptionAlone()
    {
        var group = Fixtures.Example() with { NarrativeType = NarrativeTypes.NarrativeOnly };

        var text = NarrativeFormatter.Format(group, group.TimeRows!, addSummary: false);

        Assert.That(text, Is.EqualTo("Drafted response to office action"));
    }

    [Test]
    public void Format_NarrativeOnlyWithoutDescription_Empty()
    {
        var group = Fixtures.Example() with { NarrativeType = NarrativeTypes.NarrativeOnly, Description = null };

        Assert.That(NarrativeFormatter.Format(group, group.TimeRows!, addSummary: false), Is.Empty);
    }

    [Test]
    public void Format_MissingNarrativeType_ListsRows()
    {
        var group = Fixtures.Example() with { NarrativeType = null };

        Assert.That(NarrativeFormatter.Format(group, group.TimeRows!, addSummary: false), Is.EqualTo(ExampleWithoutSummary));
    }

    [Test]
    public void Format_EmptyDescription_StartsAtFirstHourHeader()
    {
        var group = Fixtures.Example() with { Description = "" };

        Assert.That(NarrativeFormatter.Format(group, group.TimeRows!, addSummary: false), Does.StartWith("07:00 - 07:59\r\n- 30m"));
    }

    [Test]
    public void Format_RowWithoutTitleOrWithMarkers_UsesPlaceholderAndStripsMarkers()
    {
        var group = Group(100, 120,
            Row(2024031409, 0, 60) with { Activity = "@_Manual Time_@", Description = null },
            Row(2024031409, 1, 60) with { Activity = "Word", Description = "" });

        var text = NarrativeFormatter.Format(group, group.TimeRows!, addSummary: false);

        Assert.That(text, Is.EqualTo("Work\r\n\r\n09:00 - 09:59\r\n- 1m - Manual Time - No window title available\r\n- 1m - Word -"));
    }

    [Test]
    public void Format_MissingRowOffset_UsesGroupOffsetElseUtc()
    {
        var withGroupOffset = Group(100, 60, Row(2024031409, 0, 60) with { TimezoneOffsetMin = null }) with { TzOffsetMins = 330 };
        var withoutAnyOffset = withGroupOffset with { TzOffsetMins = null };

        Assert.That(NarrativeFormatter.Format(withGroupOffset, withGroupOffset.TimeRows!, false), Does.Contain("14:00 - 14:59"));
        Assert.That(NarrativeFormatter.Format(withoutAnyOffset, withoutAnyOffset.TimeRows!, false), Does.Contain("09:00 - 09:59"));
    }

    [Test]
    public void Format_RowsAcrossMidnight_BlocksOrderedByHourOfDay()
    {
        var group = Group(100, 120, Row(2024031423, 30, 60), Row(2024031500, 10, 60));

        var text = NarrativeFormatter.Format(group, group.TimeRows!, addSummary: false);

        var midnight = text.IndexOf("00:00 - 00:59", StringComparison.Ordinal);
        var lateEvening = text.IndexOf("23:00 - 23:59", StringComparison.Ordinal);
        Assert.That(midnight, Is.GreaterThanOrEqualTo(0));
        Assert.That(lateEvening, Is.GreaterThan(midnight));
    }

    [Test]
    public void Format_AnyInput_OnlyCrlfLineBreaks()
    {
        var group = Fixtures.Example() with { Description = "Line one\nLine two\r\nLine three\rend" };

        var text = NarrativeFormatter.Format(group, group.TimeRows!, addSummary: true);

        Assert.That(text.Replace("\r\n", "", StringComparison.Ordinal), Does.Not.Contain('\r').And.Not.Contain('\n'));
        Assert.That(text, Does.StartWith("Line one\r\nLine two\r\nLine three\r\nend\r\n\r\n07:00"));
    }

    private static TimeRow Row(int hour, int minute, long seconds) => new()
    {
        Activity = "Activity",
        Description = "Title",
        ActivityHour = hour,
        FirstObservedInHour = minute,
        DurationSecs = seconds,
        TimezoneOffsetMin = 0,
    };

    private static TimeGroup Group(int? weighting, long total, params TimeRow[] rows) => new()
    {
        GroupId = "g",
        Description = "Work",
        NarrativeType = NarrativeTypes.NarrativeAndTimeRowActivityDescriptions,
        TotalDurationSecs = total,
        User = new User { ExternalId = "JSM", ExperienceWeightingPercent = weighting },
        Tags = [new Tag { Name = "P1033SE00", Path = "/Patrawin/" }],
        TimeRows = rows,
    };
}
