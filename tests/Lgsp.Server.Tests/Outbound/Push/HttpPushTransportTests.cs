using System.Net;
using System.Net.Sockets;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Outbound.Push;
using Lgsp.TestSupport.Peers;

namespace Lgsp.Server.Tests.Outbound.Push;

/// <summary>Each failed push carries a stable error code beside its sentence, over real loopback HTTP.</summary>
public sealed class HttpPushTransportTests
{
    [Fact]
    public async Task APeerAnsweringWithAnErrorStatusGivesItsHttpCodeTransientOrPermanent()
    {
        await using var peer = await FakePushPeer.StartAsync();
        peer.AnswerNext(503, 400);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var transport = new HttpPushTransport(http);

        var unavailable = await transport.PushAsync(Work(peer.Endpoint));
        var refused = await transport.PushAsync(Work(peer.Endpoint));

        Assert.Equal(new PushResult(PushOutcome.Transient, $"HTTP 503 Service Unavailable from {peer.Endpoint}", ErrorCode: "http-503"), unavailable);
        Assert.Equal(PushOutcome.Permanent, refused.Outcome);
        Assert.Equal("http-400", refused.ErrorCode);
    }

    [Fact]
    public async Task NobodyListeningOnThePeersPortIsConnectionRefused()
    {
        // A port that was free a moment ago: nothing listens on it.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = new HttpClient();

        var result = await new HttpPushTransport(http).PushAsync(Work(new Uri($"http://127.0.0.1:{port}/inbox")));

        Assert.Equal(PushOutcome.Transient, result.Outcome);
        Assert.Equal(DeliveryErrorCode.ConnectionRefused, result.ErrorCode);
    }

    [Fact]
    public async Task APeerThatDoesNotAnswerInTimeIsATimeout()
    {
        await using var peer = await FakePushPeer.StartAsync(delay: TimeSpan.FromSeconds(5));
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };

        var result = await new HttpPushTransport(http).PushAsync(Work(peer.Endpoint));

        Assert.Equal(PushOutcome.Transient, result.Outcome);
        Assert.Equal(DeliveryErrorCode.Timeout, result.ErrorCode);
    }

    private static PushWork Work(Uri endpoint) => new(1, 1, PackageKind.Document, "D1", "ab", "000.00.03.H56", endpoint, 0, _ => Task.FromResult(PackageBody.Of("<edXML/>"u8.ToArray())));
}
