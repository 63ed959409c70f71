using System.Data;
using Microsoft.Data.SqlClient;
using PatrawinConnector.Domain.Patrawin;

namespace PatrawinConnector.Tests.Patrawin;

/// <summary>No SQL Server runs here: the pw_PostTime call is proven by the command it sends.</summary>
public sealed class SqlServerTimePosterTests
{
    private static readonly TimeEntry Entry = new(
        "P1033SE00", "JSM", 120, "Drafted\r\nresponse", new DateTimeOffset(2024, 3, 14, 7, 10, 0, TimeSpan.FromHours(1)), 2796, 1398);

    [Test]
    public void CreateCommand_Entry_CallsStoredProcedureWithItsTimeout()
    {
        using var command = SqlServerTimePoster.CreateCommand(new SqlConnection(), null, Entry, 17);

        Assert.That(command.CommandType, Is.EqualTo(CommandType.StoredProcedure));
        Assert.That(command.CommandText, Is.EqualTo("dbo.pw_PostTime"));
        Assert.That(command.CommandTimeout, Is.EqualTo(17));
    }

    [Test]
    public void CreateCommand_Entry_TypedParametersInProcedureOrderWithReturnValue()
    {
        using var command = SqlServerTimePoster.CreateCommand(new SqlConnection(), null, Entry, 20);

        var shape = command.Parameters.Cast<SqlParameter>()
            .Select(p => $"{p.ParameterName} {p.SqlDbType} {p.Size} {p.Direction}")
            .ToList();

        Assert.That(shape, Is.EqualTo(new[]
        {
            "@RETURN_VALUE Int 0 ReturnValue",
            "@case_or_client_id NVarChar 50 Input",
            "@username_or_email NVarChar 50 Input",
            "@activity_code Int 0 Input",
            "@narrative NVarChar -1 Input",
            "@narrative_internal_note NVarChar -1 Input",
            "@start_time DateTimeOffset 0 Input",
            "@total_time_secs BigInt 0 Input",
            "@chargeable_time_secs BigInt 0 Input",
        }));
    }

    [Test]
    public void CreateCommand_Entry_ValuesAsJavaPassedThemWithStartInUtc()
    {
        using var command = SqlServerTimePoster.CreateCommand(new SqlConnection(), null, Entry, 20);
        var values = command.Parameters.Cast<SqlParameter>().Skip(1).Select(p => p.Value).ToList();

        Assert.That(values, Is.EqualTo(new object[]
        {
            "P1033SE00", "JSM", 120, "Drafted\r\nresponse", "",
            new DateTimeOffset(2024, 3, 14, 6, 10, 0, TimeSpan.Zero), 2796L, 1398L,
        }));
        Assert.That(((DateTimeOffset)command.Parameters["@start_time"].Value).Offset, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task PostAsync_ServerUnreachable_ThrowsDatabaseFault()
    {
        var connection = new PatrawinConnectionString(
            JdbcUrl.Translate("jdbc:sqlserver://127.0.0.1:1;databaseName=Patrawin;loginTimeout=1", "u", "p").ConnectionString);
        var poster = new SqlServerTimePoster(connection, Microsoft.Extensions.Options.Options.Create(new PatrawinOptions()));

        Assert.That(async () => await poster.PostAsync([Entry], CancellationToken.None), Throws.InstanceOf<SqlException>());
        await Task.CompletedTask;
    }
}
