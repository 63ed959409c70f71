using System.Text;
using PatrawinConnector.Api.Logging;

namespace PatrawinConnector.Tests.Logging;

/// <summary>AWS's published Signature Version 4 test suite (aws-sig-v4-test-suite): credentials, date and expected signatures as AWS gives them.</summary>
public sealed class SigV4Tests
{
    private static readonly AwsCredentials Credentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static readonly DateTimeOffset Now = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    [Test]
    public void Sign_GetVanilla_MatchesAwsVector()
    {
        var headers = SigV4.Sign("GET", new Uri("https://example.amazonaws.com/"), [], [], Credentials, "us-east-1", "service", Now);

        Assert.That(headers.Single(h => h.Key == "Authorization").Value, Is.EqualTo(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, " +
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
        Assert.That(headers.Single(h => h.Key == "X-Amz-Date").Value, Is.EqualTo("20150830T123600Z"));
    }

    [Test]
    public void Sign_PostVanilla_MatchesAwsVector()
    {
        var headers = SigV4.Sign("POST", new Uri("https://example.amazonaws.com/"), [], [], Credentials, "us-east-1", "service", Now);

        Assert.That(headers.Single(h => h.Key == "Authorization").Value, Does.EndWith(
            "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"));
    }

    [Test]
    public void Sign_GetVanillaQueryOrderKeyCase_MatchesAwsVector()
    {
        var headers = SigV4.Sign("GET", new Uri("https://example.amazonaws.com/?Param2=value2&Param1=value1"), [], [], Credentials, "us-east-1", "service", Now);

        Assert.That(headers.Single(h => h.Key == "Authorization").Value, Does.EndWith(
            "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"));
    }

    [Test]
    public void Sign_SessionToken_SignedAndSent()
    {
        var headers = SigV4.Sign("POST", new Uri("https://logs.eu-west-1.amazonaws.com/"),
            [new("Content-Type", "application/x-amz-json-1.1")], Encoding.UTF8.GetBytes("{}"),
            Credentials with { SessionToken = "token" }, "eu-west-1", "logs", Now);

        Assert.That(headers.Single(h => h.Key == "X-Amz-Security-Token").Value, Is.EqualTo("token"));
        Assert.That(headers.Single(h => h.Key == "Authorization").Value, Does.Contain("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,"));
    }

    [Test]
    public void ToString_Credentials_NoSecret() =>
        Assert.That(Credentials.ToString(), Does.Not.Contain("wJalr"));
}
