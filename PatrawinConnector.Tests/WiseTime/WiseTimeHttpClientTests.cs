using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.WiseTime;

public sealed class WiseTimeHttpClientTests
{
    [Test]
    public async Task TagDeleteAsync_Ok_PostsNameToTagDelete()
    {
        var handler = StubHandler.Always(HttpStatusCode.OK);

        var outcome = await Client(handler).TagDeleteAsync("P1033SE00", CancellationToken.None);

        var (request, body) = handler.Requests.Single();
        Assert.That(outcome, Is.EqualTo(TagDeleteOutcome.Deleted));
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.RequestUri, Is.EqualTo(new Uri("https://wisetime.test/connect/api/tag/delete")));
        Assert.That(request.Headers.GetValues("x-api-key"), Is.EqualTo(new[] { "key-123" }));
        Assert.That(body, Is.EqualTo("""{"name":"P1033SE00"}"""));
    }

    [Test]
    public async Task TagDeleteAsync_NotFound_CountsAsDeleted() =>
        Assert.That(await Client(StubHandler.Always(HttpStatusCode.NotFound)).TagDeleteAsync("gone", CancellationToken.None),
            Is.EqualTo(TagDeleteOutcome.AlreadyGone));

    [TestCase(HttpStatusCode.InternalServerError, WiseTimeErrorCategory.Transient)]
    [TestCase(HttpStatusCode.ServiceUnavailable, WiseTimeErrorCategory.Transient)]
    [TestCase(HttpStatusCode.TooManyRequests, WiseTimeErrorCategory.RateLimited)]
    [TestCase(HttpStatusCode.Unauthorized, WiseTimeErrorCategory.Auth)]
    [TestCase(HttpStatusCode.BadRequest, WiseTimeErrorCategory.Permanent)]
    [TestCase(HttpStatusCode.PaymentRequired, WiseTimeErrorCategory.Permanent)]
    public void TagDeleteAsync_ErrorStatus_ClassifiedWithApiMessage(HttpStatusCode status, WiseTimeErrorCategory category)
    {
        var client = Client(StubHandler.Always(status, """{"message": "explained by WiseTime"}"""));

        var error = Assert.ThrowsAsync<WiseTimeApiException>(() => client.TagDeleteAsync("x", CancellationToken.None));

        Assert.That(error!.Category, Is.EqualTo(category));
        Assert.That(error.Message, Does.Contain("explained by WiseTime"));
    }

    [Test]
    public void TagDeleteAsync_NetworkFault_Transient()
    {
        var client = Client(new StubHandler((_, _) => throw new HttpRequestException("connection refused")));

        var error = Assert.ThrowsAsync<WiseTimeApiException>(() => client.TagDeleteAsync("x", CancellationToken.None));

        Assert.That(error!.IsTransient, Is.True);
    }

    private static WiseTimeHttpClient Client(HttpMessageHandler handler)
    {
        var options = new WiseTimeOptions { ApiKey = "key-123", BaseUrl = "https://wisetime.test/connect/api" };
        var http = new HttpClient(handler) { BaseAddress = options.BaseUri };
        http.DefaultRequestHeaders.Add(WiseTimeHttpClient.ApiKeyHeader, options.ApiKey);
        return new WiseTimeHttpClient(http, NullLogger<WiseTimeHttpClient>.Instance);
    }
}

public sealed class SandboxWiseTimeClientTests
{
    [Test]
    public async Task TagDeleteAsync_Sandbox_RecordsTheCallInsteadOfSendingIt()
    {
        await using var harness = await DomainHarness.StartAsync();
        var sandbox = (SandboxWiseTimeClient)harness.Services.GetService(typeof(SandboxWiseTimeClient))!;

        var outcome = await sandbox.TagDeleteAsync("P0000XX00", CancellationToken.None);

        await using var db = await ((Microsoft.EntityFrameworkCore.IDbContextFactory<Domain.State.ConnectorStateDbContext>)
            harness.Services.GetService(typeof(Microsoft.EntityFrameworkCore.IDbContextFactory<Domain.State.ConnectorStateDbContext>))!).CreateDbContextAsync();
        var call = db.SandboxWiseTimeCalls.Single();
        Assert.That(outcome, Is.EqualTo(TagDeleteOutcome.Deleted));
        Assert.That((call.Operation, call.Body), Is.EqualTo(("tag/delete", """{"name":"P0000XX00"}""")));
    }
}
