using System.Net;
using System.Text;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Tds;

/// <summary>
/// The connection to Patrawin dies in the middle of a post: the server terminates the session (from its PostgreSQL side,
/// as a failover or a network fault would) after pw_PostTime has inserted its row but before the commit.
/// </summary>
[NonParallelizable]
public sealed class TdsConnectionKilledTests
{
    private static TdsPatrawin Patrawin => TdsSuite.Patrawin;

    [SetUp]
    public Task FreshPatrawin() => Patrawin.ReseedAsync();

    [TearDown]
    public async Task NormalProcedure() => await Patrawin.ExecuteAsync(await StandInAsync(slow: false));

    [Test]
    public async Task Post_SessionKilledBeforeCommit_500ThenTheRetryPostsExactlyOnce()
    {
        using var factory = await new ConnectorApiFactory(TdsPatrawin.Settings()).StartAsync();
        using var client = factory.CreateClient();
        var json = Fixtures.ExampleJson();
        await Patrawin.ExecuteAsync(await StandInAsync(slow: true));

        HttpResponseMessage first;
        bool killed;
        await using (var blocker = await TdsPatrawin.OpenAsync())
        await using (var held = (Microsoft.Data.SqlClient.SqlTransaction)await blocker.BeginTransactionAsync())
        {
            await using (var lockRow = new Microsoft.Data.SqlClient.SqlCommand(LockingStatement, blocker, held))
            {
                await lockRow.ExecuteNonQueryAsync();
            }
            var post = client.PostAsync("/receiveTimePostedEvent", new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json"));
            killed = await KillTheWaitingSessionAsync(post);
            first = await post;
            await held.RollbackAsync();
        }
        await Patrawin.ExecuteAsync(await StandInAsync(slow: false));
        var rowsAfterKill = await Patrawin.PendingTimeAsync();
        var retry = await client.PostAsync("/receiveTimePostedEvent", new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json"));
        var again = await client.PostAsync("/receiveTimePostedEvent", new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.That(killed, Is.True, "no session was found waiting inside pw_PostTime");
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(await first.Content.ReadAsStringAsync(), Does.Contain("error posting time to the Patrawin database"));
        Assert.That(rowsAfterKill, Is.Empty, "the killed session's insert was never committed");
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK), await retry.Content.ReadAsStringAsync());
        Assert.That(await again.Content.ReadAsStringAsync(), Does.Contain("already posted"));
        Assert.That(await Patrawin.PendingTimeAsync(), Has.Count.EqualTo(2));
    }

    /// <summary>What the slow pw_PostTime runs after its insert: it waits there while the test holds the same row lock.</summary>
    private const string LockingStatement = "UPDATE dbo.FORETAGINFO_56 SET Skarmsprak = Skarmsprak";

    /// <summary>Terminates the session that waits for the test's lock (the post, inside the slow pw_PostTime) once it is there.</summary>
    private static async Task<bool> KillTheWaitingSessionAsync(Task post)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !post.IsCompleted)
        {
            var terminated = await Babelfish.PostgresAsync("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = 'babelfish_db' AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
                """);
            if (terminated != "0")
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>
    /// The stand-in pw_PostTime, or a slow one that, after its insert and inside the caller's transaction, waits for a
    /// row lock the test holds (Babelfish has no WAITFOR: "'WAITFOR' is not currently supported in Babelfish").
    /// </summary>
    private static async Task<string> StandInAsync(bool slow)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "Tds", "pw_PostTime.sql"));
        text = text.Replace("CREATE PROCEDURE", "ALTER PROCEDURE", StringComparison.Ordinal);
        return slow
            ? text.Replace("    RETURN CAST(SCOPE_IDENTITY() AS int);", $"    {LockingStatement};\n    RETURN CAST(SCOPE_IDENTITY() AS int);", StringComparison.Ordinal)
            : text;
    }
}
