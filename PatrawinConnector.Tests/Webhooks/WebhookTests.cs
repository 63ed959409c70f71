using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Webhooks;

/// <summary>Real JSON over HTTP against the connector on the SQLite sandbox, with CALLER_KEY set.</summary>
public sealed class WebhookTests
{
    private const string CallerKey = "s3cret-caller-key";

    private ConnectorApiFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartConnector()
    {
        _factory = await new ConnectorApiFactory(new() { ["CALLER_KEY"] = CallerKey }).StartAsync();
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void StopConnector()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [SetUp]
    public async Task EmptyInbox() => await _factory.Patrawin.ExecuteAsync("DELETE FROM PENDING_TIME_335");

    [Test]
    public async Task Post_ExampleTimeGroup_200AndRowsInPendingTime()
    {
        var response = await PostAsync(Fixtures.ExampleJson());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Posted 23 minutes"));
        var rows = await _factory.Patrawin.PendingTimeAsync();
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0].StartTimeUtc, Is.EqualTo("2024-03-14 06:10:00"));
        Assert.That(rows[0].Text, Does.StartWith("Drafted response to office action\r\n\r\n07:00 - 07:59\r\n"));
    }

    [Test]
    public async Task Post_SameGroupTwice_Second200WithoutNewRows()
    {
        var json = Fixtures.ExampleJson();
        await PostAsync(json);

        var second = await PostAsync(json);

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await second.Content.ReadAsStringAsync(), Does.Contain("already posted"));
        Assert.That(await _factory.Patrawin.PendingTimeAsync(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Post_SameGroupConcurrently_RowsWrittenOnce()
    {
        var json = Fixtures.ExampleJson();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync(json)));

        Assert.That(responses.Select(r => r.StatusCode), Has.All.EqualTo(HttpStatusCode.OK));
        Assert.That(await _factory.Patrawin.PendingTimeAsync(), Has.Count.EqualTo(2));
    }

    [TestCase("wrong-key")]
    [TestCase("")]
    [TestCase(null)]
    [TestCase("s3cret-caller-key-and-more")]
    [TestCase("S3CRET-CALLER-KEY")]
    public async Task Post_WrongOrMissingCallerKey_400AndLedgerUntouched(string? key)
    {
        var json = Fixtures.ExampleJson();
        json["callerKey"] = key;
        if (key is null)
        {
            json.Remove("callerKey");
        }

        var response = await PostAsync(json);

        await AssertBadRequestAsync(response, "Invalid caller key in posted time webhook call");
        Assert.That(await LedgerCountAsync(json["groupId"]!.GetValue<string>()), Is.Zero);
    }

    [TestCase("/receiveTimePostedEvent/")]
    [TestCase("/RECEIVETIMEPOSTEDEVENT")]
    [TestCase("/receiveTimePostedEvent?x=1")]
    public async Task Post_OtherSpellingOfThePathWithWrongKey_StillRefused(string path)
    {
        var json = Fixtures.ExampleJson();
        json["callerKey"] = "wrong-key";

        var response = await _client.PostAsync(path, new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json"));

        await AssertBadRequestAsync(response, "Invalid caller key");
        Assert.That(await _factory.Patrawin.PendingTimeAsync(), Is.Empty);
    }

    [Test]
    public async Task Post_RightAndWrongKeys_NeitherKeyEverLogged()
    {
        var wrong = Fixtures.ExampleJson();
        wrong["callerKey"] = "Wr0ng-Key-That-Must-Not-Be-Logged";
        await PostAsync(wrong);
        await PostAsync(Fixtures.ExampleJson());

        var logs = string.Join('\n', _factory.Logs.Entries);

        Assert.That(logs, Does.Contain("missing or wrong caller key"));
        Assert.That(logs, Does.Not.Contain("Wr0ng-Key-That-Must-Not-Be-Logged"));
        Assert.That(logs, Does.Not.Contain(CallerKey));
    }

    [Test]
    public async Task Post_WrongCallerKeyAndBrokenFields_CallerKeyCheckedFirst()
    {
        var json = Fixtures.ExampleJson();
        json["callerKey"] = "nope";
        json["totalDurationSecs"] = "lots";

        await AssertBadRequestAsync(await PostAsync(json), "Invalid caller key");
    }

    [TestCase("{\"callerKey\": \"s3cret-caller-key\", ", "not valid JSON")]
    [TestCase("[1, 2, 3]", "must be a JSON object")]
    [TestCase("", "body is empty")]
    [TestCase("null", "must be a JSON object")]
    public async Task Post_MalformedBody_400WithReason(string body, string expected)
    {
        var response = await _client.PostAsync("/receiveTimePostedEvent", new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertBadRequestAsync(response, expected);
    }

    [Test]
    public async Task Post_WrongContentType_400WithReason()
    {
        var response = await _client.PostAsync("/receiveTimePostedEvent",
            new StringContent(Fixtures.ExampleJson().ToJsonString(), Encoding.UTF8, "text/plain"));

        await AssertBadRequestAsync(response, "content type must be application/json");
        Assert.That(await _factory.Patrawin.PendingTimeAsync(), Is.Empty);
    }

    [Test]
    public async Task Post_BodyOverOneMebibyte_400WithReason()
    {
        var json = Fixtures.ExampleJson();
        json["description"] = new string('x', 1024 * 1024);

        await AssertBadRequestAsync(await PostAsync(json), "larger than 1 MiB");
        Assert.That(await _factory.Patrawin.PendingTimeAsync(), Is.Empty);
    }

    [Test]
    public async Task Post_BodyOverOneMebibyteWithoutContentLength_400WithReason()
    {
        var json = Fixtures.ExampleJson();
        json["description"] = new string('x', 1024 * 1024);
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json.ToJsonString())));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentLength = null;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/receiveTimePostedEvent") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        await AssertBadRequestAsync(await _client.SendAsync(request), "larger than 1 MiB");
    }

    [TestCase("totalDurationSecs", "\"lots\"", "totalDurationSecs")]
    [TestCase("tags", "\"P1033SE00\"", "tags")]
    [TestCase("localDate", "\"14/03/2024\"", "localDate")]
    [TestCase("user", "42", "user")]
    public async Task Post_MistypedField_400NamingTheField(string field, string value, string expected)
    {
        var json = Fixtures.ExampleJson();
        json[field] = JsonNode.Parse(value);

        await AssertBadRequestAsync(await PostAsync(json), $"the field {expected}");
    }

    [TestCase("tags", "[]", "has no tags")]
    [TestCase("groupId", "null", "has no groupId")]
    [TestCase("user", "null", "has no user")]
    public async Task Post_MissingContent_400WithReasonAndNothingWritten(string field, string value, string expected)
    {
        var json = Fixtures.ExampleJson();
        json[field] = JsonNode.Parse(value);

        await AssertBadRequestAsync(await PostAsync(json), expected);
        Assert.That(await _factory.Patrawin.PendingTimeAsync(), Is.Empty);
    }

    [Test]
    public async Task Post_UnknownUser_400NamingTheUser()
    {
        var json = Fixtures.ExampleJson();
        json["user"]!["externalId"] = "jdoe@firm.se";

        await AssertBadRequestAsync(await PostAsync(json), "User jdoe@firm.se does not exist in Patrawin");
    }

    [Test]
    public async Task Post_UnknownActivityCode_400()
    {
        var json = Fixtures.ExampleJson();
        json["activityType"]!["code"] = "4242";

        await AssertBadRequestAsync(await PostAsync(json), "invalid activity code");
    }

    [Test]
    public async Task Post_UnknownCase_400AndTagDeletedInWiseTime()
    {
        var json = Fixtures.ExampleJson();
        json["tags"] = new JsonArray(new JsonObject { ["name"] = "P9999ZZ99", ["path"] = "/Patrawin/" });

        await AssertBadRequestAsync(await PostAsync(json), "not found for tags: P9999ZZ99");
        Assert.That(_factory.WiseTime.DeletedTags, Does.Contain("P9999ZZ99"));
    }

    [Test]
    public async Task Ping_Get_Pong()
    {
        var response = await _client.GetAsync("/ping");

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("pong"));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/plain"));
    }

    [Test]
    public async Task SwaggerDocument_Get_DescribesWebhookWithTimeGroupBody()
    {
        var document = JsonNode.Parse(await _client.GetStringAsync("/swagger/v1/swagger.json"))!;

        var post = document["paths"]!["/receiveTimePostedEvent"]!["post"]!;
        Assert.That(post["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>(), Does.EndWith("/TimeGroup"));
        Assert.That(document["paths"]!["/ping"], Is.Not.Null);
    }

    private Task<HttpResponseMessage> PostAsync(JsonObject json) =>
        _client.PostAsync("/receiveTimePostedEvent", new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json"));

    private static async Task AssertBadRequestAsync(HttpResponseMessage response, string expected)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/plain"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(expected));
    }

    private async Task<int> LedgerCountAsync(string groupId)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_factory.DataDir, "connector-state.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM PostingLedger WHERE GroupId = $id";
        command.Parameters.AddWithValue("$id", groupId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>The webhook when Patrawin is a SQL Server that cannot be reached: a transient failure WiseTime retries.</summary>
public sealed class WebhookPatrawinUnreachableTests
{
    [Test]
    public async Task Post_PatrawinUnreachable_500WithReason()
    {
        using var factory = await new ConnectorApiFactory(new()
        {
            ["PATRAWIN_JDBC_URL"] = "jdbc:sqlserver://127.0.0.1:1;databaseName=Patrawin;loginTimeout=2",
            ["PATRAWIN_DB_USER"] = "wisetime",
            ["PATRAWIN_DB_PASSWORD"] = "not-logged",
        }).StartAsync();
        using var client = factory.CreateClient();

        var response = await client.PostAsync("/receiveTimePostedEvent",
            new StringContent(Fixtures.ExampleJson().ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/plain"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("error posting time to the Patrawin database"));
    }
}
