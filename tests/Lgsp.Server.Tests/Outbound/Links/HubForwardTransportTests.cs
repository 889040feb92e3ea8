using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Inbound.Axis;
using Lgsp.Server.Outbound.Links;
using Lgsp.TestSupport.Packages;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lgsp.Server.Tests.Outbound.Links;

/// <summary>Forwarding to the next hub over real HTTP on loopback: what goes on the wire (the stored
/// bytes, the SDK's framing and hash, a signature the other side can verify, the hop parameters) and how
/// each kind of answer ends the attempt.</summary>
public sealed class HubForwardTransportTests : IAsyncLifetime
{
    private const string Secret = "hub-a-secret-at-root";
    private const string From = "000.00.61.H56";
    private const string To = "000.00.07.H57";
    private readonly SecretBox _secrets = new(RandomNumberGenerator.GetBytes(SecretBox.KeyBytes));
    private CannedAxisPeer _peer = null!;
    private HubForwardTransport _transport = null!;
    private HttpClient _http = null!;
    private readonly Prometheus.CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();

    public async Task InitializeAsync()
    {
        _peer = await CannedAxisPeer.StartAsync();
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var key = RSA.Create(2048);
        var certificate = new CertificateRequest("CN=hub-a", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _transport = new HubForwardTransport(new AxisClient(_http, _secrets, TimeProvider.System), new HubIdentity("hub-a", certificate, []),
            new HubLinkMetrics(_registry), NullLogger<HubForwardTransport>.Instance);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _peer.DisposeAsync();
    }

    private HubLink Parent(Uri? baseUrl = null) =>
        new("root", HubRole.Parent, baseUrl ?? _peer.BaseUrl, "hub-a-at-root", _secrets.Seal(Secret), null, true);

    private PushWork Work(byte[] package, byte[] receipt, HubLink? via = null) =>
        new(41, 7, PackageKind.Document, "DOC-1", Convert.ToHexStringLower(SHA256.HashData(package)), To, null, 0, _ => Task.FromResult(PackageBody.Of(package)),
            via ?? Parent(), To, ["hub-c"], receipt) { From = From };

    [Fact]
    public async Task AForwardPostsTheStoredBytesAsTheSdkDoesSignedWithTheHopsAndThePreviousReceiptHash()
    {
        var package = TestPackages.Document(From, [To, "000.00.08.H57"]);
        var receipt = Encoding.UTF8.GetBytes("<Receipt>hub-a</Receipt>");

        var result = await _transport.PushAsync(Work(package, receipt));

        Assert.Equal(PushOutcome.Delivered, result.Outcome);
        var request = Assert.Single(_peer.Received);
        Assert.Equal("/vxp/sendEdoc", request.Path);
        Assert.Equal([.. package, (byte)'\r', (byte)'\n'], request.Body);
        Assert.Equal("application/octet-stream", request.Headers["Content-Type"]);
        Assert.True(AxisSignature.Verify(Secret, request.Headers[AxisSignature.SignHeader], request.Headers[AxisSignature.HashHeader], out var signed));
        var parameters = AxisSignature.ParseSignedParameters(signed).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("hub-a-at-root", parameters["systemid"]);
        Assert.Equal(From, parameters["from"]);
        Assert.Equal(To, JsonSerializer.Deserialize<string[]>(parameters["to"])!.Single());
        Assert.Equal("edoc", parameters["messagetype"]);
        Assert.Equal(AxisSignature.FileHash(package, padded: false), parameters["hash-file"]);
        Assert.Equal("hub-c,hub-a", parameters["lgsp-hops"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(receipt)), parameters["lgsp-prev-receipt"]);
        Assert.True(AxisSignature.TryParseTimestamp(parameters["timestamp"], out _));
    }

    [Fact]
    public async Task AForwardIsCountedByOutcomeWithoutNamingThePeerHub()
    {
        var package = TestPackages.Document(From, [To]);

        await _transport.PushAsync(Work(package, Encoding.UTF8.GetBytes("<Receipt>hub-a</Receipt>")));

        using var exposition = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(exposition);
        var metrics = Encoding.UTF8.GetString(exposition.ToArray());
        Assert.Contains("lgsp_hub_forwards_total{outcome=\"delivered\"} 1", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("\"root\"", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("hub=", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachRequestCarriesAFreshTimestamp()
    {
        var package = TestPackages.Document(From, [To]);
        await _transport.PushAsync(Work(package, [1]));
        await Task.Delay(20);
        await _transport.PushAsync(Work(package, [1]));

        var stamps = _peer.Received.Select(r => AxisSignature.ParseSignedParameters(r.Headers[AxisSignature.SignHeader]).Single(p => p.Key == "timestamp").Value).ToList();
        Assert.NotEqual(stamps[0], stamps[1]);
    }

    [Fact]
    public async Task AnOkAnswerIsDeliveredWithThePeersDocIdAndReceipt()
    {
        var peerReceipt = Encoding.UTF8.GetBytes("<Receipt>root</Receipt>");
        _peer.AnswerNext(200, $$"""{"status":"OK","ErrorCode":0,"ErrorDesc":"Success","DocId":"9001","Receipt":"{{Convert.ToBase64String(peerReceipt)}}"}""");

        var result = await _transport.PushAsync(Work(TestPackages.Document(From, [To]), [1]));

        Assert.Equal(PushOutcome.Delivered, result.Outcome);
        Assert.Equal("9001", result.PeerDocId);
        Assert.Equal(peerReceipt, result.PeerReceipt);
    }

    [Fact]
    public async Task ARefusalFailsAtOnceWithTheHubsCodeFieldAndSentence()
    {
        _peer.AnswerNext(200, """{"status":"FAIL","ErrorCode":"SignatureUntrusted","ErrorField":"Signature","ErrorDesc":"The signer is not trusted | Chữ ký không tin cậy","DocId":""}""");

        var result = await _transport.PushAsync(Work(TestPackages.Document(From, [To]), [1]));

        Assert.Equal(PushOutcome.Permanent, result.Outcome);
        Assert.Equal("hub root refused: SignatureUntrusted Signature: The signer is not trusted | Chữ ký không tin cậy", result.Error);
        Assert.Equal("peer-refused:SignatureUntrusted", result.ErrorCode);
    }

    [Fact]
    public async Task AnUnauthorizedAnswerFailsAtOnceSayingTheHubRefusedOurCredentials()
    {
        _peer.AnswerNext(401, """{"status":"FAIL","ErrorCode":"Unauthorized","ErrorDesc":"bad hmac","DocId":""}""");

        var result = await _transport.PushAsync(Work(TestPackages.Document(From, [To]), [1]));

        Assert.Equal(new PushResult(PushOutcome.Permanent, "hub root refused our credentials", "http-401"), result);
    }

    [Theory]
    [InlineData(503, """{"status":"FAIL","ErrorCode":"Unavailable","ErrorDesc":"down","DocId":""}""")]
    [InlineData(200, """{"status":"FAIL","ErrorCode":"InternalError","ErrorDesc":"oops","DocId":""}""")]
    [InlineData(200, "<html>gateway</html>")]
    [InlineData(502, "")]
    public async Task ServerErrorsInternalErrorsAndUnreadableAnswersAreTransient(int status, string body)
    {
        _peer.AnswerNext(status, body);

        var result = await _transport.PushAsync(Work(TestPackages.Document(From, [To]), [1]));

        Assert.Equal(PushOutcome.Transient, result.Outcome);
        Assert.StartsWith("hub root: ", result.Error);
    }

    [Fact]
    public async Task AHubThatDoesNotListenIsTransient()
    {
        var closed = new Uri("http://127.0.0.1:1/vxp");

        var result = await _transport.PushAsync(Work(TestPackages.Document(From, [To]), [1], Parent(closed)));

        Assert.Equal(PushOutcome.Transient, result.Outcome);
        Assert.Contains("127.0.0.1:1", result.Error);
        Assert.Equal("network", result.ErrorCode);
    }

    [Fact]
    public async Task AHubRecordWhoseSecretDoesNotOpenFailsAtOnceWithoutCallingIt()
    {
        var foreign = new SecretBox(RandomNumberGenerator.GetBytes(SecretBox.KeyBytes));
        var via = Parent() with { SealedSecret = foreign.Seal(Secret) };

        var result = await _transport.PushAsync(Work(TestPackages.Document(From, [To]), [1], via));

        Assert.Equal(new PushResult(PushOutcome.Permanent, "the secret for hub root does not open with this hub's secret key", "no-endpoint"), result);
        Assert.Empty(_peer.Received);
    }
}
