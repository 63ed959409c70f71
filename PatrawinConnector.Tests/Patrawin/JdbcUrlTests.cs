using Microsoft.Data.SqlClient;
using PatrawinConnector.Domain.Patrawin;

namespace PatrawinConnector.Tests.Patrawin;

public sealed class JdbcUrlTests
{
    [Test]
    public void Translate_DocumentedExample_HostPortDatabaseOptionalEncryption()
    {
        var result = JdbcUrl.Translate("jdbc:sqlserver://HOST:1433;databaseName=DATABASE_NAME;ssl=request;useCursors=true", "dbuser", "dbpass");
        var builder = new SqlConnectionStringBuilder(result.ConnectionString);

        Assert.That(builder.DataSource, Is.EqualTo("HOST,1433"));
        Assert.That(builder.InitialCatalog, Is.EqualTo("DATABASE_NAME"));
        Assert.That(builder.UserID, Is.EqualTo("dbuser"));
        Assert.That(builder.Password, Is.EqualTo("dbpass"));
        Assert.That(builder.Encrypt, Is.EqualTo(SqlConnectionEncryptOption.Optional));
        Assert.That(result.IgnoredProperties, Is.EqualTo(new[] { "useCursors" }));
        Assert.That(result.EncryptionDefaulted, Is.False);
    }

    // JDBC property → the SqlClient keyword and value it becomes (wisetime-patrawin.md section i)
    [TestCase("jdbc:sqlserver://db", "Data Source", "db,1433")]
    [TestCase("jdbc:sqlserver://db:1500", "Data Source", "db,1500")]
    [TestCase(@"jdbc:sqlserver://db\PATRAWIN", "Data Source", @"db\PATRAWIN")]
    [TestCase(@"jdbc:sqlserver://db\PATRAWIN:1500", "Data Source", "db,1500")]
    [TestCase("jdbc:sqlserver://;serverName=db;portNumber=1501", "Data Source", "db,1501")]
    [TestCase("jdbc:sqlserver://;serverName=db;instanceName=PW", "Data Source", @"db\PW")]
    [TestCase("jdbc:sqlserver://db;database=Patrawin", "Initial Catalog", "Patrawin")]
    [TestCase("jdbc:sqlserver://db;DATABASENAME=Patrawin", "Initial Catalog", "Patrawin")]
    [TestCase("jdbc:sqlserver://db;integratedSecurity=true", "Integrated Security", "True")]
    [TestCase("jdbc:sqlserver://db;encrypt=true", "Encrypt", "Mandatory")]
    [TestCase("jdbc:sqlserver://db;encrypt=false", "Encrypt", "Optional")]
    [TestCase("jdbc:sqlserver://db;encrypt=strict", "Encrypt", "Strict")]
    [TestCase("jdbc:sqlserver://db", "Encrypt", "Optional")]
    [TestCase("jdbc:sqlserver://db;ssl=require", "Encrypt", "Mandatory")]
    [TestCase("jdbc:sqlserver://db;ssl=require", "Trust Server Certificate", "True")]
    [TestCase("jdbc:sqlserver://db;ssl=require;trustServerCertificate=false", "Trust Server Certificate", "False")]
    [TestCase("jdbc:sqlserver://db;trustServerCertificate=false;ssl=require", "Trust Server Certificate", "False")]
    [TestCase("jdbc:sqlserver://db;ssl=authenticate", "Encrypt", "Mandatory")]
    [TestCase("jdbc:sqlserver://db;trustServerCertificate=true", "Trust Server Certificate", "True")]
    [TestCase("jdbc:sqlserver://db;hostNameInCertificate=*.firm.local", "Host Name In Certificate", "*.firm.local")]
    [TestCase("jdbc:sqlserver://db;loginTimeout=7", "Connect Timeout", "7")]
    [TestCase("jdbc:sqlserver://db;applicationName=Connector", "Application Name", "Connector")]
    [TestCase("jdbc:sqlserver://db;applicationIntent=ReadOnly", "Application Intent", "ReadOnly")]
    [TestCase("jdbc:sqlserver://db;multiSubnetFailover=true", "Multi Subnet Failover", "True")]
    [TestCase("jdbc:sqlserver://db;user=urluser", "User ID", "urluser")]
    [TestCase("jdbc:sqlserver://db;password={pa;ss}", "Password", "pa;ss")]
    [TestCase("JDBC:SQLSERVER://db;", "Data Source", "db,1433")]
    public void Translate_Property_BecomesSqlClientKeyword(string url, string keyword, string expected)
    {
        var builder = new SqlConnectionStringBuilder(JdbcUrl.Translate(url, null, null).ConnectionString);

        if (keyword == "Encrypt")
        {
            Assert.That(builder.Encrypt, Is.EqualTo(SqlConnectionEncryptOption.Parse(expected)));
            return;
        }
        Assert.That(Convert.ToString(builder[keyword], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(expected));
    }

    [Test]
    public void Translate_NoEncryptionSetting_ReportsTheDefault()
    {
        Assert.That(JdbcUrl.Translate("jdbc:sqlserver://db", null, null).EncryptionDefaulted, Is.True);
    }

    [Test]
    public void Translate_UserAndPasswordFromEnvironment_WinOverUrl()
    {
        var builder = new SqlConnectionStringBuilder(
            JdbcUrl.Translate("jdbc:sqlserver://db;user=a;password=b", "envuser", "envpass").ConnectionString);

        Assert.That((builder.UserID, builder.Password), Is.EqualTo(("envuser", "envpass")));
    }

    [TestCase("jdbc:jtds:sqlserver://db:1433/Patrawin", "must start with")]
    [TestCase("Server=db;Database=x", "must start with")]
    [TestCase("jdbc:sqlserver://", "names no server")]
    [TestCase("jdbc:sqlserver://db:99999", "port '99999'")]
    [TestCase("jdbc:sqlserver://db:abc", "port 'abc'")]
    [TestCase("jdbc:sqlserver://db;encrypt=maybe", "encrypt 'maybe'")]
    [TestCase("jdbc:sqlserver://db;ssl=sometimes", "ssl 'sometimes'")]
    [TestCase("jdbc:sqlserver://db;loginTimeout=soon", "loginTimeout 'soon'")]
    [TestCase("jdbc:sqlserver://db;trustServerCertificate=yes", "trustServerCertificate 'yes'")]
    [TestCase("jdbc:sqlserver://db;applicationIntent=Sometimes", "applicationIntent 'Sometimes'")]
    [TestCase("jdbc:sqlserver://db;password={open", "never closes")]
    [TestCase("jdbc:sqlserver://db;justAWord", "has no '=value'")]
    public void TryTranslate_BrokenUrl_ExplainsTheProblem(string url, string expected)
    {
        Assert.That(JdbcUrl.TryTranslate(url, null, null, out _, out var problem), Is.False);
        Assert.That(problem, Does.Contain(expected));
    }

    [Test]
    public void TryTranslate_BrokenUrlWithPassword_NeverRepeatsThePassword()
    {
        JdbcUrl.TryTranslate("jdbc:sqlserver://db;password={Sup3rSecret;port=x", null, "Sup3rSecret", out _, out var problem);
        JdbcUrl.TryTranslate("jdbc:sqlserver://db;Sup3rSecret", null, null, out _, out var second);

        Assert.That(problem, Does.Not.Contain("Sup3rSecret"));
        Assert.That(second, Does.Not.Contain("Sup3rSecret"));
    }
}
