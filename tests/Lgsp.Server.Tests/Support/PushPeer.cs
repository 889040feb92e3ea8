using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Lgsp.Server.Tests.Support;

/// <summary>A fake agency endpoint for push deliveries: a tiny Kestrel app on 127.0.0.1 that records
/// every POST as it arrives (the delivery headers and the body's SHA-256) and answers 200 after a short delay, so
/// that pushes are in flight when a test kills the hub.</summary>
public sealed class PushPeer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<PushReceived> _received = new();

    private PushPeer(WebApplication app) => _app = app;

    /// <summary>Where the hub should push.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Every push received, in arrival order (duplicates included).</summary>
    public IReadOnlyCollection<PushReceived> Received => _received;

    /// <summary>Starts a peer on a free loopback port.</summary>
    public static async Task<PushPeer> StartAsync(TimeSpan delay)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var peer = new PushPeer(app);
        app.MapPost("/inbox", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            peer._received.Enqueue(new PushReceived(
                long.Parse(request.Headers["X-Lgsp-Delivery-Id"].ToString(), System.Globalization.CultureInfo.InvariantCulture),
                request.Headers["X-Lgsp-Sha256"].ToString(),
                Convert.ToHexStringLower(SHA256.HashData(body.ToArray()))));
            await Task.Delay(delay);
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        peer.Endpoint = new Uri(new Uri(address), "/inbox");
        return peer;
    }

    /// <summary>Stops the peer.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One push as the peer saw it.</summary>
/// <param name="DeliveryId">The <c>X-Lgsp-Delivery-Id</c> header.</param>
/// <param name="Sha256Header">The <c>X-Lgsp-Sha256</c> header.</param>
/// <param name="BodySha256">The SHA-256 of the body received.</param>
public sealed record PushReceived(long DeliveryId, string Sha256Header, string BodySha256);
