using Lgsp.Exchange.Storage;
using Lgsp.TestSupport.Peers;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Support;

/// <summary>A running hub whose demo agency <see cref="Pushed"/> takes deliveries by push, at a fake peer
/// on loopback.</summary>
public sealed class PushingHub : IAsyncDisposable
{
    /// <summary>A demo commune that sends.</summary>
    public const string Commune = "000.00.61.H56";

    /// <summary>The demo agency whose endpoint is the peer.</summary>
    public const string Pushed = "000.00.03.H56";

    private PushingHub(RunningHub hub, FakePushPeer peer) => (Hub, Peer) = (hub, peer);

    /// <summary>The hub.</summary>
    public RunningHub Hub { get; }

    /// <summary>The push endpoint of <see cref="Pushed"/>.</summary>
    public FakePushPeer Peer { get; }

    /// <summary>Starts the peer, then the hub with <paramref name="settings"/>, and registers the peer's endpoint.</summary>
    public static async Task<PushingHub> StartAsync(PostgresFixture postgres, IDictionary<string, string?> settings)
    {
        var peer = await FakePushPeer.StartAsync();
        var hub = await RunningHub.StartAsync(postgres, settings);
        var directory = hub.Services.GetRequiredService<IDirectoryStore>();
        await directory.SaveAgencyAsync((await directory.FindAgencyAsync(Pushed))! with { PushEndpoint = peer.Endpoint }, "test");
        return new PushingHub(hub, peer);
    }

    /// <summary>Stops the hub, then the peer.</summary>
    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Peer.DisposeAsync();
    }
}
