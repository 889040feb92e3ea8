using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Lgsp.Edxml.Errors;
using Lgsp.Server.Inbound.Soap;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static Lgsp.Server.Tests.Inbound.Soap.SoapSamples;

namespace Lgsp.Server.Tests.Inbound.Soap;

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
