using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.WiseTime;
using PatrawinConnector.Domain.WiseTime.Contracts;

namespace PatrawinConnector.Domain.ActivityTypes;

/// <summary>What one activity-type-sync run did.</summary>
public sealed record ActivityTypeSyncSummary(bool Sent, int Count, string Reason)
{
    public override string ToString() => Sent ? $"sent {Count} activity types ({Reason})" : $"nothing sent ({Reason})";
}

/// <summary>
/// activity-type-sync: Patrawin's activity codes as WiseTime activity types, inside a sync session (WiseTime deletes
/// the types a completed session did not send). Skipped when nothing changed since the last sync and that sync is less
/// than a day old. A failed run cancels its session and records nothing, so the next run sends everything again.
/// </summary>
public sealed class ActivityTypeSyncService(
    ActivityTypeQueries queries,
    IWiseTimeClient wiseTime,
    IDbContextFactory<ConnectorStateDbContext> state,
    StateWriteGate writeGate,
    TimeProvider clock,
    IOptions<ActivityTypeOptions> options,
    ILogger<ActivityTypeSyncService> logger)
{
    public static readonly TimeSpan ResendAfter = TimeSpan.FromHours(24);

    public async Task<ActivityTypeSyncSummary> RunAsync(CancellationToken cancellationToken)
    {
        var types = (await queries.ReadAsync(cancellationToken))
            .Select(r => new ActivityType
            {
                Code = r.Code.ToString(CultureInfo.InvariantCulture),
                Label = string.IsNullOrWhiteSpace(r.Label) ? r.Code.ToString(CultureInfo.InvariantCulture) : r.Label.Trim(),
                Description = string.Empty,
                EnableIfNew = options.Value.EnableIfNew,
            })
            .ToList();
        var hash = Hash(types);
        var now = clock.GetUtcNow().UtcDateTime;

        await using var db = await state.CreateDbContextAsync(cancellationToken);
        var last = await db.ActivityTypeSync.AsNoTracking().FirstOrDefaultAsync(s => s.Id == ActivityTypeSyncState.SingletonId, cancellationToken);
        if (last is not null && last.Hash == hash && now - last.SyncedAt < ResendAfter)
        {
            return Log(new ActivityTypeSyncSummary(false, types.Count, "unchanged since the last sync"));
        }

        await SendAsync(types, cancellationToken);

        using (await writeGate.EnterAsync(cancellationToken))
        {
            var row = await db.ActivityTypeSync.FirstOrDefaultAsync(s => s.Id == ActivityTypeSyncState.SingletonId, cancellationToken);
            if (row is null)
            {
                db.ActivityTypeSync.Add(new ActivityTypeSyncState { Hash = hash, SyncedAt = now, Count = types.Count });
            }
            else
            {
                row.Hash = hash;
                row.SyncedAt = now;
                row.Count = types.Count;
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        return Log(new ActivityTypeSyncSummary(true, types.Count, last is null ? "first sync" : last.Hash != hash ? "codes changed" : "daily resend"));
    }

    private async Task SendAsync(List<ActivityType> types, CancellationToken ct)
    {
        var session = await wiseTime.ActivityTypeSyncStartAsync(ct);
        try
        {
            foreach (var batch in types.Chunk(options.Value.BatchSize))
            {
                var response = await wiseTime.ActivityTypeUpsertBatchAsync(new SyncActivityTypesRequest(batch, session.SyncSessionId), ct);
                if (response.Errors is { Count: > 0 } errors)
                {
                    // Completing now would make WiseTime delete the refused types: fail the run instead.
                    var first = errors[0];
                    throw new WiseTimeApiException(WiseTimeErrorCategory.Permanent,
                        $"WiseTime refused {errors.Count} activity types, the first ({(first.Index >= 0 && first.Index < batch.Length ? batch[first.Index].Code : "?")}): {first.ErrorDescription}");
                }
            }
            await wiseTime.ActivityTypeSyncCompleteAsync(session, ct);
        }
        catch
        {
            await CancelQuietlyAsync(session);
            throw;
        }
    }

    private async Task CancelQuietlyAsync(SyncSession session)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await wiseTime.ActivityTypeSyncCancelAsync(session, timeout.Token);
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not cancel activity type sync session {SessionId}: {Reason}", session.SyncSessionId, e.Message);
        }
    }

    /// <summary>SHA-256 over every code and label, independent of the batch size (the Java hash depended on its page size).</summary>
    internal static string Hash(IEnumerable<ActivityType> types)
    {
        var text = new StringBuilder();
        foreach (var type in types)
        {
            text.Append(type.Code).Append('\u001f').Append(type.Label).Append('\u001e');
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private ActivityTypeSyncSummary Log(ActivityTypeSyncSummary summary)
    {
        logger.LogInformation("activity-type-sync: {Summary}", summary);
        return summary;
    }
}
