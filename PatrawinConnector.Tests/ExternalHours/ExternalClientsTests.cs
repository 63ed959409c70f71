using System.Net;
using System.Text.Json;
using System.Web;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.ExternalHours;

public sealed class KimaiClientTests
{
    [Test]
    public async Task GetTimesheets_ThreePages_AllEntriesFollowingTheHeaders()
    {
        var handler = new StubHandler((request, _) =>
        {
            var page = int.Parse(HttpUtility.ParseQueryString(request.RequestUri!.Query)["page"]!, System.Globalization.CultureInfo.InvariantCulture);
            return Page([page * 10, page * 10 + 1], total: 6, pages: 3);
        });

        var entries = await Client(handler).GetTimesheetsAsync(new KimaiTimesheetQuery(ModifiedAfterUtc: new DateTime(2024, 5, 14, 8, 50, 0), PageSize: 2), CancellationToken.None);

        Assert.That(entries.Select(e => e.Id), Is.EqualTo(new[] { 10, 11, 20, 21, 30, 31 }));
        Assert.That(handler.Requests.First().Request.RequestUri!.PathAndQuery,
            Is.EqualTo("/kimai/api/timesheets?user=all&modified_after=2024-05-14T08:50:00&orderBy=id&order=ASC&size=2&page=1"));
        Assert.That(handler.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task GetTimesheets_CountChangesWhilePaging_StartsOverAndMissesNothing()
    {
        var calls = 0;
        var handler = new StubHandler((request, _) =>
        {
            var call = Interlocked.Increment(ref calls);
            var page = HttpUtility.ParseQueryString(request.RequestUri!.Query)["page"];
            return call == 2
                ? Page([3], total: 3, pages: 2)   // an entry was deleted between page 1 and page 2
                : page == "1" ? Page([1, 2], total: call == 1 ? 4 : 3, pages: 2) : Page([4], total: 3, pages: 2);
        });

        var entries = await Client(handler).GetTimesheetsAsync(new KimaiTimesheetQuery(BeginLocal: new DateTime(2024, 3, 13, 11, 0, 0), PageSize: 2), CancellationToken.None);

        Assert.That(entries.Select(e => e.Id), Is.EqualTo(new[] { 1, 2, 4 }));
        Assert.That(calls, Is.EqualTo(4));
    }

    [Test]
    public async Task GetTimesheets_LastPageGoneWhilePaging_StartsOver()
    {
        var calls = 0;
        var handler = new StubHandler((request, _) =>
        {
            var call = Interlocked.Increment(ref calls);
            var page = HttpUtility.ParseQueryString(request.RequestUri!.Query)["page"];
            return (call, page) switch
            {
                (1, "1") => Page([1, 2], total: 3, pages: 2),
                (2, _) => new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"code": 404, "message": "Not Found"}""") },   // entry 3 deleted: one page only now
                _ => Page([1, 2], total: 2, pages: 1),
            };
        });

        var entries = await Client(handler).GetTimesheetsAsync(new KimaiTimesheetQuery(PageSize: 2), CancellationToken.None);

        Assert.That(entries.Select(e => e.Id), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(calls, Is.EqualTo(3));
    }

    [Test]
    public void GetTimesheets_FullPageWithoutPagingHeaders_FailsRatherThanStopAfterPageOne()
    {
        var handler = new StubHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Entries([1, 2])) });

        var error = Assert.ThrowsAsync<ExternalServiceException>(() => Client(handler).GetTimesheetsAsync(new KimaiTimesheetQuery(PageSize: 2), CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("without the X-Total-Pages header"));
    }

    [Test]
    public async Task GetTimesheets_ShortPageWithoutPagingHeaders_IsTheLastPage()
    {
        var handler = new StubHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Entries([1])) });

        var entries = await Client(handler).GetTimesheetsAsync(new KimaiTimesheetQuery(PageSize: 2), CancellationToken.None);

        Assert.That(entries.Select(e => e.Id), Is.EqualTo(new[] { 1 }));
        Assert.That(handler.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task GetTimesheet_Deleted_Null() =>
        Assert.That(await Client(StubHandler.Always(HttpStatusCode.NotFound)).GetTimesheetAsync(5001, CancellationToken.None), Is.Null);

    [TestCase(HttpStatusCode.Unauthorized, "KIMAI_API_TOKEN")]
    [TestCase(HttpStatusCode.Forbidden, "access denied")]
    [TestCase(HttpStatusCode.InternalServerError, "answered 500")]
    public void GetTimesheets_Refused_InfrastructureFailureWithReason(HttpStatusCode status, string expected)
    {
        var error = Assert.ThrowsAsync<ExternalServiceException>(() =>
            Client(StubHandler.Always(status, """{"message": "no"}""")).GetTimesheetsAsync(new KimaiTimesheetQuery(), CancellationToken.None));

        Assert.That(error!.Message, Does.Contain(expected));
        Assert.That(error.EntryLevel, Is.False);
    }

    [Test]
    public void GetTimesheets_Garbage_Fails() =>
        Assert.ThrowsAsync<ExternalServiceException>(() =>
            Client(StubHandler.Always(HttpStatusCode.OK, "<html>maintenance</html>")).GetTimesheetsAsync(new KimaiTimesheetQuery(), CancellationToken.None));

    private static string Entries(int[] ids) =>
        "[" + string.Join(',', ids.Select(id => $$"""{"id": {{id}}, "begin": "2024-05-14T09:00:00+0200", "end": "2024-05-14T10:00:00+0200", "duration": 3600, "project": 3}""")) + "]";

    private static HttpResponseMessage Page(int[] ids, int total, int pages)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Entries(ids)) };
        response.Headers.Add("X-Total-Count", total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        response.Headers.Add("X-Total-Pages", pages.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return response;
    }

    private static KimaiClient Client(HttpMessageHandler handler) => new(new HttpClient(handler) { BaseAddress = new Uri("https://kimai.test/kimai/api/") });
}

public sealed class CiviCrmClientTests
{
    private static readonly ActivityValues Values = new(58, "Kimai timesheet #5001", "2024-05-14 09:00:00", 90, "Quarterly", "Completed", 202, [202]);

    [Test]
    public async Task CreateActivity_FormEncodedParams_ReturnsTheNewId()
    {
        var handler = StubHandler.Always(HttpStatusCode.OK, """{"values": [{"id": 9001}], "entity": "Activity", "action": "create", "count": 1}""");

        var id = await Client(handler).CreateActivityAsync(Values, CancellationToken.None);

        var (request, body) = handler.Requests.Single();
        Assert.That(id, Is.EqualTo(9001));
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.RequestUri!.AbsolutePath, Is.EqualTo("/civicrm/ajax/api4/Activity/create"));
        Assert.That(request.Content!.Headers.ContentType!.MediaType, Is.EqualTo("application/x-www-form-urlencoded"));
        using var parameters = JsonDocument.Parse(HttpUtility.ParseQueryString(body)["params"]!);
        var values = parameters.RootElement.GetProperty("values");
        Assert.That(values.GetProperty("subject").GetString(), Is.EqualTo("Kimai timesheet #5001"));
        Assert.That(values.GetProperty("status_id:name").GetString(), Is.EqualTo("Completed"));
        Assert.That(values.GetProperty("target_contact_id")[0].GetInt32(), Is.EqualTo(202));
        Assert.That(values.GetProperty("duration").GetInt32(), Is.EqualTo(90));
    }

    [Test]
    public async Task FindActivities_Subjects_OneGetWithInAndTheLowestIdPerSubject()
    {
        var handler = StubHandler.Always(HttpStatusCode.OK, """
            {"values": [{"id": 9001, "subject": "Kimai timesheet #5001"}, {"id": 9003, "subject": "Kimai timesheet #5002"},
                        {"id": 9007, "subject": "Kimai timesheet #5001"}], "count": 3}
            """);

        var found = await Client(handler).FindActivitiesAsync(58, ["Kimai timesheet #5001", "Kimai timesheet #5002", "Kimai timesheet #5003"], CancellationToken.None);

        Assert.That(found, Is.EqualTo(new Dictionary<string, int> { ["Kimai timesheet #5001"] = 9001, ["Kimai timesheet #5002"] = 9003 }));
        using var parameters = JsonDocument.Parse(HttpUtility.ParseQueryString(handler.Requests.Single().Body)["params"]!);
        Assert.That(parameters.RootElement.GetProperty("where").ToString(), Is.EqualTo(
            """[["activity_type_id","=",58],["subject","IN",["Kimai timesheet #5001","Kimai timesheet #5002","Kimai timesheet #5003"]]]"""));
        Assert.That(parameters.RootElement.TryGetProperty("limit", out _), Is.False, "no limit: a cut-off list would hide a match and duplicate it");
    }

    [Test]
    public async Task UpdateAndDelete_NothingMatched_False()
    {
        var client = Client(StubHandler.Always(HttpStatusCode.OK, """{"values": [], "count": 0}"""));

        Assert.That(await client.UpdateActivityAsync(9001, Values, CancellationToken.None), Is.False);
        Assert.That(await client.DeleteActivityAsync(9001, CancellationToken.None), Is.False);
    }

    [TestCase(HttpStatusCode.InternalServerError, """{"error_code": "1", "error_message": "Contact 202 does not exist", "status": 500}""", true)]
    [TestCase(HttpStatusCode.Unauthorized, "HTTP 401 Invalid credential", false)]
    [TestCase(HttpStatusCode.Forbidden, """{"error_code": 0, "error_message": "Authorization failed"}""", false)]
    [TestCase(HttpStatusCode.ServiceUnavailable, """{"status_code": 503, "status_message": "Temporarily unavailable for maintenance."}""", false)]
    [TestCase(HttpStatusCode.OK, "<html>PHP Fatal error</html>", false)]
    [TestCase(HttpStatusCode.BadGateway, "<html>bad gateway</html>", false)]
    public void Call_Failure_EntryLevelOnlyForAnApiError(HttpStatusCode status, string body, bool entryLevel)
    {
        var error = Assert.ThrowsAsync<ExternalServiceException>(() =>
            Client(StubHandler.Always(status, body)).CreateActivityAsync(Values, CancellationToken.None));

        Assert.That(error!.EntryLevel, Is.EqualTo(entryLevel));
        Assert.That(error.Message, Does.StartWith("CiviCRM: "));
    }

    [Test]
    public async Task FindOrCreateActivityType_NotThere_LooksUpByNameThenLabelThenCreates()
    {
        var calls = new List<string>();
        var handler = new StubHandler((request, body) =>
        {
            calls.Add(request.RequestUri!.AbsolutePath.Split('/')[^1] + " " + HttpUtility.ParseQueryString(body)["params"]);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(request.RequestUri.AbsolutePath.EndsWith("/create", StringComparison.Ordinal)
                    ? """{"values": [{"id": 700, "value": "58"}], "count": 1}""" : """{"values": [], "count": 0}"""),
            };
        });

        var value = await Client(handler).FindOrCreateActivityTypeAsync("exthours_servicehours", "Service Hours", CancellationToken.None);

        Assert.That(value, Is.EqualTo(58));
        Assert.That(calls, Has.Count.EqualTo(3));
        Assert.That(calls[0], Does.Contain("exthours_servicehours").And.StartWith("get"));
        Assert.That(calls[1], Does.Contain("Service Hours").And.StartWith("get"));
        Assert.That(calls[2], Does.StartWith("create"));
    }

    private static CiviCrmClient Client(HttpMessageHandler handler) => new(new HttpClient(handler) { BaseAddress = new Uri("https://crm.test/civicrm/ajax/api4/") });
}
