using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Lgsp.Server.Tests.Outbound.Links;

/// <summary>A request the peer received: its path, headers (decoded as Latin-1, one char per wire byte,
/// as the hub's own server does) and body.</summary>
public sealed record AxisRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>Another hub's axis endpoint on loopback that answers with what the test queues (HTTP status
/// and body; an OK envelope once the queue is empty) and records every request, so a test sees exactly
/// what our client put on the wire and how it reads each kind of answer.</summary>
public sealed class CannedAxisPeer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, string Body)> _answers = new();
    private readonly ConcurrentQueue<AxisRequest> _received = new();

    private CannedAxisPeer(WebApplication app) => _app = app;

    /// <summary>The base URL to put in the hub record.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Everything received, in order.</summary>
    public IReadOnlyList<AxisRequest> Received => [.. _received];

    /// <summary>Starts the peer on a free loopback port.</summary>
    public static async Task<CannedAxisPeer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var peer = new CannedAxisPeer(app);
        app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            peer._received.Enqueue(new AxisRequest(context.Request.Path, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), buffer.ToArray()));
            var (status, body) = peer._answers.TryDequeue(out var queued) ? queued : (200, """{"status":"OK","ErrorCode":"0","ErrorDesc":"Success","DocId":"1"}""");
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        peer.BaseUrl = new Uri(address.TrimEnd('/') + "/vxp");
        return peer;
    }

    /// <summary>Answers the next request with this status and body.</summary>
    public void AnswerNext(int status, string body) => _answers.Enqueue((status, body));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
