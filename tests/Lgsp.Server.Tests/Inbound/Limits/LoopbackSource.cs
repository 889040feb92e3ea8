using System.Net;
using System.Net.Sockets;

namespace Lgsp.Server.Tests.Inbound.Limits;

/// <summary>HTTP clients whose connections leave from a chosen loopback address (127.0.0.2, …), so one
/// test can play callers at several remote addresses against a hub on 127.0.0.1.</summary>
internal static class LoopbackSource
{
    public static HttpClient From(string localAddress, Uri baseUri) =>
        new(new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { BaseAddress = baseUri };
}
