using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Domain.WiseTime.Contracts;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.WiseTime;

/// <summary>
/// Every request the Connect API client can send, checked against WiseTime's own API document: the operation must
/// exist, and the body must match its schema, with no property the schema lacks. A drift from the real API fails here.
/// </summary>
public sealed class ConnectApiContractTests
{
    private static readonly UpsertTagRequest FullTag = new()
    {
        Name = "P1033SE00",
        Description = "ACME widget",
        Path = "/Patrawin/",
        AdditionalKeywords = ["P1033SE00"],
        ExternalId = "P1033SE00",
        Url = "https://patrawin.example/case/P1033SE00",
    };

    [Test]
    public async Task EveryClientOperation_RequestMatchesTheOpenApiDocument()
    {
        var schemas = OpenApiSchemas.Load();
        var handler = new StubHandler((request, _) => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(request.RequestUri!.AbsolutePath.EndsWith("/sync/start", StringComparison.Ordinal)
                ? """{"syncSessionId": "s-1"}""" : """{"teamName": "Firm", "errors": []}"""),
        });
        var client = new WiseTimeHttpClient(new HttpClient(handler) { BaseAddress = new Uri("https://wisetime.test/connect/api/") },
            NullLogger<WiseTimeHttpClient>.Instance);
        var session = new SyncSession("s-1");
        var types = new SyncActivityTypesRequest([new ActivityType { Code = "120", Label = "Drafting", Description = "", EnableIfNew = true }], "s-1");

        await client.GetTeamInfoAsync(CancellationToken.None);
        await client.TagUpsertAsync(FullTag, CancellationToken.None);
        await client.BatchTagUpsertAsync([FullTag, FullTag with { Name = "C10045", Description = null, Url = null }], CancellationToken.None);
        await client.TagDeleteAsync("P1033SE00", CancellationToken.None);
        await client.ActivityTypeSyncStartAsync(CancellationToken.None);
        await client.ActivityTypeUpsertBatchAsync(types, CancellationToken.None);
        await client.ActivityTypeSyncCompleteAsync(session, CancellationToken.None);
        await client.ActivityTypeSyncCancelAsync(session, CancellationToken.None);
        await client.RegisterForFetchAsync(CancellationToken.None);
        await client.UpdatePostedTimeStatusAsync(new TimeGroupStatus("g-1", TimeGroupStatuses.Success, null, "17,18"), CancellationToken.None);
        await client.UpdatePostedTimeStatusAsync(new TimeGroupStatus("g-2", TimeGroupStatuses.Failure, "User XYZ does not exist in Patrawin"), CancellationToken.None);

        var checkedOperations = new List<string>();
        foreach (var (request, body) in handler.Requests)
        {
            var path = request.RequestUri!.AbsolutePath["/connect/api".Length..];   // the query (fetch's ?limit=) is not part of the path
            var schema = schemas.RequestBodySchema(request.Method.Method, path);
            checkedOperations.Add($"{request.Method.Method} {path}");
            if (schema is null)
            {
                Assert.That(body, Is.Empty, $"{path} takes no body");
                continue;
            }
            using var json = JsonDocument.Parse(body);
            Assert.That(schemas.Validate(json.RootElement, schema), Is.Empty, $"{request.Method.Method} {path}: {body}");
        }

        Assert.That(checkedOperations, Is.EqualTo(new[]
        {
            "GET /team/info", "POST /tag", "POST /tag/batch", "POST /tag/delete", "POST /activitytype/sync/start",
            "POST /activitytype/batch", "POST /activitytype/sync/complete", "POST /activitytype/sync/cancel",
            "POST /postedtime/registerfetchclient", "POST /postedtime/status", "POST /postedtime/status",
        }));
    }

    [Test]
    public void Validate_PropertyTheSchemaLacks_Reported()
    {
        var schemas = OpenApiSchemas.Load();
        using var json = JsonDocument.Parse("""{"tags": [{"name": "x", "colour": "red"}]}""");

        var errors = schemas.Validate(json.RootElement, schemas.RequestBodySchema("POST", "/tag/batch")!);

        Assert.That(errors, Is.EqualTo(new[] { "$.tags[0].colour: not a property of the schema" }));
    }

    [Test]
    public void Validate_WrongTypes_Reported()
    {
        var schemas = OpenApiSchemas.Load();
        using var json = JsonDocument.Parse("""{"activityTypes": [{"code": 120, "enableIfNew": "yes"}], "syncSessionId": "s"}""");

        var errors = schemas.Validate(json.RootElement, schemas.RequestBodySchema("POST", "/activitytype/batch")!);

        Assert.That(errors, Has.Count.EqualTo(2));
    }

    [Test]
    public void RequestBodySchema_UnknownOperation_Fails() =>
        Assert.That(() => OpenApiSchemas.Load().RequestBodySchema("POST", "/tag/upsert-many"), Throws.InstanceOf<AssertionException>());
}
