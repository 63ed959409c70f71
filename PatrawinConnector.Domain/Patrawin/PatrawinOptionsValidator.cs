using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Options;

namespace PatrawinConnector.Domain.Patrawin;

internal sealed class PatrawinOptionsValidator : IValidateOptions<PatrawinOptions>
{
    public ValidateOptionsResult Validate(string? name, PatrawinOptions options)
    {
        var failures = new List<string>();
        var hasJdbc = !string.IsNullOrWhiteSpace(options.JdbcUrl);
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);

        if (hasJdbc && hasConnectionString)
        {
            failures.Add("PATRAWIN_JDBC_URL and PATRAWIN_CONNECTION_STRING are both set: set only one. " +
                         "Example: PATRAWIN_JDBC_URL=jdbc:sqlserver://dbhost:1433;databaseName=Patrawin");
        }

        switch (options.EffectiveProvider)
        {
            case PatrawinProvider.SqlServer when hasJdbc:
                if (!JdbcUrl.TryTranslate(options.JdbcUrl!, options.DbUser, options.DbPassword, out _, out var problem))
                {
                    failures.Add($"PATRAWIN_JDBC_URL is not a SQL Server JDBC URL: {problem}. " +
                                 "Example: PATRAWIN_JDBC_URL=jdbc:sqlserver://dbhost:1433;databaseName=Patrawin");
                }
                break;
            case PatrawinProvider.SqlServer when hasConnectionString:
                if (!TryParseConnectionString(options.ConnectionString!))
                {
                    failures.Add("PATRAWIN_CONNECTION_STRING is not a valid SQL Server connection string. " +
                                 "Example: PATRAWIN_CONNECTION_STRING=Server=dbhost,1433;Database=Patrawin;User ID=wisetime;Password=…;Encrypt=Optional");
                }
                break;
            case PatrawinProvider.SqlServer:
                failures.Add("PATRAWIN_PROVIDER is sqlserver but neither PATRAWIN_JDBC_URL nor PATRAWIN_CONNECTION_STRING is set. " +
                             "Example: PATRAWIN_JDBC_URL=jdbc:sqlserver://dbhost:1433;databaseName=Patrawin");
                break;
            case PatrawinProvider.Sqlite when hasJdbc:
                failures.Add("PATRAWIN_PROVIDER is sqlite but PATRAWIN_JDBC_URL is set; a SQLite file is given with " +
                             "PATRAWIN_CONNECTION_STRING. Example: PATRAWIN_CONNECTION_STRING=Data Source=/data/patrawin.db");
                break;
            case PatrawinProvider.Sqlite when hasConnectionString && !TryParseSqliteConnectionString(options.ConnectionString!):
                failures.Add("PATRAWIN_CONNECTION_STRING is not a SQLite connection string with a Data Source. " +
                             "Example: PATRAWIN_CONNECTION_STRING=Data Source=/data/patrawin.db");
                break;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
        {
            failures.Add($"TIMEZONE '{options.TimeZone}' is not a known IANA time zone. Example: TIMEZONE=Europe/Stockholm");
        }

        SettingChecks.InRange(failures, "PATRAWIN_COMMAND_TIMEOUT_SECONDS", options.CommandTimeoutSeconds, 1, 600, 20);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool TryParseConnectionString(string value)
    {
        try
        {
            var builder = new SqlConnectionStringBuilder(value);
            return !string.IsNullOrWhiteSpace(builder.DataSource);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool TryParseSqliteConnectionString(string value)
    {
        try
        {
            var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(value);
            return !string.IsNullOrWhiteSpace(builder.DataSource);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
