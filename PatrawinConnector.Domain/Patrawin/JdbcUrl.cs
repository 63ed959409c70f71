using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Data.SqlClient;

namespace PatrawinConnector.Domain.Patrawin;

/// <summary>The result of translating the Java connector's PATRAWIN_JDBC_URL into a SqlClient connection string.</summary>
/// <param name="ConnectionString">The SqlClient connection string (it holds the password: never log it).</param>
/// <param name="IgnoredProperties">JDBC properties SqlClient has no equivalent for (worth one log line).</param>
/// <param name="EncryptionDefaulted">True when the URL said nothing about encryption and Encrypt=Optional was chosen, as the Java driver did.</param>
public sealed record JdbcTranslation(string ConnectionString, IReadOnlyList<string> IgnoredProperties, bool EncryptionDefaulted)
{
    public override string ToString() => $"JdbcTranslation {{ ConnectionString = ***, IgnoredProperties = [{string.Join(", ", IgnoredProperties)}] }}";
}

/// <summary>
/// Translates <c>jdbc:sqlserver://[host][\instance][:port][;name=value]*</c> into a SqlClient connection string,
/// covering the properties the Java connector's users put in their URLs (docs/configuration.md has the table).
/// </summary>
public static class JdbcUrl
{
    private const string Prefix = "jdbc:sqlserver://";
    private const int DefaultPort = 1433;

    public static JdbcTranslation Translate(string url, string? user, string? password) =>
        TryTranslate(url, user, password, out var translation, out var problem)
            ? translation
            : throw new FormatException($"PATRAWIN_JDBC_URL is not a SQL Server JDBC URL: {problem}");

    public static bool TryTranslate(
        string url, string? user, string? password,
        [NotNullWhen(true)] out JdbcTranslation? translation,
        [NotNullWhen(false)] out string? problem)
    {
        translation = null;
        url = url.Trim();
        if (!url.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            problem = $"it must start with '{Prefix}'";
            return false;
        }

        if (!TrySplit(url[Prefix.Length..], out var serverPart, out var properties, out problem))
        {
            return false;
        }

        string? host = null, instance = null;
        int? port = null;
        if (serverPart.Length > 0 && !TryParseServer(serverPart, out host, out instance, out port, out problem))
        {
            return false;
        }

        var builder = new SqlConnectionStringBuilder();
        var ignored = new List<string>();
        string? encrypt = null, ssl = null, urlUser = null, urlPassword = null;
        bool? trustServerCertificate = null;
        foreach (var (name, value) in properties)
        {
            switch (name.ToLowerInvariant())
            {
                case "servername" or "server":
                    host = value;
                    break;
                case "instancename":
                    instance = value;
                    break;
                case "portnumber" or "port":
                    if (!TryParsePort(value, out var p))
                    {
                        problem = $"port '{value}' is not a number between 1 and 65535";
                        return false;
                    }
                    port = p;
                    break;
                case "databasename" or "database":
                    builder.InitialCatalog = value;
                    break;
                case "user" or "username":
                    urlUser = value;
                    break;
                case "password":
                    urlPassword = value;
                    break;
                case "integratedsecurity":
                    if (!TryParseBool(name, value, out var integrated, out problem))
                    {
                        return false;
                    }
                    builder.IntegratedSecurity = integrated;
                    break;
                case "encrypt":
                    encrypt = value;
                    break;
                case "ssl":
                    ssl = value;
                    break;
                case "trustservercertificate":
                    if (!TryParseBool(name, value, out var trust, out problem))
                    {
                        return false;
                    }
                    trustServerCertificate = trust;
                    break;
                case "hostnameincertificate":
                    builder.HostNameInCertificate = value;
                    break;
                case "logintimeout":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 65535)
                    {
                        problem = $"loginTimeout '{value}' is not a number of seconds";
                        return false;
                    }
                    builder.ConnectTimeout = seconds;
                    break;
                case "applicationname":
                    builder.ApplicationName = value;
                    break;
                case "applicationintent":
                    if (!Enum.TryParse<ApplicationIntent>(value, ignoreCase: true, out var intent) || !Enum.IsDefined(intent))
                    {
                        problem = $"applicationIntent '{value}' must be ReadWrite or ReadOnly";
                        return false;
                    }
                    builder.ApplicationIntent = intent;
                    break;
                case "multisubnetfailover":
                    if (!TryParseBool(name, value, out var failover, out problem))
                    {
                        return false;
                    }
                    builder.MultiSubnetFailover = failover;
                    break;
                default:
                    ignored.Add(name);
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(host))
        {
            problem = "it names no server (jdbc:sqlserver://HOST:PORT;databaseName=…)";
            return false;
        }

        builder.DataSource = port is { } explicitPort
            ? $"{host},{explicitPort.ToString(CultureInfo.InvariantCulture)}"   // an explicit port wins over the instance
            : instance is { Length: > 0 } ? $@"{host}\{instance}" : $"{host},{DefaultPort.ToString(CultureInfo.InvariantCulture)}";

        if (!string.IsNullOrEmpty(user ?? urlUser))
        {
            builder.UserID = user ?? urlUser;
        }
        if (!string.IsNullOrEmpty(password ?? urlPassword))
        {
            builder.Password = password ?? urlPassword;
        }

        if (!TryApplyEncryption(builder, encrypt, ssl, out var defaulted, out problem))
        {
            return false;
        }
        if (trustServerCertificate is { } explicitTrust)
        {
            builder.TrustServerCertificate = explicitTrust;   // an explicit setting wins over ssl=require's default
        }

        translation = new JdbcTranslation(builder.ConnectionString, ignored, defaulted);
        problem = null;
        return true;
    }

    private static bool TryApplyEncryption(SqlConnectionStringBuilder builder, string? encrypt, string? ssl, out bool defaulted, [NotNullWhen(false)] out string? problem)
    {
        defaulted = false;
        problem = null;
        if (encrypt is not null)
        {
            switch (encrypt.ToLowerInvariant())
            {
                case "true" or "mandatory":
                    builder.Encrypt = SqlConnectionEncryptOption.Mandatory;
                    return true;
                case "false" or "optional":
                    builder.Encrypt = SqlConnectionEncryptOption.Optional;
                    return true;
                case "strict":
                    builder.Encrypt = SqlConnectionEncryptOption.Strict;
                    return true;
                default:
                    problem = $"encrypt '{encrypt}' must be true, false or strict";
                    return false;
            }
        }

        switch (ssl?.ToLowerInvariant())
        {
            case null:
                // The Microsoft JDBC driver 8.2 the Java connector used did not encrypt unless asked; SqlClient
                // would demand a trusted certificate, which the usual self-signed Patrawin server lacks.
                builder.Encrypt = SqlConnectionEncryptOption.Optional;
                defaulted = true;
                return true;
            case "off" or "request":
                builder.Encrypt = SqlConnectionEncryptOption.Optional;
                return true;
            case "require":
                builder.Encrypt = SqlConnectionEncryptOption.Mandatory;
                builder.TrustServerCertificate = true;
                return true;
            case "authenticate":
                builder.Encrypt = SqlConnectionEncryptOption.Mandatory;
                return true;
            default:
                problem = $"ssl '{ssl}' must be off, request, require or authenticate";
                return false;
        }
    }

    private static bool TrySplit(string rest, out string serverPart, out List<(string Name, string Value)> properties, [NotNullWhen(false)] out string? problem)
    {
        properties = [];
        var separator = rest.IndexOf(';', StringComparison.Ordinal);
        serverPart = separator < 0 ? rest : rest[..separator];
        var position = separator < 0 ? rest.Length : separator + 1;
        while (position < rest.Length)
        {
            var equals = rest.IndexOf('=', position);
            var end = rest.IndexOf(';', position);
            if (end == position)
            {
                position++;   // an empty segment (";;" or a trailing ";")
                continue;
            }
            if (equals < 0 || (end >= 0 && end < equals))
            {
                problem = $"property {properties.Count + 1} after the server has no '=value'";
                return false;
            }

            var name = rest[position..equals].Trim();
            string value;
            var valueStart = equals + 1;
            if (valueStart < rest.Length && rest[valueStart] == '{')
            {
                var close = rest.IndexOf('}', valueStart);
                if (close < 0)
                {
                    problem = $"the value of '{name}' opens '{{' but never closes it";
                    return false;
                }
                value = rest[(valueStart + 1)..close];
                var next = rest.IndexOf(';', close);
                position = next < 0 ? rest.Length : next + 1;
            }
            else
            {
                var next = rest.IndexOf(';', valueStart);
                value = (next < 0 ? rest[valueStart..] : rest[valueStart..next]).Trim();
                position = next < 0 ? rest.Length : next + 1;
            }

            if (name.Length == 0)
            {
                problem = "a property has no name";
                return false;
            }
            properties.Add((name, value));
        }

        problem = null;
        return true;
    }

    private static bool TryParseServer(string serverPart, out string? host, out string? instance, out int? port, [NotNullWhen(false)] out string? problem)
    {
        host = serverPart;
        instance = null;
        port = null;
        problem = null;

        var colon = host.LastIndexOf(':');
        if (colon >= 0)
        {
            if (!TryParsePort(host[(colon + 1)..], out var p))
            {
                problem = $"port '{host[(colon + 1)..]}' is not a number between 1 and 65535";
                return false;
            }
            port = p;
            host = host[..colon];
        }

        var backslash = host.IndexOf('\\', StringComparison.Ordinal);
        if (backslash >= 0)
        {
            instance = host[(backslash + 1)..];
            host = host[..backslash];
        }

        return true;
    }

    private static bool TryParsePort(string value, out int port) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    private static bool TryParseBool(string name, string value, out bool result, [NotNullWhen(false)] out string? problem)
    {
        problem = null;
        if (bool.TryParse(value, out result))
        {
            return true;
        }
        problem = $"{name} '{value}' must be true or false";
        return false;
    }
}
