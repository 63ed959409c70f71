using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.ExternalHours;

/// <summary>The per-call retry rules of external-hours.md e.4, through the handler the connector registers.</summary>
public sealed class ExternalHoursResilienceTests
{
    private static readonly ActivityValues Values = new(58, "Kimai timesheet #5001", "2024-05-14 09:00:00", 90, "Quarterly", "Completed", 202, [202]);
    private const string NoActivities = """{"values": [], "count": 0}""";

    [TestCase(HttpStatusCode.RequestTimeout)]
    [TestCase(HttpStatusCode.TooManyRequests)]
    [TestCase(HttpStatusCode.BadGateway)]
    [TestCase(HttpStatusCode.ServiceUnavailable)]
    [TestCase(HttpStatusCode.GatewayTimeout)]
    public async Task Kimai_TransientTwiceThenOk_ThirdAttemptAnswers(HttpStatusCode transient)
    {
        var handler = Sequence((transient, "busy"), (transient, "busy"), (HttpStatusCode.OK, """[{"id": 1, "name": "Website", "customer": 4}]"""));

        var projects = await Kimai(handler).GetProjectsAsync(CancellationToken.None);

        Assert.That(projects.Single().Name, Is.EqualTo("Website"));
        Assert.That(handler.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public void Kimai_StillDownAfterThreeAttempts_FailsNamingTheStatus()
    {
        var handler = StubHandler.Always(HttpStatusCode.BadGateway, "<html>bad gateway</html>");

        var error = Assert.ThrowsAsync<ExternalServiceException>(() => Kimai(handler).GetProjectsAsync(CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("Kimai: answered 502"));
        Assert.That(handler.Requests, Has.Count.EqualTo(3));
    }

    [TestCase(HttpStatusCode.BadRequest)]
    [TestCase(HttpStatusCode.Unauthorized)]
    [TestCase(HttpStatusCode.Forbidden)]
    [TestCase(HttpStatusCode.MethodNotAllowed)]
    [TestCase(HttpStatusCode.InternalServerError)]
    public void Kimai_NotTransient_AnsweredAtOnce(HttpStatusCode status)
    {
        var handler = StubHandler.Always(status, """{"code": 0, "message": "no"}""");

        Assert.ThrowsAsync<ExternalServiceException>(() => Kimai(handler).GetProjectsAsync(CancellationToken.None));
        Assert.That(handler.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void Kimai_RetryAfterLongerThanAMinute_NotWaitedFor()
    {
        var handler = new StubHandler((_, _) => new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new(TimeSpan.FromSeconds(120)) } });

        Assert.ThrowsAsync<ExternalServiceException>(() => Kimai(handler).GetProjectsAsync(CancellationToken.None));
        Assert.That(handler.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void Kimai_NeverAnswers_EachAttemptTimesOutThenTheRunIsToldWhy()
    {
        var handler = new SilentHandler();
        var client = new KimaiClient(Http(handler, "Kimai", "https://kimai.test/api/", attemptTimeout: TimeSpan.FromMilliseconds(50)));

        var error = Assert.ThrowsAsync<ExternalServiceException>(() => client.GetProjectsAsync(CancellationToken.None));

        Assert.That(error!.Message, Is.EqualTo("Kimai: did not answer in time (projects?visible=3&ignoreDates=1)"));
        Assert.That(handler.Calls, Is.EqualTo(3));
    }

    [Test]
    public async Task CiviCrm_ReadUpdateDelete_RetriedOnA504()
    {
        var handler = Sequence(
            (HttpStatusCode.GatewayTimeout, "gateway"), (HttpStatusCode.OK, """{"values": [{"id": 9001, "subject": "Kimai timesheet #5001"}], "count": 1}"""),
            (HttpStatusCode.GatewayTimeout, "gateway"), (HttpStatusCode.OK, """{"values": [{"id": 9001}], "count": 1}"""),
            (HttpStatusCode.ServiceUnavailable, "maintenance"), (HttpStatusCode.OK, """{"values": [{"id": 9001}], "count": 1}"""));
        var client = CiviCrm(handler);

        Assert.That((await client.FindActivitiesAsync(58, ["Kimai timesheet #5001"], CancellationToken.None))["Kimai timesheet #5001"], Is.EqualTo(9001));
        Assert.That(await client.UpdateActivityAsync(9001, Values, CancellationToken.None), Is.True);
        Assert.That(await client.DeleteActivityAsync(9001, CancellationToken.None), Is.True);
        Assert.That(handler.Requests.Select(r => r.Request.RequestUri!.AbsolutePath.Split('/')[^1]),
            Is.EqualTo(new[] { "get", "get", "update", "update", "delete", "delete" }));
    }

    [TestCase(HttpStatusCode.GatewayTimeout)]
    [TestCase(HttpStatusCode.BadGateway)]
    [TestCase(HttpStatusCode.ServiceUnavailable)]
    public void CiviCrm_CreateUnanswered_SentOnceAndTheRunFails(HttpStatusCode status)
    {
        var handler = Sequence((status, "<html>upstream</html>"), (HttpStatusCode.OK, """{"values": [{"id": 9001}], "count": 1}"""));

        var error = Assert.ThrowsAsync<ExternalServiceException>(() => CiviCrm(handler).CreateActivityAsync(Values, CancellationToken.None));

        Assert.That(error!.EntryLevel, Is.False, "an infrastructure failure: the run stops and the next run looks the activity up");
        Assert.That(handler.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void CiviCrm_CreateConnectionLost_SentOnce()
    {
        var handler = new StubHandler((_, _) => throw new HttpRequestException("connection reset"));

        var error = Assert.ThrowsAsync<ExternalServiceException>(() => CiviCrm(handler).CreateActivityAsync(Values, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("could not be reached (Activity/create)"));
        Assert.That(handler.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void CiviCrm_ApiError_NotRetried()
    {
        var handler = StubHandler.Always(HttpStatusCode.InternalServerError, """{"error_code": "1", "error_message": "Contact 202 does not exist", "status": 500}""");

        var error = Assert.ThrowsAsync<ExternalServiceException>(() => CiviCrm(handler).UpdateActivityAsync(9001, Values, CancellationToken.None));

        Assert.That(error!.EntryLevel, Is.True);
        Assert.That(handler.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task CiviCrm_NetworkBlipOnALookUp_Retried()
    {
        var calls = 0;
        var handler = new StubHandler((_, _) => ++calls == 1
            ? throw new HttpRequestException("connection refused")
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(NoActivities) });

        Assert.That(await CiviCrm(handler).FindActivitiesAsync(58, ["Kimai timesheet #5001"], CancellationToken.None), Is.Empty);
        Assert.That(handler.Requests, Has.Count.EqualTo(2));
    }

    private static StubHandler Sequence(params (HttpStatusCode Status, string Body)[] answers)
    {
        var next = 0;
        return new StubHandler((_, _) =>
        {
            var (status, body) = answers[Math.Min(next++, answers.Length - 1)];
            return new HttpResponseMessage(status) { Content = new StringContent(body) };
        });
    }

    private static KimaiClient Kimai(HttpMessageHandler handler) => new(Http(handler, "Kimai", "https://kimai.test/api/"));

    private static CiviCrmClient CiviCrm(HttpMessageHandler handler) => new(Http(handler, "CiviCRM", "https://crm.test/civicrm/ajax/api4/"));

    private static HttpClient Http(HttpMessageHandler handler, string service, string baseAddress, TimeSpan? attemptTimeout = null) =>
        new(new ResilienceHandler(ExternalHoursResilience.Create(service, NullLogger.Instance, TimeSpan.FromMilliseconds(1), attemptTimeout)) { InnerHandler = handler })
        {
            BaseAddress = new Uri(baseAddress),
            Timeout = Timeout.InfiniteTimeSpan,
        };

    private sealed class SilentHandler : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new UnreachableException();
        }
    }
}
