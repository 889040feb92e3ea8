using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lgsp.TestSupport.Peers;

/// <summary>A request the peer received.</summary>
/// <param name="Headers">Its headers.</param>
/// <param name="Body">Its body.</param>
/// <param name="Answered">The status it was answered with.</param>
public sealed record ReceivedPush(IReadOnlyDictionary<string, string> Headers, byte[] Body, int Answered)
{
    /// <summary>The <c>X-Lgsp-Delivery-Id</c> header.</summary>
    public long DeliveryId => long.Parse(Headers["X-Lgsp-Delivery-Id"], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The <c>X-Lgsp-Sha256</c> header.</summary>
    public string Sha256Header => Headers["X-Lgsp-Sha256"];

    /// <summary>The SHA-256 of the body received, lower-case hex.</summary>
    public string BodySha256 => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Body));
}

/// <summary>An agency's push endpoint on loopback: records every request and answers with the statuses
/// queued by the test (200 once the queue is empty), after an optional delay so that pushes are in
/// flight when a test kills the hub.</summary>
public sealed class FakePushPeer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly ConcurrentQueue<ReceivedPush> _received = new();

    private FakePushPeer(WebApplication app) => _app = app;

    /// <summary>The endpoint to register.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Everything received, in order.</summary>
    public IReadOnlyList<ReceivedPush> Received => [.. _received];

    /// <summary>Starts the peer on a free loopback port.</summary>
    public static async Task<FakePushPeer> StartAsync(TimeSpan? delay = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // A hub pushes packages up to its Hub:MaxRequestBytes (100 MB by default): more than Kestrel's
        // default body limit of 30 MB.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var peer = new FakePushPeer(app);
        app.MapPost("/inbox", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var status = peer._answers.TryDequeue(out var queued) ? queued : StatusCodes.Status200OK;
            peer._received.Enqueue(new ReceivedPush(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), buffer.ToArray(), status));
            if (delay is { } wait)
            {
                await Task.Delay(wait);
            }

            context.Response.StatusCode = status;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        peer.Endpoint = new Uri(new Uri(address), "/inbox");
        return peer;
    }

    /// <summary>Answers the next requests with these statuses.</summary>
    public void AnswerNext(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _answers.Enqueue(status);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds for what was received.</summary>
    public async Task<IReadOnlyList<ReceivedPush>> WaitForAsync(Func<IReadOnlyList<ReceivedPush>, bool> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition(Received))
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"The peer received {Received.Count} request(s) and the condition still does not hold.");
            }

            await Task.Delay(100);
        }

        return Received;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
