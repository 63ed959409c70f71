using System.Text.Json.Nodes;
using PatrawinConnector.Domain.PostedTime;
using PatrawinConnector.Domain.WiseTime.Contracts;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.PostedTime;

public sealed class PostingPlannerTests
{
    private const string Path = "/Patrawin/";

    [Test]
    public void TryPlan_Example_PlansBothTagsWithWeightedTimeAndEarliestStart()
    {
        var group = Fixtures.Example();

        var planned = PostingPlanner.TryPlan(group, Path, addSummary: false, out var plan, out _);

        Assert.That(planned, Is.True);
        Assert.That(plan!.Tags, Is.EqualTo(new[] { "P1033SE00", "C10045" }));
        Assert.That(plan.Author, Is.EqualTo("JSM"));
        Assert.That(plan.ActivityCode, Is.EqualTo(120));
        Assert.That(plan.StartTime, Is.EqualTo(new DateTimeOffset(2024, 3, 14, 6, 10, 0, TimeSpan.Zero)));
        Assert.That(plan.WorkedSeconds, Is.EqualTo(2796));
        Assert.That(plan.ChargeableSeconds, Is.EqualTo(1398));
        Assert.That(plan.Minutes, Is.EqualTo(23));
    }

    [TestCase("/Patrawin/")]
    [TestCase("Patrawin")]
    public void TryPlan_PathWithOrWithoutSlashes_TagIsRelevant(string path)
    {
        var group = WithTags(new Tag { Name = "P1033SE00", Path = path });

        Assert.That(PostingPlanner.TryPlan(group, Path, false, out var plan, out _), Is.True);
        Assert.That(plan!.Tags, Is.EqualTo(new[] { "P1033SE00" }));
    }

    [TestCase(null)]
    [TestCase("/patrawin/")]
    [TestCase("/Other/")]
    [TestCase("/Patrawin/Sub/")]
    public void TryPlan_OnlyForeignTags_NothingToPost(string? path)
    {
        var group = WithTags(new Tag { Name = "P1033SE00", Path = path });

        Assert.That(PostingPlanner.TryPlan(group, Path, false, out _, out var refusal), Is.False);
        Assert.That(refusal!.NothingToPost, Is.True);
        Assert.That(refusal.Reason, Does.Contain("nothing to post"));
    }

    [Test]
    public void TryPlan_ForeignTagBesideOurs_OnlyOursPlanned()
    {
        var group = WithTags(new Tag { Name = "Personal", Path = "/" }, new Tag { Name = "C10045", Path = Path });

        PostingPlanner.TryPlan(group, Path, false, out var plan, out _);

        Assert.That(plan!.Tags, Is.EqualTo(new[] { "C10045" }));
    }

    [Test]
    public void TryPlan_SameTagTwice_PlannedOnce()
    {
        var group = WithTags(new Tag { Name = "C10045", Path = Path }, new Tag { Name = "C10045", Path = "Patrawin" });

        PostingPlanner.TryPlan(group, Path, false, out var plan, out _);

        Assert.That(plan!.Tags, Is.EqualTo(new[] { "C10045" }));
    }

    [Test]
    public void TryPlan_EmptyTagList_RejectedWithReason()
    {
        var group = WithTags();

        Assert.That(PostingPlanner.TryPlan(group, Path, false, out _, out var refusal), Is.False);
        Assert.That(refusal!.NothingToPost, Is.False);
        Assert.That(refusal.Reason, Does.Contain("no tags"));
    }

    [Test]
    public void TryPlan_GroupActivityType_PreferredOverRowCodes()
    {
        var json = Fixtures.ExampleJson();
        json["activityType"] = new JsonObject { ["code"] = "130" };

        PostingPlanner.TryPlan(json.ToTimeGroup(), Path, false, out var plan, out _);

        Assert.That(plan!.ActivityCode, Is.EqualTo(130));
    }

    [Test]
    public void TryPlan_NoGroupActivityTypeAndOneRowCode_UsesRowCode()
    {
        var json = Fixtures.ExampleJson();
        json.Remove("activityType");

        PostingPlanner.TryPlan(json.ToTimeGroup(), Path, false, out var plan, out _);

        Assert.That(plan!.ActivityCode, Is.EqualTo(120));
    }

    [TestCase("120", "130", "different activity codes")]
    [TestCase("120", null, "different activity codes")]
    [TestCase(null, null, "no activity code")]
    [TestCase("abc", "abc", "not a Patrawin activity code")]
    public void TryPlan_RowCodesWithoutGroupCode_RejectedUnlessExactlyOneNumber(string? first, string? other, string expected)
    {
        var json = Fixtures.ExampleJson();
        json.Remove("activityType");
        var rows = json["timeRows"]!.AsArray();
        rows[0]!["activityTypeCode"] = first;
        rows[1]!["activityTypeCode"] = other;
        rows[2]!["activityTypeCode"] = other;

        Assert.That(PostingPlanner.TryPlan(json.ToTimeGroup(), Path, false, out _, out var refusal), Is.False);
        Assert.That(refusal!.Reason, Does.Contain(expected));
    }

    [Test]
    public void TryPlan_NoExternalId_AuthorIsEmail()
    {
        var json = Fixtures.ExampleJson();
        json["user"]!["externalId"] = "  ";

        PostingPlanner.TryPlan(json.ToTimeGroup(), Path, false, out var plan, out _);

        Assert.That(plan!.Author, Is.EqualTo("jane.smith@example.com"));
    }

    [Test]
    public void TryPlan_NoRowsButLocalDate_StartsAtLocalNoon()
    {
        var json = Fixtures.ExampleJson();
        json["timeRows"] = new JsonArray();

        PostingPlanner.TryPlan(json.ToTimeGroup(), Path, false, out var plan, out _);

        Assert.That(plan!.StartTime, Is.EqualTo(new DateTimeOffset(2024, 3, 14, 11, 0, 0, TimeSpan.Zero)));
        Assert.That(plan.WorkedSeconds, Is.Zero);
    }

    [Test]
    public void TryPlan_NoRowsAndNoLocalDate_Rejected()
    {
        var json = Fixtures.ExampleJson();
        json.Remove("timeRows");
        json.Remove("localDate");

        Assert.That(PostingPlanner.TryPlan(json.ToTimeGroup(), Path, false, out _, out var refusal), Is.False);
        Assert.That(refusal!.Reason, Does.Contain("no time rows"));
    }

    [TestCase("groupId", null, "no groupId")]
    [TestCase("groupId", " ", "no groupId")]
    [TestCase("user", null, "no user")]
    [TestCase("tags", null, "no tags")]
    [TestCase("totalDurationSecs", null, "no totalDurationSecs")]
    [TestCase("totalDurationSecs", -5, "negative total")]
    public void TryPlan_MissingOrInvalidField_RejectedNamingIt(string field, object? value, string expected)
    {
        var json = Fixtures.ExampleJson();
        json[field] = value is null ? null : JsonValue.Create(value);

        Assert.That(PostingPlanner.TryPlan(json.ToTimeGroup(), Path, false, out _, out var refusal), Is.False);
        Assert.That(refusal!.Reason, Does.Contain(expected));
    }

    [TestCase("activityHour", 2024133106, "not a yyyyMMddHH hour")]
    [TestCase("activityHour", null, "no activityHour")]
    [TestCase("firstObservedInHour", 60, "outside 0–59")]
    [TestCase("durationSecs", -1, "negative duration")]
    [TestCase("durationSecs", null, "no durationSecs")]
    public void TryPlan_BrokenTimeRow_RejectedNamingTheRow(string field, int? value, string expected)
    {
        var json = Fixtures.ExampleJson();
        json["timeRows"]![1]![field] = value;

        Assert.That(PostingPlanner.TryPlan(json.ToTimeGroup(), Path, false, out _, out var refusal), Is.False);
        Assert.That(refusal!.Reason, Does.Contain("time row 2").And.Contain(expected));
    }

    [Test]
    public void TryPlan_UserWithoutExternalIdOrEmail_Rejected()
    {
        var json = Fixtures.ExampleJson();
        json["user"] = new JsonObject { ["name"] = "Nobody" };

        Assert.That(PostingPlanner.TryPlan(json.ToTimeGroup(), Path, false, out _, out var refusal), Is.False);
        Assert.That(refusal!.Reason, Does.Contain("neither an external id nor an e-mail"));
    }

    private static TimeGroup WithTags(params Tag[] tags) => Fixtures.Example() with { Tags = tags };
}
