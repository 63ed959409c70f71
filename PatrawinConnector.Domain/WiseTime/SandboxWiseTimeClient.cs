using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PatrawinConnector.Domain.State;

namespace PatrawinConnector.Domain.WiseTime;

/// <summary>WiseTime when no API_KEY is set: nothing leaves the machine; each call is recorded in the state database for the dashboard.</summary>
public sealed class SandboxWiseTimeClient(
    IDbContextFactory<ConnectorStateDbContext> state,
    StateWriteGate writeGate,
    TimeProvider clock,
    ILogger<SandboxWiseTimeClient> logger) : IWiseTimeClient
{
    public async Task<TagDeleteOutcome> TagDeleteAsync(string tagName, CancellationToken cancellationToken)
    {
        await RecordAsync("tag/delete", new { name = tagName }, cancellationToken);
        return TagDeleteOutcome.Deleted;
    }

    private async Task RecordAsync(string operation, object body, CancellationToken ct)
    {
        using (await writeGate.EnterAsync(ct))
        {
            await using var db = await state.CreateDbContextAsync(ct);
            db.SandboxWiseTimeCalls.Add(new SandboxWiseTimeCall
            {
                Operation = operation,
                Body = JsonSerializer.Serialize(body, WiseTimeJson.Options),
                RecordedAt = clock.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(ct);
        }
        logger.LogInformation("Sandbox WiseTime: recorded {Operation} instead of sending it", operation);
    }
}
