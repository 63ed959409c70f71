using System.Net;
using System.Text.Json.Nodes;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Tests.Support;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace PatrawinConnector.Tests.ExternalHours;

/// <summary>The Kimai 1 JSON-RPC client against every answer shape of external-hours.md b, and against the stand-in.</summary>
public sealed class KimaiV1ClientTests
{
    [Test]
    public async Task Call_Request_IsJsonRpcTwoWithPositionalParametersOnTheQueueEndpoint()
    {
        var handler = new StubHandler((_, _) => Json("""{"jsonrpc":"2.0","id":"1","result":{"success":true,"items":{"queued_data":[]},"total":1}}"""));

        await Client(handler).GetUpdatesAsync(25, CancellationToken.None);

        var (request, body) = handler.Requests.Single();
        Assert.That((request.Method, request.RequestUri!.AbsolutePath, request.Content!.Headers.ContentType!.MediaType), Is.EqualTo((HttpMethod.Post, "/kimai/core/civicrm.php", "application/json")));
        Assert.That(JsonNode.Parse(body)!.ToJsonString(), Is.EqualTo("""{"jsonrpc":"2.0","method":"getUpdates","params":["key-1",25],"id":"1"}"""));
    }

    [Test]
    public async Task GetUpdates_TheReferenceExample_AnUpdateAndADelete()
    {
        var handler = new StubHandler((_, _) => Json("""
            {"jsonrpc":"2.0","id":"1","result":{"success":true,"total":1,"items":{"queued_data":[
             {"id":"57","confirmed":null,"action":"update","timeEntryID":"1201","start":"1612180800","end":"1612186200","duration":"5400","userID":"339614352","projectID":"3","activityID":"2",
              "description":null,"comment":"Fixed mail relay","commentType":"0","cleared":"0","location":"","trackingNumber":"T-88","rate":"0.00","fixedRate":null,"budget":null,"approved":null,
              "statusID":"1","billable":"0","modified":"2021-02-01 13:30:05"},
             {"id":"58","confirmed":null,"action":"delete","timeEntryID":"1187","start":"0","end":"0","duration":"0","userID":null,"projectID":null,"activityID":null,"description":null,"comment":null,
              "commentType":"0","cleared":"0","location":null,"trackingNumber":null,"rate":"0.00","fixedRate":null,"budget":null,"approved":null,"statusID":null,"billable":null,"modified":"2021-02-01 13:31:00"}]}}}
            """));

        var (messages, bad) = await Client(handler).GetUpdatesAsync(25, CancellationToken.None);

        Assert.That(bad, Is.Empty);
        var update = messages[0].Entry!;
        Assert.That((messages[0].QueueId, update.Id, update.Begin, update.NetSeconds, update.Project, update.Activity, update.Description),
            Is.EqualTo((57, 1201, new DateTimeOffset(2021, 2, 1, 12, 0, 0, TimeSpan.Zero), 5400L, 3, 2, "Fixed mail relay")));
        Assert.That((messages[1].QueueId, messages[1].TimeEntryId, messages[1].IsDelete), Is.EqualTo((58, 1187, true)));
    }

    [TestCase("""{"jsonrpc":"2.0","id":"1","result":{"success":false,"error":{"msg":"Unknown user or no permissions."}}}""",
        "Kimai: getUpdates refused the API key (Unknown user or no permissions.): check KIMAI_API_KEY, or KIMAI_API_USER and KIMAI_API_PASSWORD",
        TestName = "GetUpdates_UnknownKey_NamesTheSettings")]
    [TestCase("""{"jsonrpc":"2.0","id":"1","result":{"success":false,"error":{"msg":"Table 'kimai.kimai_civicrm_queue' doesn't exist"}}}""",
        "Kimai: getUpdates failed: Table 'kimai.kimai_civicrm_queue' doesn't exist", TestName = "GetUpdates_SuccessFalse_CarriesTheMessage")]
    [TestCase("""{"jsonrpc":"2.0","id":"1","error":{"code":-32601,"message":"Method not found"}}""",
        "Kimai: JSON-RPC error -32601 from getUpdates: Method not found", TestName = "GetUpdates_JsonRpcError_CarriesCodeAndMessage")]
    [TestCase("<br />\n<b>Fatal error</b>: Allowed memory size exhausted", "Kimai: answered getUpdates with something that is not the expected JSON (not JSON: <br />\n<b>Fatal error</b>: Allowed memory size exhausted)",
        TestName = "GetUpdates_PhpErrorPage_NotTheExpectedJson")]
    [TestCase("""{"jsonrpc":"2.0","id":"1","result":{"success":true,"items":[],"total":0}}""",
        "Kimai: answered getUpdates with something that is not the expected JSON (no queued_data list in its items)", TestName = "GetUpdates_NoQueuedData_NotTheExpectedJson")]
    [TestCase("""{"jsonrpc":"2.0","id":"1","result":"ok"}""",
        "Kimai: answered getUpdates with something that is not the expected JSON (no result with success: {\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":\"ok\"})", TestName = "GetUpdates_ResultWithoutSuccess_NotTheExpectedJson")]
    public void GetUpdates_AnswerThatIsNotASuccess_OneClearError(string answer, string expected)
    {
        var handler = new StubHandler((_, _) => Json(answer));

        Assert.That(() => Client(handler).GetUpdatesAsync(25, CancellationToken.None), Throws.InstanceOf<ExternalServiceException>().With.Message.EqualTo(expected));
    }

    [TestCase(HttpStatusCode.NotFound, "Kimai: core/civicrm.php was not found (404): install kimai1_civicrm in the Kimai 1 at KIMAI_URL", TestName = "GetUpdates_NoCivicrmEndpoint_SaysInstallKimai1Civicrm")]
    [TestCase(HttpStatusCode.Forbidden, "Kimai: access denied (403) to core/civicrm.php: denied", TestName = "GetUpdates_Forbidden_AccessDenied")]
    [TestCase(HttpStatusCode.BadGateway, "Kimai: answered 502 to getUpdates: denied", TestName = "GetUpdates_BadGateway_Answered502")]
    public void GetUpdates_HttpFailure_ClassifiedLikeTheKimai2Client(HttpStatusCode status, string expected)
    {
        var handler = StubHandler.Always(status, "denied");

        Assert.That(() => Client(handler).GetUpdatesAsync(25, CancellationToken.None), Throws.InstanceOf<ExternalServiceException>()
            .With.Message.EqualTo(expected).And.Property(nameof(ExternalServiceException.EntryLevel)).False);
    }

    [Test]
    public void GetUpdates_ConnectionRefused_CouldNotBeReached()
    {
        var handler = new StubHandler((_, _) => throw new HttpRequestException("Connection refused"));

        Assert.That(() => Client(handler).GetUpdatesAsync(25, CancellationToken.None),
            Throws.InstanceOf<ExternalServiceException>().With.Message.EqualTo("Kimai: could not be reached (civicrm.php getUpdates): Connection refused"));
    }

    [Test]
    public async Task GetUpdates_AMessageWithAFieldThatIsNotANumber_ReportedTheOthersRead()
    {
        var handler = new StubHandler((_, _) => Json("""
            {"jsonrpc":"2.0","id":"1","result":{"success":true,"total":1,"items":{"queued_data":[
             {"id":"60","action":"update","timeEntryID":"12x","start":"1612180800","end":"1612186200","duration":"5400","projectID":"3"},
             {"id":"61","action":"delete","timeEntryID":"1187"}]}}}
            """));

        var (messages, bad) = await Client(handler).GetUpdatesAsync(25, CancellationToken.None);

        Assert.That(messages.Single().QueueId, Is.EqualTo(61));
        Assert.That(bad.Single().Problem, Is.EqualTo("Kimai queue message 60 could not be read (timeEntryID '12x' is not a whole number); it stays unconfirmed"));
    }

    [Test]
    public async Task ConfirmQueueMessage_UnknownId_FalseNotAnError()
    {
        using var kimai = new KimaiV1StandIn(() => DateTime.UtcNow);
        var client = Client(kimai);

        Assert.That(await client.ConfirmQueueMessageAsync(4242, CancellationToken.None), Is.False);
    }

    [Test]
    public async Task GetTimesheetRecord_UnknownId_NullAsKimaiAnswersNoMessage()
    {
        using var kimai = new KimaiV1StandIn(() => DateTime.UtcNow);
        kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3, description: "only a description");
        var client = Client(kimai);

        var found = await client.GetTimesheetRecordAsync(1201, CancellationToken.None);

        Assert.That(found!.Description, Is.EqualTo("only a description"), "the comment first, as the extension wrote it; else the description");
        Assert.That(await client.GetTimesheetRecordAsync(1202, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task GetProjects_NamedParametersAndKimaisFields()
    {
        using var kimai = new KimaiV1StandIn(() => DateTime.UtcNow);
        kimai.Projects.Add(new() { ["projectID"] = "3", ["name"] = "Servers", ["customerID"] = "1", ["customerName"] = "Acme" });

        var projects = await Client(kimai).GetProjectsAsync(CancellationToken.None);

        Assert.That(projects, Is.EqualTo(new[] { new KimaiProject(3, "Servers", 1, "Acme") }));
    }

    [Test]
    public async Task GetProjects_NoProjectAtAll_EmptyNotAnError()
    {
        using var kimai = new KimaiV1StandIn(() => DateTime.UtcNow);

        Assert.That(await Client(kimai).GetProjectsAsync(CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task StandIn_GetOnAnEndpoint_TheServiceMap()
    {
        using var kimai = new KimaiV1StandIn(() => DateTime.UtcNow);
        using var http = new HttpClient(kimai, disposeHandler: false);

        var map = JsonNode.Parse(await http.GetStringAsync("https://kimai1.test/core/civicrm.php"))!;

        Assert.That((map["envelope"]!.GetValue<string>(), map["transport"]!.GetValue<string>()), Is.EqualTo(("JSON-RPC-2.0", "POST")));
        Assert.That(map["services"]!.AsObject().Select(s => s.Key), Is.SupersetOf(new[] { "primeUpdates", "getUpdates", "confirmQueueMessage" }));
    }

    [Test]
    public async Task StandIn_FirstGetUpdatesAfterPriming_QueuesTheWholeHistoryNewestFirst()
    {
        var now = new DateTime(2024, 5, 20, 8, 0, 0);
        using var kimai = new KimaiV1StandIn(() => now);
        kimai.Insert(1, "2021-02-01T13:00:00+0100", "2021-02-01T14:00:00+0100", 3);
        kimai.Insert(2, "2021-02-02T13:00:00+0100", "2021-02-02T14:00:00+0100", 3);
        var client = Client(kimai);
        await client.PrimeUpdatesAsync(CancellationToken.None);

        var (first, _) = await client.GetUpdatesAsync(25, CancellationToken.None);
        now = now.AddMinutes(1);
        kimai.Edit(1, r => r with { Comment = "edited" });
        var (second, _) = await client.GetUpdatesAsync(1, CancellationToken.None);

        Assert.That(first.Select(m => m.TimeEntryId), Is.EqualTo(new[] { 2, 1 }));
        Assert.That((second.Single().TimeEntryId, second.Single().Entry!.Description), Is.EqualTo((1, "edited")), "unconfirmed, newest first, at most the limit");
    }

    private static KimaiV1Client Client(HttpMessageHandler handler) => new(
        new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri("https://kimai1.test/kimai/core/") },
        MsOptions.Create(new ExternalHoursOptions { KimaiApiVersion = 1, KimaiApiKey = handler is KimaiV1StandIn ? KimaiV1StandIn.ApiKey : "key-1" }));

    private static HttpResponseMessage Json(string body) => new(HttpStatusCode.OK) { Content = new StringContent(body) };
}
