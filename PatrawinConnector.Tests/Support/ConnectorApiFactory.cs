using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.WiseTime;

namespace PatrawinConnector.Tests.Support;

/// <summary>
/// The whole connector in memory: settings through UseSetting, state and the sandbox Patrawin in a temp directory of
/// its own, WiseTime replaced by a recording fake.
/// </summary>
public sealed class ConnectorApiFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory? _ownDirectory;
    private readonly string _dataDir;
    private readonly Dictionary<string, string?> _settings;

    private readonly bool _withScheduler;
    private readonly Action<IServiceCollection>? _configureServices;

    /// <param name="settings">Environment settings of the connector under test.</param>
    /// <param name="withScheduler">Keep the Hangfire server and the job registration; by default both are removed so that no job fires during a test.</param>
    /// <param name="dataDir">A DATA_DIR the caller owns (to restart a connector on the same state); by default a temp directory of its own.</param>
    public ConnectorApiFactory(Dictionary<string, string?>? settings = null, bool withScheduler = false, string? dataDir = null,
        Action<IServiceCollection>? configureServices = null)
    {
        _configureServices = configureServices;
        _settings = settings ?? [];
        _withScheduler = withScheduler;
        if (dataDir is null)
        {
            _ownDirectory = new TempDirectory();
        }
        _dataDir = dataDir ?? _ownDirectory!.Path;
    }

    public RecordingWiseTimeClient WiseTime { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public string DataDir => _dataDir;

    public SandboxPatrawin Patrawin { get; private set; } = null!;

    /// <summary>Starts the host (migrations, sandbox creation) and, unless the settings name another Patrawin, opens the sandbox Patrawin for assertions.</summary>
    public async Task<ConnectorApiFactory> StartAsync()
    {
        _ = Services;   // builds and starts the host (in memory, or on Kestrel after UseKestrel)
        if (!_settings.ContainsKey("PATRAWIN_JDBC_URL") && !_settings.ContainsKey("PATRAWIN_CONNECTION_STRING"))
        {
            Patrawin = await SandboxPatrawin.CreateAsync(Path.Combine(DataDir, PatrawinConnection.SandboxFileName));
        }
        if (_withScheduler)
        {
            await WaitForHangfireServerAsync();
        }
        return this;
    }

    /// <summary>Hangfire announces its server in the background once the host has started: wait for it, so tests see a running connector.</summary>
    private async Task WaitForHangfireServerAsync()
    {
        var monitoring = Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!monitoring.Servers().Any(s => s.Name.StartsWith(Api.Composition.Jobs.ServerName + ":", StringComparison.OrdinalIgnoreCase)))
        {
            await Task.Delay(25, timeout.Token);
        }
    }

    /// <summary>Starts the connector on a real socket on 127.0.0.1 (for a browser or a probe) and returns its address.</summary>
    public async Task<string> StartOnLoopbackAsync()
    {
        UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        await StartAsync();
        return Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.Single();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DATA_DIR", _dataDir);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<IWiseTimeClient>();
            services.AddSingleton<IWiseTimeClient>(WiseTime);
            _configureServices?.Invoke(services);
            if (!_withScheduler)
            {
                var scheduling = services.Where(d => d.ServiceType == typeof(IHostedService) &&
                    (d.ImplementationType?.Name == "RecurringJobRegistration" ||
                     d.ImplementationFactory?.Method.ReturnType == typeof(Hangfire.BackgroundJobServerHostedService))).ToList();
                Assert.That(scheduling, Has.Count.EqualTo(2), "the scheduler's hosted services were not found to remove");
                foreach (var descriptor in scheduling)
                {
                    services.Remove(descriptor);
                }
            }
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _ownDirectory?.Dispose();
        }
    }
}
