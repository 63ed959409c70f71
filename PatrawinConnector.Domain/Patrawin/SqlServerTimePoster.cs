using System.Data;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Options;

namespace PatrawinConnector.Domain.Patrawin;

/// <summary>Calls Patrawin's pw_PostTime stored procedure on SQL Server, every entry of a group in one transaction.</summary>
public sealed class SqlServerTimePoster(PatrawinConnectionString connectionString, IOptions<PatrawinOptions> options) : IPatrawinTimePoster
{
    internal const string ProcedureName = "dbo.pw_PostTime";

    public async Task<PostTimeResult> PostAsync(IReadOnlyList<TimeEntry> entries, CancellationToken cancellationToken)
    {
        try
        {
            return await PostInTransactionAsync(entries, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            // SqlClient's own faults: no pooled connection in time, a connection or transaction broken mid-way
            throw new PatrawinUnavailableException($"Patrawin's SQL Server connection failed: {e.Message}", e);
        }
    }

    private async Task<PostTimeResult> PostInTransactionAsync(IReadOnlyList<TimeEntry> entries, CancellationToken cancellationToken)
    {
        await using var connection = new SqlConnection(connectionString.Value);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = (SqlTransaction)await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

        var ids = new List<int>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            await using var command = CreateCommand(connection, transaction, entries[i], options.Value.CommandTimeoutSeconds);
            await command.ExecuteNonQueryAsync(cancellationToken);
            var returnValue = (int)command.Parameters["@RETURN_VALUE"].Value;
            if (returnValue > 0)
            {
                ids.Add(returnValue);
                continue;
            }

            await transaction.RollbackAsync(CancellationToken.None);
            return Enum.IsDefined((PostTimeRefusal)returnValue)
                ? new PostTimeResult.Refused(i, (PostTimeRefusal)returnValue)
                : throw new UnexpectedPostTimeResultException(returnValue);
        }

        await transaction.CommitAsync(cancellationToken);
        return new PostTimeResult.Inserted(ids);
    }

    /// <summary>
    /// The pw_PostTime call for one entry: typed parameters (rule R8) with the procedure's own sizes, and its return value.
    /// </summary>
    internal static SqlCommand CreateCommand(SqlConnection connection, SqlTransaction? transaction, TimeEntry entry, int timeoutSeconds)
    {
        var command = new SqlCommand(ProcedureName, connection, transaction)
        {
            CommandType = CommandType.StoredProcedure,
            CommandTimeout = timeoutSeconds,
        };
        var parameters = command.Parameters;
        parameters.Add(new SqlParameter("@RETURN_VALUE", SqlDbType.Int) { Direction = ParameterDirection.ReturnValue });
        parameters.Add(new SqlParameter("@case_or_client_id", SqlDbType.NVarChar, 50) { Value = entry.CaseOrClientNumber });
        parameters.Add(new SqlParameter("@username_or_email", SqlDbType.NVarChar, 50) { Value = entry.Author });
        parameters.Add(new SqlParameter("@activity_code", SqlDbType.Int) { Value = entry.ActivityCode });
        parameters.Add(new SqlParameter("@narrative", SqlDbType.NVarChar, -1) { Value = entry.Narrative });
        parameters.Add(new SqlParameter("@narrative_internal_note", SqlDbType.NVarChar, -1) { Value = string.Empty });
        parameters.Add(new SqlParameter("@start_time", SqlDbType.DateTimeOffset) { Value = entry.StartTime.ToUniversalTime() });
        parameters.Add(new SqlParameter("@total_time_secs", SqlDbType.BigInt) { Value = entry.WorkedSeconds });
        parameters.Add(new SqlParameter("@chargeable_time_secs", SqlDbType.BigInt) { Value = entry.ChargeableSeconds });
        return command;
    }
}
