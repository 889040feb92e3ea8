using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Lgsp.Server.Tests.Inbound.Hostile;

// Hostile HTTP: a lying Content-Length, a body sent too slowly, oversized headers, ten thousand idle
// connections. Kestrel's limits (Hub:Limits:Connections) or the doors answer; no package is read, so the
// ledger has nothing: a refusal that reaches a door is counted in lgsp_packages_refused_total.
public sealed partial class HostileInputTests
{
    [Fact(Timeout = 60_000)]
    public async Task A_SOAP_body_shorter_than_its_Content_Length_ends_its_connection_stores_nothing_and_is_never_an_internal_error()
    {
        var hub = await HubAsync();
        var metrics = await hub.MetricsAsync();
        var (internalErrors, recorded) = (RefusedCount(metrics, "InternalError"), Recorded(metrics));
        var head = await hub.LedgerHeadAsync();
        var stored = await hub.HostilePackagesAsync();

        // The caller closes its side after a thousand of the million bytes it declared: the server ends the
        // connection without an answer. Which side sees the end first is a race (the door reading the body
        // counts an InvalidRequest; Kestrel may count its reason; a caller gone before its body is read is
        // a client that went away), so no count is asserted here: only that it is never an InternalError.
        var (answer, _) = await ServedMeanwhileAsync(hub, () =>
            RawAsync(hub, SoapHead(hub, contentLength: 1_000_000), Encoding.UTF8.GetBytes(new string(' ', 1000)), closeAfterSending: true, TimeSpan.FromSeconds(30)));

        Assert.Empty(answer);
        await Task.Delay(1000);
        output.WriteLine($"counted as InvalidRequest or unexpected_end_of_request_content: {Recorded(await hub.MetricsAsync()) - recorded}");
        Assert.Equal(internalErrors, RefusedCount(await hub.MetricsAsync(), "InternalError"));
        Assert.Empty(await hub.LedgerSinceAsync(head, hub.Hostile.Id));
        Assert.Equal(stored, await hub.HostilePackagesAsync());
    }

    private static double Recorded(string metrics) => RefusedCount(metrics, "InvalidRequest") + Ended(metrics, "unexpected_end_of_request_content");

    private static double Ended(string metrics, string reason) =>
        MetricValue(metrics.Replace($"lgsp_connections_ended_total{{reason=\"{reason}\"}}", "ended_for_the_reason", StringComparison.Ordinal), "ended_for_the_reason");

    [Fact(Timeout = 60_000)]
    public async Task A_SOAP_body_sent_slower_than_the_minimum_data_rate_is_cut_off_after_the_grace()
    {
        var hub = await HubAsync();
        var watch = Stopwatch.StartNew();
        await AssertRefusedAsync(hub, "InvalidRequest", ledger: false, async () =>
        {
            using var socket = await ConnectAsync(hub);
            await socket.SendAsync(SoapHead(hub, contentLength: 100_000));
            var answer = new MemoryStream();
            var buffer = new byte[4096];
            var reading = socket.ReceiveAsync(buffer);
            while (!reading.IsCompleted && watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                // Ten bytes a second, far below the minimum rate of 240 bytes a second.
                try
                {
                    await socket.SendAsync("          "u8.ToArray());
                }
                catch (SocketException)
                {
                    break;
                }

                await Task.WhenAny(reading, Task.Delay(1000));
            }

            var read = await reading;
            answer.Write(buffer, 0, read);
            return (Status(answer.ToArray()), FaultCode(Body(answer.ToArray())));
        });
        output.WriteLine($"cut off after {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("/soap/edoc")]
    [InlineData("/vxp/sendEdoc")]
    public async Task Headers_over_32_KiB_are_answered_431_by_the_server_before_any_door(string path)
    {
        var hub = await HubAsync();
        var head = Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {new string('a', 64 * 1024)}\r\nContent-Length: 0\r\n\r\n");
        var ended = Ended(await hub.MetricsAsync(), "max_request_headers_total_size_exceeded");
        var ((status, _), slowest) = await ServedMeanwhileAsync(hub, async () =>
        {
            var answer = await RawAsync(hub, head, [], closeAfterSending: false, TimeSpan.FromSeconds(30));
            return (Status(answer), (string?)null);
        });
        output.WriteLine($"answered {status}; slowest normal send meanwhile {slowest.TotalMilliseconds:0} ms");
        Assert.Equal(431, status);
        Assert.Equal(ended + 1, Ended(await hub.MetricsAsync(), "max_request_headers_total_size_exceeded"));
    }

    [Fact(Timeout = 150_000)]
    public async Task Ten_thousand_idle_connections_leave_a_normal_client_served()
    {
        const int connections = 10_000;
        var hub = await HubAsync();
        var baseline = hub.ResetPeak();
        var open = new List<Socket>(connections);
        try
        {
            var watch = Stopwatch.StartNew();
            while (open.Count < connections)
            {
                var batch = await Task.WhenAll(Enumerable.Range(0, Math.Min(500, connections - open.Count)).Select(_ => ConnectAsync(hub)));
                open.AddRange(batch);
            }

            output.WriteLine($"{open.Count} idle connections opened in {watch.Elapsed.TotalSeconds:0.0} s; hub resident {hub.ResidentBytes() / 1048576.0:0} MiB");
            var took = await hub.SendNormalAsync();
            output.WriteLine($"a normal SendDocument meanwhile took {took.TotalMilliseconds:0} ms; peak {(hub.PeakBytes() - baseline) / 1048576.0:0.0} MiB above the resting {baseline / 1048576.0:0} MiB");
            Assert.True(took < NormalWithin, $"A normal SendDocument took {took.TotalSeconds:0.0} s with {connections} idle connections open.");
            Assert.True(hub.PeakBytes() - baseline <= HostileHub.BudgetBytes, "The hub's peak memory rose over its budget.");

            // Still open: the keep-alive timeout (a minute) has not passed.
            Assert.All(open.Take(100), s => Assert.False(s.Poll(0, SelectMode.SelectRead) && s.Available == 0, "An idle connection was closed early."));
        }
        finally
        {
            foreach (var socket in open)
            {
                socket.Dispose();
            }
        }
    }

    private static byte[] SoapHead(HostileHub hub, long contentLength) => Encoding.ASCII.GetBytes(
        $"POST /soap/edoc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: \"{EdocHttp_Namespace}/SendDocument\"\r\n"
        + $"Authorization: Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"{hub.Hostile.Id}:{hub.Hostile.Secret}"))}\r\nContent-Length: {contentLength}\r\n\r\n");

    private const string EdocHttp_Namespace = Lgsp.TestSupport.Hub.EdocHttp.Namespace;

    private static async Task<Socket> ConnectAsync(HostileHub hub)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(hub.Process.BaseUri.Host, hub.Process.BaseUri.Port);
        return socket;
    }

    /// <summary>Sends <paramref name="head"/> and <paramref name="body"/> on a new connection (closing its
    /// sending side after, when asked) and reads the answer until the server closes or <paramref name="patience"/> passes.</summary>
    private static async Task<byte[]> RawAsync(HostileHub hub, byte[] head, byte[] body, bool closeAfterSending, TimeSpan patience)
    {
        using var socket = await ConnectAsync(hub);
        await socket.SendAsync(head);
        if (body.Length > 0)
        {
            await socket.SendAsync(body);
        }

        if (closeAfterSending)
        {
            socket.Shutdown(SocketShutdown.Send);
        }

        using var timeout = new CancellationTokenSource(patience);
        var answer = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                answer.Write(buffer, 0, read);
                if (!closeAfterSending && Complete(answer.ToArray()))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            // Reset or silent: what arrived is the answer.
        }

        return answer.ToArray();
    }

    private static bool Complete(byte[] answer)
    {
        var text = Encoding.Latin1.GetString(answer);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var length = System.Text.RegularExpressions.Regex.Match(text[..end], "(?im)^content-length:\\s*(\\d+)");
        return !length.Success || text.Length - end - 4 >= int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int Status(byte[] answer)
    {
        var text = Encoding.Latin1.GetString(answer);
        return text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? int.Parse(text[9..12], System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    private static string Body(byte[] answer)
    {
        // Latin-1 keeps one char per byte, so chunk sizes count right; the body is UTF-8 again at the end.
        var text = Encoding.Latin1.GetString(answer);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return "";
        }

        var body = text[(end + 4)..];
        if (!text[..end].Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            return Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(body));
        }

        // Chunk sizes in hex, each on its own line before its chunk.
        var joined = new StringBuilder();
        for (var at = 0; at < body.Length;)
        {
            var line = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = line < 0 ? 0 : Convert.ToInt32(body[at..line].Trim(), 16);
            if (size == 0)
            {
                break;
            }

            joined.Append(body, line + 2, Math.Min(size, body.Length - line - 2));
            at = line + 2 + size + 2;
        }

        return Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(joined.ToString()));
    }
}
