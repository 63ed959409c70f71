using Microsoft.Extensions.Logging.Abstractions;
using PatrawinConnector.Domain.ExternalHours;
using PatrawinConnector.Tests.Support;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace PatrawinConnector.Tests.ExternalHours;

/// <summary>The Kimai 1 source with a real socket between its client and the stand-in (Kestrel on a free local port).</summary>
public sealed class KimaiV1OverHttpTests
{
    private readonly MutableTimeProvider _clock = new(new DateTimeOffset(2024, 5, 20, 8, 0, 0, TimeSpan.Zero));
    private DomainHarness _harness = null!;
    private KimaiV1StandIn _kimai = null!;
    private CiviCrmStandIn _civicrm = null!;
    private StandInServer _server = null!;
    private HttpClient _http = null!;
    private ExternalHoursRig _rig = null!;

    [SetUp]
    public async Task Start()
    {
        _clock.Now = new DateTimeOffset(2024, 5, 20, 8, 0, 0, TimeSpan.Zero);
        _harness = await DomainHarness.StartAsync(clock: _clock);
        _kimai = new KimaiV1StandIn(() => _clock.GetUtcNow().UtcDateTime);
        _civicrm = new CiviCrmStandIn();
        _server = await StandInServer.StartAsync(0, TimeSpan.Zero, new Dictionary<string, HttpMessageHandler> { ["kimai"] = _kimai });
        _http = new HttpClient { BaseAddress = new Uri(_server.BaseAddress, "/kimai/core/") };
        var options = new ExternalHoursOptions
        {
            KimaiApiVersion = 1, KimaiUrl = $"{_server.BaseAddress}kimai", KimaiApiKey = KimaiV1StandIn.ApiKey,
            CivicrmApi4Url = "https://crm.test/civicrm/ajax/api4", CivicrmApiKey = "civi-key", CivicrmTimeZone = "Europe/Berlin", FullReconcile = "DISABLED",
        };
        _rig = new ExternalHoursRig(_harness, _clock, options, _civicrm,
            () => new KimaiV1Source(new KimaiV1Client(_http, MsOptions.Create(options)), MsOptions.Create(options), NullLogger<KimaiV1Source>.Instance));
        _kimai.Projects.Add(new() { ["projectID"] = "3", ["name"] = "Servers", ["customerID"] = "1", ["customerName"] = "Acme" });
    }

    [TearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        _kimai.Dispose();
        _civicrm.Dispose();
        await _harness.DisposeAsync();
    }

    [Test]
    public async Task Run_OverHttp_FirstSyncThenAnEdit()
    {
        await _rig.MapAsync(3, 202);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3, "first");
        await _rig.RunAsync();
        _clock.Now += TimeSpan.FromMinutes(5);
        _kimai.Edit(1201, r => r with { Comment = "second" });

        var summary = await _rig.RunAsync();

        Assert.That(summary.Updated, Is.EqualTo(1));
        Assert.That(_civicrm.ActivityFor(1201)["details"]!.GetValue<string>(), Is.EqualTo("second"));
        Assert.That(_kimai.Unconfirmed, Is.Zero);
        Assert.That(_server.Requests, Is.GreaterThan(5));
    }

    [Test]
    public async Task Run_OverHttp_ConnectionDroppedAfterTheConfirmation_RunFailsNamingKimaiNextRunClean()
    {
        await _rig.MapAsync(3, 202);
        _kimai.Insert(1201, "2024-05-14T09:00:00+0200", "2024-05-14T10:30:00+0200", 3);
        _kimai.LoseNextConfirm = true;

        Assert.That(_rig.RunAsync, Throws.InstanceOf<ExternalServiceException>().With.Message.StartsWith("Kimai: could not be reached (civicrm.php confirmQueueMessage)"));
        _clock.Now += TimeSpan.FromMinutes(5);
        await _rig.RunAsync();

        Assert.That(_civicrm.Activities, Has.Count.EqualTo(1));
        Assert.That(_kimai.Unconfirmed, Is.Zero);
    }
}
