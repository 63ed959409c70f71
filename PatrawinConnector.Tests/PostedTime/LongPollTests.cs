using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PatrawinConnector.Domain.PostedTime;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Domain.WiseTime.Contracts;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.PostedTime;

/// <summary>Long polling against a stand-in of WiseTime's posted time endpoints, with faults between each step.</summary>
public sealed class LongPollTests
{
    private DomainHarness _harness = null!;
    private PostedTimeFetcher _fetcher = null!;

    [SetUp]
    public async Task Start()
    {
        _harness = await DomainHarness.StartAsync();
        _fetcher = _harness.Services.GetRequiredService<PostedTimeFetcher>();
    }

    [TearDown]
    public async Task Stop() => await _harness.DisposeAsync();

    [Test]
    public async Task RunCycle_FetchedGroup_PostedOnceAndSuccessReportedWithRowIds()
    {
        var group = Fixtures.Example() with { CallerKey = null };
        _harness.WiseTime.Fetches.Enqueue([group]);

        var fetched = await _fetcher.RunCycleAsync(CancellationToken.None);

        var rows = await _harness.Patrawin.PendingTimeAsync();
        Assert.That(fetched, Is.EqualTo(1));
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(_harness.WiseTime.Statuses, Is.EqualTo(new[]
        {
            new TimeGroupStatus(group.GroupId!, TimeGroupStatuses.Success, null, string.Join(',', rows.Select(r => r.Id))),
        }));
        Assert.That((await _harness.LedgerAsync(group.GroupId!))!.StatusReportedAt, Is.Not.Null);
    }

    [Test]
    public async Task RunCycle_RejectedGroups_FailureWithTheUsersReason()
    {
        var unknownUser = Fixtures.ExampleJson();
        unknownUser["user"]!["externalId"] = "NOBODY";
        var noTags = Fixtures.Example() with { Tags = [] };
        _harness.WiseTime.Fetches.Enqueue([unknownUser.ToTimeGroup(), noTags]);

        await _fetcher.RunCycleAsync(CancellationToken.None);

        var statuses = _harness.WiseTime.Statuses.ToList();
        Assert.That(statuses.Select(s => s.Status), Is.EqualTo(new[] { TimeGroupStatuses.Failure, TimeGroupStatuses.Failure }));
        Assert.That(statuses[0].Message, Does.Contain("User NOBODY does not exist in Patrawin"));
        Assert.That(statuses[1].Message, Does.Contain("has no tags"));
    }

    [Test]
    public async Task RunCycle_SameGroupFetchedAgain_NotPostedTwiceAndSuccessAgain()
    {
        var group = Fixtures.Example();
        _harness.WiseTime.Fetches.Enqueue([group]);
        _harness.WiseTime.Fetches.Enqueue([group]);

        await _fetcher.RunCycleAsync(CancellationToken.None);
        await _fetcher.RunCycleAsync(CancellationToken.None);

        Assert.That(await _harness.Patrawin.PendingTimeAsync(), Has.Count.EqualTo(2));
        Assert.That(_harness.WiseTime.Statuses.Select(s => s.Status), Is.EqualTo(new[] { TimeGroupStatuses.Success, TimeGroupStatuses.Success }));
    }

    [Test]
    public async Task RunCycle_StatusUpdateFails_ReportedFromTheLedgerBeforeTheNextFetch()
    {
        var group = Fixtures.Example();
        _harness.WiseTime.Fetches.Enqueue([group]);
        _harness.WiseTime.BeforeCall = op => op == "postedtime/status"
            ? throw new WiseTimeApiException(WiseTimeErrorCategory.Transient, "503")
            : Task.CompletedTask;
        await _fetcher.RunCycleAsync(CancellationToken.None);
        var owed = (await _harness.LedgerAsync(group.GroupId!))!.StatusReportedAt;
        _harness.WiseTime.BeforeCall = null;
        _harness.WiseTime.Calls.Clear();

        await _fetcher.RunCycleAsync(CancellationToken.None);

        Assert.That(owed, Is.Null);
        Assert.That(_harness.WiseTime.Calls.Take(2), Is.EqualTo(new[] { "postedtime/status", "postedtime" }));
        Assert.That(_harness.WiseTime.Statuses.Single().Status, Is.EqualTo(TimeGroupStatuses.Success));
        Assert.That(await _harness.Patrawin.PendingTimeAsync(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task RunCycle_WiseTimeRefusesAStatusForGood_GivenUpSoOthersAreNotBlocked()
    {
        var group = Fixtures.Example();
        _harness.WiseTime.Fetches.Enqueue([group]);
        _harness.WiseTime.BeforeCall = op => op == "postedtime/status"
            ? throw new WiseTimeApiException(WiseTimeErrorCategory.Permanent, "WiseTime answered 400 to postedtime/status")
            : Task.CompletedTask;

        await _fetcher.RunCycleAsync(CancellationToken.None);

        Assert.That((await _harness.LedgerAsync(group.GroupId!))!.StatusReportedAt, Is.Not.Null);
    }

    [Test]
    public async Task RunCycle_FetchFails_NothingPostedAndTheErrorSurfaces()
    {
        _harness.WiseTime.BeforeCall = op => op == "postedtime"
            ? throw new WiseTimeApiException(WiseTimeErrorCategory.Transient, "WiseTime could not be reached")
            : Task.CompletedTask;

        Assert.That(() => _fetcher.RunCycleAsync(CancellationToken.None), Throws.InstanceOf<WiseTimeApiException>());
        Assert.That(await _harness.Patrawin.PendingTimeAsync(), Is.Empty);
    }

    [Test]
    public async Task RunCycle_StoppingDuringABatch_FinishesTheCurrentGroupAndLeavesTheRest()
    {
        using var stopping = new CancellationTokenSource();
        var first = Fixtures.Example();
        var second = Fixtures.Example();
        _harness.WiseTime.Fetches.Enqueue([first, second]);
        _harness.WiseTime.BeforeCall = async op =>
        {
            if (op == "postedtime/status")
            {
                await stopping.CancelAsync();   // shutdown arrives while the first group's outcome is reported
            }
        };

        await _fetcher.RunCycleAsync(stopping.Token);

        Assert.That(_harness.WiseTime.Statuses.Select(s => s.TimeGroupId), Is.EqualTo(new[] { first.GroupId }));
        Assert.That(await _harness.LedgerAsync(second.GroupId!), Is.Null, "left for WiseTime to offer again");
    }

    [Test]
    public async Task RunCycle_CrashedBetweenPostAndStatus_RedeliveryGetsSuccessWithoutPosting()
    {
        var group = Fixtures.Example();
        await _harness.PostAsync(group);   // the post committed, then the process died before the status

        _harness.WiseTime.Fetches.Enqueue([group]);
        await _fetcher.RunCycleAsync(CancellationToken.None);

        Assert.That(await _harness.Patrawin.PendingTimeAsync(), Has.Count.EqualTo(2));
        Assert.That(_harness.WiseTime.Statuses.Single().Status, Is.EqualTo(TimeGroupStatuses.Success));
    }

    [Test]
    public async Task RunCycle_PatrawinDown_RetriableFailureThenSuccessWhenOfferedAgain()
    {
        var down = true;
        await using var harness = await DomainHarness.StartAsync(inner => new SwitchablePoster(inner, () => down));
        var fetcher = harness.Services.GetRequiredService<PostedTimeFetcher>();
        var group = Fixtures.Example();
        harness.WiseTime.Fetches.Enqueue([group]);
        harness.WiseTime.Fetches.Enqueue([group]);

        await fetcher.RunCycleAsync(CancellationToken.None);
        down = false;
        await fetcher.RunCycleAsync(CancellationToken.None);

        Assert.That(harness.WiseTime.Statuses.Select(s => s.Status), Is.EqualTo(new[] { TimeGroupStatuses.RetriableFailure, TimeGroupStatuses.Success }));
        Assert.That(harness.WiseTime.Statuses.First().Message, Does.Contain("error posting time to the Patrawin database"));
        Assert.That(await harness.Patrawin.PendingTimeAsync(), Has.Count.EqualTo(2));
    }

    private sealed class SwitchablePoster(Domain.Patrawin.IPatrawinTimePoster inner, Func<bool> down) : Domain.Patrawin.IPatrawinTimePoster
    {
        public Task<Domain.Patrawin.PostTimeResult> PostAsync(IReadOnlyList<Domain.Patrawin.TimeEntry> entries, CancellationToken cancellationToken) =>
            down() ? throw new TimeoutException("Patrawin did not answer") : inner.PostAsync(entries, cancellationToken);
    }

    [Test]
    public async Task Register_AlreadyRegistered_CarriesOn()
    {
        _harness.WiseTime.RegisterAnswer = false;

        await _fetcher.RegisterAsync(CancellationToken.None);

        Assert.That(_harness.Services.GetRequiredService<LongPollState>().Registered, Is.True);
    }
}

/// <summary>The whole connector with RECEIVE_POSTED_TIME=LONG_POLL.</summary>
public sealed class LongPollConnectorTests
{
    [Test]
    public async Task Connector_LongPoll_PostsFetchedTimeReportsItAndRefusesTheWebhook()
    {
        using var factory = new ConnectorApiFactory(new() { ["RECEIVE_POSTED_TIME"] = "LONG_POLL" });
        var group = Fixtures.Example();
        factory.WiseTime.Fetches.Enqueue([group]);
        await factory.StartAsync();

        for (var i = 0; i < 200 && factory.WiseTime.Statuses.IsEmpty; i++)
        {
            await Task.Delay(50);
        }
        using var client = factory.CreateClient();
        var webhook = await client.PostAsync("/receiveTimePostedEvent", new StringContent(Fixtures.ExampleJson().ToJsonString(), Encoding.UTF8, "application/json"));
        var status = JsonNode.Parse(await client.GetStringAsync("/ops/api/status"))!["postedTime"]!.GetValue<string>();

        Assert.That(factory.WiseTime.Calls.First(), Is.EqualTo("postedtime/registerfetchclient"));
        Assert.That(factory.WiseTime.Statuses.Single().TimeGroupId, Is.EqualTo(group.GroupId));
        Assert.That(await factory.Patrawin.PendingTimeAsync(), Has.Count.EqualTo(2));
        Assert.That(webhook.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await webhook.Content.ReadAsStringAsync(), Does.Contain("RECEIVE_POSTED_TIME=LONG_POLL"));
        Assert.That(status, Does.StartWith("long polling: last fetch"));
    }

    [Test]
    public async Task Connector_WebhookMode_LongPollCheckSaysNotUsed()
    {
        using var factory = await new ConnectorApiFactory().StartAsync();
        using var client = factory.CreateClient();

        var ready = JsonNode.Parse(await client.GetStringAsync("/health/live"))!;
        var checks = JsonNode.Parse(await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync())!["checks"]!.AsArray();

        Assert.That(ready["status"]!.GetValue<string>(), Is.EqualTo("Healthy"));
        Assert.That(checks.Single(c => c!["name"]!.GetValue<string>() == "long-poll")!["description"]!.GetValue<string>(), Does.StartWith("not used"));
        Assert.That(factory.WiseTime.Calls, Does.Not.Contain("postedtime"));
    }
}
