using PatrawinConnector.Domain.PostedTime;

namespace PatrawinConnector.Tests.PostedTime;

public sealed class DurationsTests
{
    // wisetime-patrawin.md section c, worked examples: total, weighting → chargeable seconds and Patrawin minutes
    [TestCase(2796, 50, 1398, 23)]
    [TestCase(3600, 50, 1800, 30)]
    [TestCase(1200, 40, 480, 8)]
    [TestCase(1000, 40, 400, 6)]
    [TestCase(104, 10, 11, 0)]
    [TestCase(1001, 33, 331, 5)]
    [TestCase(3000, 50, 1500, 25)]
    [TestCase(220, -1, 220, 3)]
    [TestCase(220, 0, 220, 3)]
    [TestCase(220, null, 220, 3)]
    [TestCase(0, 100, 0, 0)]
    [TestCase(100, 150, 150, 2)]
    public void Chargeable_WorkedExamples_MatchSpecification(long total, int? weighting, long expectedChargeable, int expectedMinutes)
    {
        var chargeable = Durations.Chargeable(total, Durations.EffectiveWeighting(weighting));

        Assert.That(chargeable, Is.EqualTo(expectedChargeable));
        Assert.That(chargeable / 60, Is.EqualTo(expectedMinutes));
    }

    [TestCase(0, "0s")]
    [TestCase(66, "1m 6s")]
    [TestCase(2400, "40m")]
    [TestCase(3601, "1h 1s")]
    [TestCase(3600, "1h")]
    [TestCase(2796, "46m 36s")]
    [TestCase(90000, "25h")]
    [TestCase(90061, "25h 1m 1s")]
    public void Format_Seconds_HoursMinutesSecondsWithoutZeroParts(long seconds, string expected) =>
        Assert.That(Durations.Format(seconds), Is.EqualTo(expected));
}
