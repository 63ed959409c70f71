using PatrawinConnector.Domain.Tags;

namespace PatrawinConnector.Tests.Tags;

public sealed class TagMapperTests
{
    [Test]
    public void TryMap_Case_JavaShape()
    {
        TagMapper.TryMap(new TagRow("P1033SE00", "  ACME widget  ", null), "/Patrawin/", out var tag, out _);

        Assert.That(tag!.Name, Is.EqualTo("P1033SE00"));
        Assert.That(tag.Description, Is.EqualTo("ACME widget"));
        Assert.That(tag.Path, Is.EqualTo("/Patrawin/"));
        Assert.That(tag.AdditionalKeywords, Is.EqualTo(new[] { "P1033SE00" }));
    }

    [TestCase(null, "")]
    [TestCase("   ", "")]
    [TestCase("Line\r\nbreak\tand tab", "Line  break and tab")]
    [TestCase("Ärende för Skärgård 日本", "Ärende för Skärgård 日本")]
    [TestCase("a\u007Fb\u0085c\u009Fd\u0000e", "a b c d e")]
    [TestCase("no-break\u00A0space", "no-break\u00A0space")]
    public void TryMap_OddDescription_CleanDescription(string? description, string expected)
    {
        Assert.That(TagMapper.TryMap(new TagRow("P1", description, null), "/", out var tag, out _), Is.True);
        Assert.That(tag!.Description, Is.EqualTo(expected));
    }

    [Test]
    public void TryMap_VeryLongDescription_KeptWhole()
    {
        var description = new string('x', 250);

        TagMapper.TryMap(new TagRow("P1", description, null), "/", out var tag, out _);

        Assert.That(tag!.Description, Has.Length.EqualTo(250));
    }

    [TestCase(" P1033 SE00 ", "P1033 SE00")]
    [TestCase("Å-100-日本", "Å-100-日本")]
    public void TryMap_NumberWithSpacesOrUnicode_TrimmedValidTag(string number, string expected)
    {
        Assert.That(TagMapper.TryMap(new TagRow(number, "x", null), "/", out var tag, out _), Is.True);
        Assert.That(tag!.Name, Is.EqualTo(expected));
    }

    [TestCase("", "blank")]
    [TestCase("   ", "blank")]
    [TestCase("P1\tX", "control characters")]
    [TestCase("P1\nX", "control characters")]
    [TestCase("P1\u0000X", "control characters")]
    [TestCase("P1\u007FX", "control characters")]
    [TestCase("P1\u009FX", "control characters")]
    public void TryMap_UnusableNumber_SkippedWithReason(string number, string expected)
    {
        Assert.That(TagMapper.TryMap(new TagRow(number, "x", null), "/", out _, out var reason), Is.False);
        Assert.That(reason, Does.Contain(expected));
    }

    [Test]
    public void TryMap_ClientSharingCaseNumber_SkippedWithReason()
    {
        Assert.That(TagMapper.TryMap(new TagRow("C1", "x", null, SharesNumberWithCase: true), "/", out _, out var reason), Is.False);
        Assert.That(reason, Does.Contain("a case has the same number"));
    }
}
