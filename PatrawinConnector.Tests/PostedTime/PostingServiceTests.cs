using System.Text.Json.Nodes;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.PostedTime;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.PostedTime;

public sealed class PostingServiceTests
{
    private DomainHarness _harness = null!;

    [SetUp]
    public async Task Start() => _harness = await DomainHarness.StartAsync();

    [TearDown]
    public async Task Stop() => await _harness.DisposeAsync();

    [Test]
    public async Task PostAsync_Example_OneRowPerTagAndLedgerSaysPosted()
    {
        var group = Fixtures.Example();

        var outcome = await _harness.PostAsync(group);

        var rows = await _harness.Patrawin.PendingTimeAsync();
        Assert.That(outcome, Is.InstanceOf<PostingOutcome.Posted>());
        Assert.That(rows.Select(r => (r.CaseNumber, r.ClientNumber, r.Minutes)),
            Is.EqualTo(new (string?, string, int)[] { ("P1033SE00", "C10045", 23), (null, "C10045", 23) }));
        var ledger = await _harness.LedgerAsync(group.GroupId!);
        Assert.That(ledger!.Status, Is.EqualTo(PostingStatus.Posted));
        Assert.That(ledger.PendingTimeIds, Is.EqualTo(string.Join(',', rows.Select(r => r.Id))));
        Assert.That((ledger.Tags, ledger.Minutes, ledger.UserName), Is.EqualTo(("P1033SE00, C10045", 23, "jane.smith@example.com")));
    }

    [Test]
    public async Task PostAsync_SameGroupAgain_AlreadyPostedAndNothingWritten()
    {
        var group = Fixtures.Example();
        await _harness.PostAsync(group);

        var second = await _harness.PostAsync(group);

        Assert.That(second, Is.InstanceOf<PostingOutcome.AlreadyPosted>());
        Assert.That(await _harness.Patrawin.PendingTimeAsync(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task PostAsync_SameGroupDeliveredConcurrently_PostedExactlyOnce()
    {
        var group = Fixtures.Example();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _harness.PostAsync(group))));

        Assert.That(outcomes.Count(o => o is PostingOutcome.Posted), Is.EqualTo(1));
        Assert.That(outcomes.Count(o => o is PostingOutcome.AlreadyPosted), Is.EqualTo(7));
        Assert.That(await _harness.Patrawin.PendingTimeAsync(), Has.Count.EqualTo(2));
        Assert.That(_harness.Services.GetService(typeof(GroupLocks)) is GroupLocks { Count: 0 }, Is.True);
    }

    [Test]
    public async Task PostAsync_RejectedEarlier_ProcessedAgainOnRedelivery()
    {
        var json = Fixtures.ExampleJson();
        json["user"]!["externalId"] = "ERI";
        var group = json.ToTimeGroup();
        var first = await _harness.PostAsync(group);
        await _harness.Patrawin.ExecuteAsync("UPDATE BEHORIG_50 SET Isactive = 1 WHERE Username = 'ERI'");

        var second = await _harness.PostAsync(group);

        Assert.That(first, Is.InstanceOf<PostingOutcome.Rejected>());
        Assert.That(second, Is.InstanceOf<PostingOutcome.Posted>());
        Assert.That((await _harness.LedgerAsync(group.GroupId!))!.Attempts, Is.EqualTo(2));
    }

    [TestCase("externalId", "ERI", "User ERI is not an active Patrawin user")]
    [TestCase("externalId", "XYZ", "User XYZ does not exist in Patrawin")]
    [TestCase("code", "199", "Activity code 199 is not active in Patrawin")]
    [TestCase("code", "777", "invalid activity code: 777 does not exist")]
    [TestCase("tag", "C10050", "The client of C10050 is blocked in Patrawin")]
    [TestCase("tag", "P8000SE00", "Time cannot be posted to P8000SE00: in Patrawin it has no billing client")]
    public async Task PostAsync_ProcedureRefuses_RejectedWithReasonAndNothingWritten(string field, string value, string expected)
    {
        var json = Fixtures.ExampleJson();
        switch (field)
        {
            case "externalId":
                json["user"]!["externalId"] = value;
                break;
            case "code":
                json["activityType"]!["code"] = value;
                break;
            default:
                json["tags"] = new JsonArray(new JsonObject { ["name"] = "P1033SE00", ["path"] = "/Patrawin/" }, new JsonObject { ["name"] = value, ["path"] = "/Patrawin/" });
                break;
        }
        var group = json.ToTimeGroup();

        var outcome = await _harness.PostAsync(group);

        Assert.That(outcome, Is.InstanceOf<PostingOutcome.Rejected>());
        Assert.That(outcome.Message, Does.Contain(expected));
        Assert.That(await _harness.Patrawin.PendingTimeAsync(), Is.Empty);
        Assert.That(_harness.WiseTime.DeletedTags, Is.Empty);
        var ledger = await _harness.LedgerAsync(group.GroupId!);
        Assert.That((ledger!.Status, ledger.Message), Is.EqualTo((PostingStatus.Rejected, outcome.Message)));
    }

    [Test]
    public async Task PostAsync_TagWhoseCaseIsGone_TagDeletedInWiseTimeAndNothingPosted()
    {
        var group = Fixtures.Example() with
        {
            Tags = [new() { Name = "P1033SE00", Path = "/Patrawin/" }, new() { Name = "P0000XX00", Path = "/Patrawin/" }],
        };

        var outcome = await _harness.PostAsync(group);

        Assert.That(outcome, Is.InstanceOf<PostingOutcome.Rejected>());
        Assert.That(outcome.Message, Does.Contain("not found for tags: P0000XX00").And.Contain("removed from WiseTime"));
        Assert.That(_harness.WiseTime.DeletedTags, Is.EqualTo(new[] { "P0000XX00" }));
        Assert.That(await _harness.Patrawin.PendingTimeAsync(), Is.Empty);
    }

    [TestCase(WiseTimeErrorCategory.Transient)]
    [TestCase(WiseTimeErrorCategory.Auth)]
    [TestCase(WiseTimeErrorCategory.Permanent)]
    public async Task PostAsync_DeletingGoneTagFails_FailedSoWiseTimeRetries(WiseTimeErrorCategory category)
    {
        _harness.WiseTime.FailWith = new WiseTimeApiException(category, "WiseTime said no");
        var group = Fixtures.Example() with { Tags = [new() { Name = "P0000XX00", Path = "/Patrawin/" }] };

        var outcome = await _harness.PostAsync(group);

        Assert.That(outcome, Is.InstanceOf<PostingOutcome.Failed>());
        Assert.That((await _harness.LedgerAsync(group.GroupId!))!.Status, Is.EqualTo(PostingStatus.Failed));
    }

    [Test]
    public async Task PostAsync_OnlyForeignTags_PostedNothingAndLedgerSaysSo()
    {
        var group = Fixtures.Example() with { Tags = [new() { Name = "Holiday", Path = "/Personal/" }] };

        var outcome = await _harness.PostAsync(group);

        Assert.That(outcome, Is.InstanceOf<PostingOutcome.Posted>());
        Assert.That(((PostingOutcome.Posted)outcome).PendingTimeIds, Is.Empty);
        Assert.That((await _harness.LedgerAsync(group.GroupId!))!.Status, Is.EqualTo(PostingStatus.NothingToPost));
        Assert.That(await _harness.Patrawin.PendingTimeAsync(), Is.Empty);
    }
}

public sealed class PostingServiceFaultTests
{
    [Test]
    public async Task PostAsync_PatrawinTimesOut_FailedThenPostedOnRedelivery()
    {
        var poster = new FlakyPoster();
        await using var harness = await DomainHarness.StartAsync(inner => poster.Wrap(inner));
        var group = Fixtures.Example();
        poster.Fault = FlakyPoster.Mode.ThrowBeforePosting;

        var first = await harness.PostAsync(group);
        var rowsAfterFirst = await harness.Patrawin.PendingTimeAsync();
        poster.Fault = FlakyPoster.Mode.None;
        var second = await harness.PostAsync(group);

        Assert.That(first, Is.InstanceOf<PostingOutcome.Failed>());
        Assert.That(first.Message, Does.Contain("error posting time to the Patrawin database"));
        Assert.That(rowsAfterFirst, Is.Empty);
        Assert.That(second, Is.InstanceOf<PostingOutcome.Posted>());
        Assert.That(await harness.Patrawin.PendingTimeAsync(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task PostAsync_CommitSucceededButAnswerLost_RedeliveryRecognisesRowsAndPostsNothing()
    {
        var poster = new FlakyPoster { Fault = FlakyPoster.Mode.ThrowAfterPosting };
        await using var harness = await DomainHarness.StartAsync(inner => poster.Wrap(inner));
        var group = Fixtures.Example();

        var first = await harness.PostAsync(group);
        poster.Fault = FlakyPoster.Mode.None;
        var second = await harness.PostAsync(group);

        Assert.That(first, Is.InstanceOf<PostingOutcome.Failed>());
        Assert.That(second, Is.InstanceOf<PostingOutcome.AlreadyPosted>());
        Assert.That(await harness.Patrawin.PendingTimeAsync(), Has.Count.EqualTo(2));
        Assert.That((await harness.LedgerAsync(group.GroupId!))!.Status, Is.EqualTo(PostingStatus.Posted));
    }

    [Test]
    public async Task PostAsync_CrashedMidAttempt_RedeliveryRecognisesRows()
    {
        var poster = new FlakyPoster { Fault = FlakyPoster.Mode.CrashAfterPosting };
        await using var harness = await DomainHarness.StartAsync(inner => poster.Wrap(inner));
        var group = Fixtures.Example();

        Assert.That(async () => await harness.PostAsync(group), Throws.InstanceOf<InvalidProgramException>());
        var ledgerAfterCrash = await harness.LedgerAsync(group.GroupId!);
        poster.Fault = FlakyPoster.Mode.None;
        var second = await harness.PostAsync(group);

        Assert.That(ledgerAfterCrash!.Status, Is.EqualTo(PostingStatus.InProgress));
        Assert.That(second, Is.InstanceOf<PostingOutcome.AlreadyPosted>());
        Assert.That(await harness.Patrawin.PendingTimeAsync(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task PostAsync_FailedEarlierWhileColleagueHasIdenticalRow_PostsOwnRow()
    {
        var poster = new FlakyPoster();
        await using var harness = await DomainHarness.StartAsync(inner => poster.Wrap(inner));
        var colleague = Fixtures.ExampleJson();
        colleague["user"]!["externalId"] = "AKL";
        await harness.PostAsync(colleague.ToTimeGroup());
        var mine = Fixtures.Example();
        poster.Fault = FlakyPoster.Mode.ThrowBeforePosting;
        await harness.PostAsync(mine);
        poster.Fault = FlakyPoster.Mode.None;

        var retry = await harness.PostAsync(mine);

        Assert.That(retry, Is.InstanceOf<PostingOutcome.Posted>());
        Assert.That((await harness.Patrawin.PendingTimeAsync()).Select(r => r.UserId), Is.EquivalentTo(new[] { 2, 2, 1, 1 }));
    }

    [Test]
    public async Task PostAsync_FailedEarlierWhileOwnIdenticalGroupWasPosted_PostsAgain()
    {
        var poster = new FlakyPoster();
        await using var harness = await DomainHarness.StartAsync(inner => poster.Wrap(inner));
        var first = Fixtures.Example();
        var identical = first with { GroupId = Guid.NewGuid().ToString() };
        await harness.PostAsync(first);
        poster.Fault = FlakyPoster.Mode.ThrowBeforePosting;
        await harness.PostAsync(identical);
        poster.Fault = FlakyPoster.Mode.None;

        var retry = await harness.PostAsync(identical);

        Assert.That(retry, Is.InstanceOf<PostingOutcome.Posted>());
        Assert.That(await harness.Patrawin.PendingTimeAsync(), Has.Count.EqualTo(4));
    }
}
