using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Lgsp.TestSupport.Peers;

/// <summary>A peer on loopback that accepts connections and never answers: a parent hub or an agency
/// so slow that every request to it waits for the caller's timeout. Disposing it drops the
/// connections, so the calls waiting on it fail at once.</summary>
public sealed class SilentPeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<Socket> _accepted = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    /// <summary>Starts listening.</summary>
    public SilentPeer()
    {
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/vxp");
        _accepting = AcceptAsync();
    }

    /// <summary>Its address (an axis path on its port; any path is as silent).</summary>
    public Uri Url { get; }

    /// <summary>How many connections it has accepted.</summary>
    public int Connections => _accepted.Count;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop this way.
        }

        while (_accepted.TryDequeue(out var socket))
        {
            socket.Dispose();
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            _accepted.Enqueue(await _listener.AcceptSocketAsync(_stop.Token));
        }
    }
}
