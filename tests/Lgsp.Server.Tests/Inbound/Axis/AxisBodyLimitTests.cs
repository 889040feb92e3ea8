using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Lgsp.Server.Inbound.Axis;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Postgres;
using Microsoft.Extensions.Options;
using static Lgsp.Server.Tests.Inbound.Axis.AxisHub;

namespace Lgsp.Server.Tests.Inbound.Axis;

/// <summary>Each operation takes a body only up to the size it needs (docs/axis.md, "Body limits"): a
/// larger declared length is refused before reading, a longer undeclared body once the limit is passed,
/// and a declared length never sizes a buffer.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AxisBodyLimitTests(PostgresFixture postgres)
{
    // Long enough for the hub to answer a refusal; far shorter than waiting for a body that never comes.
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_list_operation_with_a_1_MB_body_is_refused_TooLarge_and_nothing_is_stored()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune);

        var answer = await client.CallAsync(HttpMethod.Post, "getReceivedEdocList", EdocList, new byte[1024 * 1024]);

        Assert.Equal((200, "FAIL", "TooLarge"), (answer.HttpStatus, answer.Status, answer.ErrorCode));
        Assert.Equal("body", answer.Json!["ErrorField"]!.GetValue<string>());
        Assert.Contains($"{AxisBodyLimits.SmallBodyBytes} bytes", answer.ErrorDesc, StringComparison.Ordinal);
        Assert.Equal(0L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.package"));
    }

    [Fact]
    public async Task A_registerAgency_body_over_its_limit_is_refused_TooLarge_and_registers_nothing()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var client = hub.Sdk(Commune);
        var registration = $$"""{"code":"000.00.99.H56","name":"{{new string('x', 1024 * 1024)}}","pcode":"{{Province}}"}""";

        var answer = await client.RegisterAgencyAsync("{}", registration);

        Assert.Equal(("FAIL", "TooLarge"), (answer.Status, answer.ErrorCode));
        Assert.Equal(0L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.agency WHERE code = '000.00.99.H56'"));
    }

    [Theory]
    [InlineData("countReceiveEdoc", 90L * 1024 * 1024, "{}")]
    [InlineData("getReceivedEdocList", 100L * 1024 * 1024, "")]
    public async Task A_declared_Content_Length_far_over_the_limit_with_a_tiny_or_no_body_is_refused_at_once(string operation, long declared, string sent)
    {
        await using var hub = await RunningHub.StartAsync(postgres);

        var (answer, elapsed) = await RawCallAsync(hub, operation, declared, Encoding.ASCII.GetBytes(sent));

        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"FAIL\",\"ErrorCode\":\"TooLarge\"", answer, StringComparison.Ordinal);
        Assert.True(elapsed < Promptly, $"answered after {elapsed}");
    }

    [Fact]
    public async Task An_unsigned_caller_declaring_100_MB_gets_its_401_first_and_promptly()
    {
        await using var hub = await RunningHub.StartAsync(postgres);

        var (answer, elapsed) = await RawCallAsync(hub, "getReceivedEdocList", contentLength: 100L * 1024 * 1024, [], signed: false);

        Assert.StartsWith("HTTP/1.1 401", answer, StringComparison.Ordinal);
        Assert.Contains("\"ErrorCode\":\"HeadersMissing\"", answer, StringComparison.Ordinal);
        Assert.True(elapsed < Promptly, $"answered after {elapsed}");
    }

    [Fact]
    public async Task A_chunked_body_is_read_only_up_to_the_operations_limit_then_refused()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        var chunk = new byte[AxisBodyLimits.SmallBodyBytes / 2 + 1];
        Array.Fill(chunk, (byte)' ');

        var (answer, _) = await RawCallAsync(hub, "countReceiveEdoc", contentLength: null, [.. Chunk(chunk), .. Chunk(chunk), .. "0\r\n\r\n"u8]);

        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.Contains("\"ErrorCode\":\"TooLarge\"", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_body_within_the_limit_is_read_as_before()
    {
        await using var hub = await RunningHub.StartAsync(postgres);

        var (answer, _) = await RawCallAsync(hub, "countReceiveEdoc", contentLength: null, [.. Chunk("{}"u8.ToArray()), .. "0\r\n\r\n"u8]);

        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.Contains("\"count\":0", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendEdoc_takes_a_package_far_larger_than_the_small_limit()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var sender = hub.Sdk(Commune);
        var package = hub.SignedDocument(Commune, [Finance], attachmentBytes: 400_000);

        var sent = await sender.SendEdocAsync(Send(Commune), package);

        Assert.True(package.Length > 4 * AxisBodyLimits.SmallBodyBytes);
        Assert.Equal(("OK", "0"), (sent.Status, sent.ErrorCode));
        Assert.Equal(package, await hub.ScalarAsync($"SELECT body FROM lgsp.package WHERE id = {sent.DocId}"));
    }

    [Fact]
    public async Task SendEdoc_over_the_hubs_package_limit_is_refused_TooLarge_with_its_DocId_key()
    {
        await using var hub = await RunningHub.StartAsync(postgres, new Dictionary<string, string?> { ["Hub:MaxRequestBytes"] = "300000" });
        using var sender = hub.Sdk(Commune);

        var sent = await sender.SendEdocAsync(Send(Commune), hub.SignedDocument(Commune, [Finance], attachmentBytes: 400_000));

        Assert.Equal((200, "FAIL", "TooLarge", ""), (sent.HttpStatus, sent.Status, sent.ErrorCode, sent.DocId));
        Assert.Contains("300000 bytes", sent.ErrorDesc, StringComparison.Ordinal);
        Assert.Equal(0L, await hub.ScalarAsync("SELECT count(*) FROM lgsp.package"));
    }

    [Fact]
    public async Task Every_operation_declares_its_limit_sendEdoc_the_package_limit_witnessCheckpoint_the_checkpoint_limit_the_rest_the_small_one()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        var packageLimit = hub.Services.GetRequiredService<IOptions<HubOptions>>().Value.MaxRequestBytes;

        var limits = hub.Services.GetServices<IAxisOperation>().ToDictionary(o => o.Name, o => o.MaxBodyBytes);

        Assert.Equal(16, limits.Count);
        Assert.Equal(packageLimit, limits["sendEdoc"]);
        Assert.Equal(AxisBodyLimits.CheckpointBodyBytes, limits[AxisEndpoint.WitnessCheckpoint]);
        Assert.All(limits.Where(l => l.Key is not "sendEdoc" and not AxisEndpoint.WitnessCheckpoint), l => Assert.Equal(AxisBodyLimits.SmallBodyBytes, l.Value));
    }

    private static byte[] Chunk(byte[] data) => [.. Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"), .. data, .. "\r\n"u8];

    /// <summary>A request written on a raw socket with the headers an SDK client signs for
    /// <paramref name="operation"/> and the given framing; the answer is read until the JSON closes or
    /// the hub closes the connection, for at most <see cref="Promptly"/> and a margin.</summary>
    private static async Task<(string Answer, TimeSpan Elapsed)> RawCallAsync(RunningHub hub, string operation, long? contentLength, byte[] body, bool signed = true)
    {
        using var client = hub.Sdk(Commune);
        await client.CountReceiveEdocAsync(EdocList);
        var headers = signed
            ? string.Concat(client.LastHeaders.Where(h => h.Key.StartsWith("XroadVnpt-", StringComparison.Ordinal)).Select(h => $"{h.Key}: {h.Value}\r\n"))
            : "";
        var framing = contentLength is { } length ? $"Content-Length: {length}\r\n" : "Transfer-Encoding: chunked\r\n";

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(hub.BaseUri.Host, hub.BaseUri.Port);
        var stream = tcp.GetStream();
        var clock = Stopwatch.StartNew();
        await stream.WriteAsync(Encoding.UTF8.GetBytes($"POST /vxp/{operation} HTTP/1.1\r\nHost: {hub.BaseUri.Authority}\r\nContent-Type: application/json\r\n{headers}{framing}\r\n"));
        await stream.WriteAsync(body);

        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(Promptly * 2);
        try
        {
            while (!text.ToString().EndsWith('}'))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
            // No answer in time: the assertions on the empty answer say so.
        }

        return (text.ToString(), clock.Elapsed);
    }
}
