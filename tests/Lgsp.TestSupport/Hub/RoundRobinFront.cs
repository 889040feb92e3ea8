using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lgsp.TestSupport.Hub;

/// <summary>
/// A small reverse proxy on loopback in front of several hub instances, as a load balancer would stand:
/// each request goes to the next backend in turn. A backend that refuses the connection (a dead
/// instance) is skipped and the request goes to the next one, as nginx's <c>proxy_next_upstream error</c>
/// does: it never reached the dead one, so sending it elsewhere cannot store it twice. Any other failure
/// after the request left (the instance died while answering) is answered 502, never retried.
/// </summary>
/// <remarks>Bodies are buffered whole (test packages are small). Thread safe.</remarks>
public sealed class RoundRobinFront : IAsyncDisposable
{
    private static readonly HashSet<string> s_hopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host",
    };

    private readonly WebApplication _app;
    private readonly IReadOnlyList<Uri> _backends;
    private readonly long[] _served;
    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) }) { Timeout = TimeSpan.FromSeconds(60) };
    private int _next = -1;
    private int _skipped;

    private RoundRobinFront(WebApplication app, IReadOnlyList<Uri> backends)
    {
        _app = app;
        _backends = backends;
        _served = new long[backends.Count];
    }

    /// <summary>The front's base URL.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The front's SOAP endpoint.</summary>
    public Uri SoapUri => new(BaseUri, "soap/edoc");

    /// <summary>Requests each backend answered (by position in the list given).</summary>
    public IReadOnlyList<long> Served => [.. Enumerable.Range(0, _served.Length).Select(i => Interlocked.Read(ref _served[i]))];

    /// <summary>Times a backend refused the connection and the request went to the next one.</summary>
    public int Skipped => Volatile.Read(ref _skipped);

    /// <summary>Starts the front on a free loopback port.</summary>
    /// <param name="backends">The instances' base URLs.</param>
    public static async Task<RoundRobinFront> StartAsync(IReadOnlyList<Uri> backends)
    {
        ArgumentOutOfRangeException.ThrowIfZero(backends.Count);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var front = new RoundRobinFront(app, backends);
        app.Run(front.ForwardAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        front.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return front;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        for (var tried = 0; tried < _backends.Count; tried++)
        {
            var index = (int)((uint)Interlocked.Increment(ref _next) % (uint)_backends.Count);
            using var request = Copy(context.Request, new Uri(_backends[index], context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString), body);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            }
            catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                Interlocked.Increment(ref _skipped);
                continue;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
                return;
            }

            using (response)
            {
                Interlocked.Increment(ref _served[index]);
                context.Response.StatusCode = (int)response.StatusCode;
                foreach (var header in response.Headers.Concat(response.Content.Headers).Where(h => !s_hopHeaders.Contains(h.Key)))
                {
                    context.Response.Headers[header.Key] = header.Value.ToArray();
                }

                try
                {
                    await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException)
                {
                    // The instance died while answering: the client sees a cut answer, as behind a real proxy.
                    context.Abort();
                }

                return;
            }
        }

        context.Response.StatusCode = StatusCodes.Status502BadGateway;
    }

    private static HttpRequestMessage Copy(HttpRequest from, Uri to, byte[] body)
    {
        var request = new HttpRequestMessage(new HttpMethod(from.Method), to);
        if (body.Length > 0 || HttpMethods.IsPost(from.Method) || HttpMethods.IsPut(from.Method))
        {
            request.Content = new ByteArrayContent(body);
        }

        foreach (var header in from.Headers.Where(h => !s_hopHeaders.Contains(h.Key)))
        {
            if (!request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        return request;
    }

    /// <summary>Stops the front.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
    }
}
