using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using PatrawinConnector.Domain;
using PatrawinConnector.Domain.Patrawin;
using PatrawinConnector.Domain.PostedTime;
using PatrawinConnector.Domain.State;
using PatrawinConnector.Domain.Tags;
using PatrawinConnector.Domain.WiseTime;

namespace PatrawinConnector.Tests.Support;

/// <summary>
/// The domain as the host composes it, on a real sandbox Patrawin and a real state database in a temp directory,
/// with WiseTime replaced by <see cref="RecordingWiseTimeClient"/> and an optional wrapper around the time poster.
/// </summary>
public sealed class DomainHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly IHost _host;

    private DomainHarness(Func<IPatrawinTimePoster, IPatrawinTimePoster>? wrapPoster, Action<TagOptions>? configure, TimeProvider? clock,
        Action<PatrawinOptions>? patrawin)
    {
        var builder = Host.CreateApplicationBuilder();
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }
        builder.Services.Configure<StateOptions>(o => o.DataDir = _directory.Path);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }
        if (patrawin is not null)
        {
            builder.Services.Configure(patrawin);
        }
        builder.AddConnectorDomain();
        builder.Services.RemoveAll<IWiseTimeClient>();
        builder.Services.AddSingleton<IWiseTimeClient>(WiseTime);
        if (wrapPoster is not null)
        {
            builder.Services.AddSingleton<IPatrawinTimePoster>(sp => wrapPoster(sp.GetRequiredService<SqliteTimePoster>()));
        }
        _host = builder.Build();
    }

    public RecordingWiseTimeClient WiseTime { get; } = new();

    public SandboxPatrawin Patrawin { get; private set; } = null!;

    public IServiceProvider Services => _host.Services;

    /// <param name="patrawin">Points the domain at another Patrawin (the TDS one); the sandbox file is created all the same.</param>
    public static async Task<DomainHarness> StartAsync(
        Func<IPatrawinTimePoster, IPatrawinTimePoster>? wrapPoster = null, Action<TagOptions>? configure = null, TimeProvider? clock = null,
        Action<PatrawinOptions>? patrawin = null)
    {
        var harness = new DomainHarness(wrapPoster, configure, clock, patrawin);
        await using (var db = await harness.Services.GetRequiredService<IDbContextFactory<ConnectorStateDbContext>>().CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
        }
        harness.Patrawin = await SandboxPatrawin.CreateAsync(Path.Combine(harness._directory.Path, PatrawinConnection.SandboxFileName));
        return harness;
    }

    public async Task<PostingOutcome> PostAsync(Domain.WiseTime.Contracts.TimeGroup group)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PostingService>().PostAsync(group, CancellationToken.None);
    }

    public Task<PostingLedgerEntry?> LedgerAsync(string groupId) =>
        Services.GetRequiredService<PostingLedger>().FindAsync(groupId, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _directory.Dispose();
    }
}
