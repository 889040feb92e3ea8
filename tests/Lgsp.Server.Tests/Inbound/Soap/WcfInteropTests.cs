using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.ServiceModel;
using System.ServiceModel.Security;
using System.Text;
using Lgsp.Edxml.Errors;
using Lgsp.Server.Inbound.Soap;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Lgsp.Server.Tests.Inbound.Soap.SoapSamples;

namespace Lgsp.Server.Tests.Inbound.Soap;

/// <summary>
/// The WCF client, built from the hand-written contract, talks to a tiny Kestrel app that answers
/// with the codec: requests, responses, packages and faults interoperate in SOAP 1.1 and 1.2 before
/// the real hub exists.
/// </summary>
public class WcfInteropTests(EchoHub hub) : IClassFixture<EchoHub>
{
    public static TheoryData<SoapVersion> Versions => new() { SoapVersion.Soap11, SoapVersion.Soap12 };

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_wcf_client_sends_a_multi_megabyte_package_and_gets_its_sha256_back(SoapVersion version)
    {
        var package = RandomBytes(3 * 1024 * 1024 + 5, 11);

        var response = await Call(version, c => c.SendDocumentAsync(new SendDocumentRequest { Package = package }));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(package)), response.Sha256);
        Assert.Equal($"echo-{package.Length}", response.DocumentId);
        Assert.Equal(new DateTime(2026, 1, 31, 8, 0, 0, DateTimeKind.Utc), response.ReceivedAt.ToUniversalTime());
        Assert.False(response.Duplicate);
        Assert.Equal("<Receipt xmlns=\"urn:lgsp:receipt:1\"/>"u8.ToArray(), response.Receipt);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_wcf_client_downloads_a_multi_megabyte_package_byte_identical(SoapVersion version)
    {
        const int Size = 4 * 1024 * 1024 + 1;

        var response = await Call(version, c => c.GetDocumentAsync(new GetDocumentRequest { Id = Size }));

        Assert.Equal(SHA256.HashData(RandomBytes(Size, Size)), SHA256.HashData(response.Package));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Every_operation_round_trips_and_every_request_the_client_sends_is_valid_against_the_xsd(SoapVersion version)
    {
        var client = EdocClientFactory.Create(hub.Address, EchoHub.User, EchoHub.Secret, version);
        try
        {
            var status = await client.SendStatusAsync(new SendStatusRequest { Package = "<edXML/>"u8.ToArray() });
            var pending = await client.GetPendingDocumentsAsync(new GetPendingDocumentsRequest());
            var limited = await client.GetPendingDocumentsAsync(new GetPendingDocumentsRequest { Agency = "000.00.01.H56", MaxCount = 1 });
            var statuses = await client.GetPendingStatusesAsync(new GetPendingStatusesRequest { MaxCount = 10 });
            var confirmed = await client.ConfirmReceivedAsync(new ConfirmReceivedRequest { Id = 7, Outcome = Outcome.Fail, Reason = "Không đọc được" });
            var done = await client.ConfirmReceivedAsync(new ConfirmReceivedRequest { Id = 7, Outcome = Outcome.Done });
            var deliveries = await client.GetDeliveriesAsync(new GetDeliveriesRequest { DocumentId = "doc-1" });
            var trace = await client.GetTraceAsync(new GetTraceRequest { DocumentId = "doc-1" });
            var agencies = await client.GetAgenciesAsync(new GetAgenciesRequest { ChangedSince = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
            var allAgencies = await client.GetAgenciesAsync(new GetAgenciesRequest());
            client.Close();

            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("<edXML/>"u8)), status.Sha256);
            Assert.Equal(2, pending.Items.Length);
            Assert.Equal("V/v triển khai liên thông văn bản", pending.Items[0].Subject);
            Assert.Null(pending.Items[1].CodeNumber);
            Assert.Equal(1, Assert.Single(limited.Items).Id - 6);
            Assert.Equal("03", Assert.Single(statuses.Items).StatusCode);
            Assert.True(confirmed.Ok);
            Assert.True(done.Ok);
            Assert.Equal(["acknowledged", "pending"], deliveries.Deliveries.Select(d => d.State));
            Assert.Equal(new DateTime(2026, 1, 31, 8, 0, 0, 123, DateTimeKind.Utc), deliveries.Deliveries[0].DeliveredAt!.Value.ToUniversalTime());
            Assert.Null(deliveries.Deliveries[1].DeliveredAt);
            Assert.Null(deliveries.Deliveries[1].LastError);
            Assert.Equal("accepted", Assert.Single(trace.Events).Kind);
            Assert.Equal("Sở Tài chính", Assert.Single(agencies.Agencies).Name);
            Assert.False(agencies.Agencies[0].Active);
            Assert.Single(allAgencies.Agencies);
        }
        catch
        {
            client.Abort();
            throw;
        }

        var schemas = Compile("lgsp-edoc.xsd");
        var seen = hub.Requests.Where(r => r.Version == version).Select(r => r.Operation).ToHashSet();
        Assert.Superset(EdocContract.Operations.Except([EdocContract.SendDocument, EdocContract.GetDocument]).ToHashSet(), seen);
        foreach (var (_, _, body) in hub.Requests.Where(r => r.Version == version))
        {
            Validate(schemas, BodyChild(body).OuterXml);
        }
    }

    [Theory]
    [InlineData(SoapVersion.Soap11, "Client")]
    [InlineData(SoapVersion.Soap12, "Sender")]
    public async Task A_client_fault_reaches_the_wcf_client_as_a_typed_Error_fault(SoapVersion version, string code)
    {
        var fault = await Assert.ThrowsAsync<FaultException<Error>>(() => Call(version, c => c.GetDocumentAsync(new GetDocumentRequest { Id = 404 })));

        Assert.Equal(code, fault.Code.Name);
        Assert.Equal("NotFound", fault.Detail.Code);
        Assert.Equal("GetDocument/Id", fault.Detail.Field);
        Assert.Equal("No pending item has the identifier 404.", fault.Detail.Message);
        Assert.Equal("Không có mục đang chờ nào có mã 404.", fault.Detail.MessageVi);
        Assert.Equal("No pending item has the identifier 404.", fault.Message);
    }

    [Theory]
    [InlineData(SoapVersion.Soap11, "Server")]
    [InlineData(SoapVersion.Soap12, "Receiver")]
    public async Task A_server_fault_reaches_the_wcf_client_as_a_typed_Error_fault(SoapVersion version, string code)
    {
        var fault = await Assert.ThrowsAsync<FaultException<Error>>(() => Call(version, c => c.ConfirmReceivedAsync(new ConfirmReceivedRequest { Id = 500, Outcome = Outcome.Done })));

        Assert.Equal(code, fault.Code.Name);
        Assert.Equal(SoapErrors.InternalError, fault.Detail.Code);
        Assert.Contains("ref-500", fault.Detail.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_soap_1_2_sender_fault_sent_with_400_reaches_plain_wcf_as_a_protocol_error_without_its_detail()
    {
        var client = EdocClientFactory.Create(hub.Address, EchoHub.User, EchoHub.Secret, SoapVersion.Soap12, surfaceSoap12SenderFaults: false);
        try
        {
            var error = await Assert.ThrowsAsync<ProtocolException>(() => client.GetDocumentAsync(new GetDocumentRequest { Id = 404 }));

            Assert.Contains("400", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            client.Abort();
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Wrong_credentials_are_refused_with_401_and_the_basic_challenge_before_the_body_is_read(SoapVersion version)
    {
        var client = EdocClientFactory.Create(hub.Address, EchoHub.User, "wrong", version);
        var requestsBefore = hub.Requests.Count;
        try
        {
            var error = await Assert.ThrowsAsync<MessageSecurityException>(() => client.SendDocumentAsync(new SendDocumentRequest { Package = RandomBytes(2 * 1024 * 1024) }));

            Assert.Contains("Basic realm=\"lgsp\"", error.Message, StringComparison.Ordinal);
            Assert.Equal(requestsBefore, hub.Requests.Count);
        }
        finally
        {
            client.Abort();
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_wcf_client_is_challenged_once_then_sends_basic_credentials_up_front(SoapVersion version)
    {
        var client = EdocClientFactory.Create(hub.Address, EchoHub.User, EchoHub.Secret, version);
        var before = hub.Challenges;
        try
        {
            await client.GetTraceAsync(new GetTraceRequest { DocumentId = "doc-1" });
            await client.GetTraceAsync(new GetTraceRequest { DocumentId = "doc-1" });
            await client.SendDocumentAsync(new SendDocumentRequest { Package = RandomBytes(1024 * 1024) });
            client.Close();
        }
        catch
        {
            client.Abort();
            throw;
        }

        Assert.Equal(1, hub.Challenges - before);
        Assert.Contains("100-continue", hub.ExpectHeaders);
    }

    [Fact]
    public async Task A_401_carries_the_challenge_and_an_Unauthenticated_fault_in_the_version_asked()
    {
        using var http = new HttpClient();
        using var content = new ByteArrayContent(Envelope(SoapVersion.Soap12, OperationSamples[EdocContract.GetTrace]));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType(SoapVersion.Soap12, EdocContract.ActionOf(EdocContract.GetTrace)));

        using var response = await http.PostAsync(hub.Address, content);

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal(SoapResponseWriter.BasicChallenge, response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/soap+xml", response.Content.Headers.ContentType!.MediaType);
        var xml = await response.Content.ReadAsStringAsync();
        Assert.Contains("<Code>Unauthenticated</Code>", xml, StringComparison.Ordinal);
        Assert.Contains(SoapVersions.Soap12Namespace, xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wsdl_is_served_with_the_address_the_client_used()
    {
        using var http = new HttpClient();

        var wsdl = await http.GetStringAsync(new Uri(hub.Address + "?wsdl"));

        Assert.Contains($"location=\"{hub.Address}\"", wsdl, StringComparison.Ordinal);
        Assert.DoesNotContain(WsdlDocument.AddressToken, wsdl, StringComparison.Ordinal);
    }

    private async Task<T> Call<T>(SoapVersion version, Func<EdocClient, Task<T>> call)
    {
        var client = EdocClientFactory.Create(hub.Address, EchoHub.User, EchoHub.Secret, version);
        try
        {
            var result = await call(client);
            client.Close();
            return result;
        }
        catch
        {
            client.Abort();
            throw;
        }
    }
}

/// <summary>
/// A stand-in for the hub on 127.0.0.1: HTTP Basic, then the codec's reader straight on Kestrel's
/// request body (which forbids synchronous reads), canned answers written with the codec's writer.
/// Keeps every request it read so tests can validate what the WCF client sent.
/// </summary>
public sealed class EchoHub : IAsyncLifetime
{
    public const string User = "vanthu-h56";
    public const string Secret = "bí-mật";

    private WebApplication? _app;
    private int _challenges;

    /// <summary>The endpoint, <c>http://127.0.0.1:{port}/soap/edoc</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>How many 401s the hub answered.</summary>
    public int Challenges => _challenges;

    /// <summary>Every Expect header seen.</summary>
    public ConcurrentBag<string> ExpectHeaders { get; } = [];

    /// <summary>Every request read, with its version, operation and raw body.</summary>
    public ConcurrentQueue<(SoapVersion Version, string Operation, byte[] Body)> Requests { get; } = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/soap/edoc", (HttpContext context) => context.Request.Query.ContainsKey("wsdl")
            ? Results.Text(WsdlDocument.Default.Render(new Uri($"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}")), "text/xml; charset=utf-8")
            : Results.NotFound());
        _app.MapPost("/soap/edoc", HandleAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Address = new Uri(address + "/soap/edoc");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var replyVersion = SoapVersions.ReplyVersion(context.Request.ContentType);
        ExpectHeaders.Add(context.Request.Headers.Expect.ToString());
        if (!Authenticated(context.Request.Headers.Authorization.ToString()))
        {
            Interlocked.Increment(ref _challenges);
            // Answer before reading the body: a client that sent Expect: 100-continue uploads nothing.
            context.Response.Headers.WWWAuthenticate = SoapResponseWriter.BasicChallenge;
            await WriteFaultAsync(context, replyVersion, SoapErrors.Create(SoapErrors.Unauthenticated, "Authorization"), true);
            return;
        }

        using var copy = new MemoryStream();
        SoapRequest request;
        try
        {
            request = await SoapRequestReader.ReadAsync(new TeeStream(context.Request.Body, copy), context.Request.ContentType, context.Request.Headers["SOAPAction"], SoapLimits.Default, context.RequestAborted);
        }
        catch (SoapFaultException ex)
        {
            await WriteFaultAsync(context, replyVersion, ex.Error, ex.IsClientFault);
            return;
        }

        Requests.Enqueue((request.Version, request.Operation, copy.ToArray()));
        var id = request.GetInt64("Id");
        if (id == 404)
        {
            await WriteFaultAsync(context, request.Version, new EdxmlError("NotFound", $"{request.Operation}/Id", "No pending item has the identifier 404.", "Không có mục đang chờ nào có mã 404."), true);
            return;
        }

        if (id == 500)
        {
            await WriteFaultAsync(context, request.Version, SoapErrors.Create(SoapErrors.InternalError, "/", "ref-500"), false);
            return;
        }

        context.Response.ContentType = SoapResponseWriter.ContentType(request.Version);
        SoapResponseWriter.WriteResponse(context.Response.BodyWriter, request.Version, request.Operation, Answer(request));
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static Action<System.Xml.XmlWriter> Answer(SoapRequest request) => request.Operation switch
    {
        EdocContract.SendDocument or EdocContract.SendStatus => w =>
        {
            w.WriteEdocElement("DocumentId", $"echo-{request.Package!.Length}");
            w.WriteEdocElement("Sha256", Convert.ToHexStringLower(SHA256.HashData(request.Package.ToArray())));
            w.WriteEdocElement("ReceivedAt", new DateTimeOffset(2026, 1, 31, 15, 0, 0, TimeSpan.FromHours(7)));
            w.WriteEdocElement("Duplicate", false);
            w.WriteEdocBase64Element("Receipt", "<Receipt xmlns=\"urn:lgsp:receipt:1\"/>"u8.ToArray());
        },
        EdocContract.GetDocument => w =>
        {
            var size = (int)request.GetInt64("Id")!.Value;
            w.WriteEdocBase64Element("Package", RandomBytes(size, size));
        },
        EdocContract.GetPendingDocuments when request.GetInt32("MaxCount") == 1 => w =>
        {
            w.WriteEdocStartElement("Item");
            w.WriteEdocElement("Id", 7L);
            w.WriteEdocElement("DocumentId", "doc-1");
            w.WriteEdocElement("From", "000.00.01.H56");
            w.WriteEdocElement("To", request.Get("Agency"));
            w.WriteEdocElement("ReceivedAt", DateTimeOffset.UnixEpoch);
            w.WriteEdocElement("Size", 1L);
            w.WriteEndElement();
        },
        _ => SoapResponseWriterTests.SampleResponses[request.Operation],
    };

    private static async Task WriteFaultAsync(HttpContext context, SoapVersion version, EdxmlError error, bool clientFault)
    {
        context.Response.StatusCode = SoapResponseWriter.FaultStatusCode(version, error, clientFault);
        context.Response.ContentType = SoapResponseWriter.ContentType(version);
        SoapResponseWriter.WriteFault(context.Response.BodyWriter, version, error, clientFault);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static bool Authenticated(string authorization)
    {
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
            return pair == $"{User}:{Secret}";
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Copies what is read from a stream; asynchronous reads only, like Kestrel's body.</summary>
    private sealed class TeeStream(Stream inner, MemoryStream copy) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            copy.Write(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("synchronous read");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
