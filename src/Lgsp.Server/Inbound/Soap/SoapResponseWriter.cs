using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Text;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Inbound.Soap;

/// <summary>
/// Writes the hub's SOAP answers: response envelopes for an operation, and faults carrying an
/// <c>Error</c> detail, in the version the request used. Also says which content type and HTTP
/// status go with them.
/// </summary>
/// <remarks>
/// Stateless and thread safe. Writing is synchronous into a buffer: give it ASP.NET Core's
/// <c>HttpResponse.BodyWriter</c> (an <see cref="IBufferWriter{T}"/>) and flush it afterwards, not
/// <c>HttpResponse.Body</c>, which forbids synchronous writes. The output is built in one pass;
/// if <c>writeChildren</c> throws, what was written so far is incomplete, so compute every value
/// before writing.
/// </remarks>
public static class SoapResponseWriter
{
    /// <summary>The <c>WWW-Authenticate</c> header sent with an HTTP 401.</summary>
    public const string BasicChallenge = "Basic realm=\"lgsp\"";

    private static readonly XmlWriterSettings WriterSettings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        CloseOutput = false,
        CheckCharacters = true,
        NewLineHandling = NewLineHandling.Entitize,
    };

    /// <summary>The content type of an answer in <paramref name="version"/>:
    /// <c>text/xml; charset=utf-8</c> or <c>application/soap+xml; charset=utf-8</c>.</summary>
    public static string ContentType(SoapVersion version) =>
        version == SoapVersion.Soap12 ? "application/soap+xml; charset=utf-8" : "text/xml; charset=utf-8";

    /// <summary>
    /// The HTTP status of a fault: 401 for <see cref="SoapErrors.Unauthenticated"/> (send
    /// <see cref="BasicChallenge"/> with it), 415 for <see cref="SoapErrors.UnsupportedMediaType"/>;
    /// otherwise 500, except a SOAP 1.2 sender fault, which is 400 (SOAP 1.2 part 2, §7.5.1).
    /// </summary>
    public static int FaultStatusCode(SoapVersion version, EdxmlError error, bool clientFault)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code switch
        {
            SoapErrors.Unauthenticated => 401,
            SoapErrors.UnsupportedMediaType => 415,
            _ => version == SoapVersion.Soap12 && clientFault ? 400 : 500,
        };
    }

    /// <summary>
    /// Writes <c>&lt;Envelope&gt;&lt;Body&gt;&lt;{operation}Response xmlns="urn:lgsp:edoc:1"&gt;</c>,
    /// lets <paramref name="writeChildren"/> write the children (see
    /// <see cref="EdocXmlWriterExtensions"/>), and closes the envelope.
    /// </summary>
    /// <param name="output">Where the UTF-8 bytes go.</param>
    /// <param name="version">The version of the request.</param>
    /// <param name="operation">One of <see cref="EdocContract.Operations"/>.</param>
    /// <param name="writeChildren">Writes the response's children, in the order of the XSD.</param>
    /// <exception cref="ArgumentException">Not an operation of the service.</exception>
    public static void WriteResponse(IBufferWriter<byte> output, SoapVersion version, string operation, Action<XmlWriter> writeChildren)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var stream = new BufferWriterStream(output);
        WriteResponse(stream, version, operation, writeChildren);
    }

    /// <inheritdoc cref="WriteResponse(IBufferWriter{byte}, SoapVersion, string, Action{XmlWriter})"/>
    public static void WriteResponse(Stream output, SoapVersion version, string operation, Action<XmlWriter> writeChildren)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(writeChildren);
        if (!EdocContract.IsOperation(operation))
        {
            throw new ArgumentException($"'{operation}' is not an operation of {EdocContract.Namespace}.", nameof(operation));
        }

        using var writer = XmlWriter.Create(output, WriterSettings);
        StartEnvelope(writer, version);
        writer.WriteStartElement(EdocContract.ResponseOf(operation), EdocContract.Namespace);
        writeChildren(writer);
        writer.WriteEndElement();
        EndEnvelope(writer);
    }

    /// <summary>
    /// Writes a response whose one child, <paramref name="element"/>, is the base64 of
    /// <paramref name="body"/>, encoded a chunk at a time as it is read from the store: each chunk is
    /// flushed to <paramref name="output"/> (and so towards the caller) before the next is read, so the
    /// answer is never held whole. The bytes are those of <see cref="WriteResponse(Stream, SoapVersion, string, Action{XmlWriter})"/>
    /// writing the whole body with one <c>WriteBase64</c>.
    /// </summary>
    /// <remarks>The start of the envelope is flushed before the body is read, so the response has
    /// started before anything can fail: a failure can only cut it short, and the caller must then
    /// abort the connection rather than append a fault.</remarks>
    /// <exception cref="ArgumentException">Not an operation of the service.</exception>
    public static async Task WriteBase64ResponseAsync(PipeWriter output, SoapVersion version, string operation, string element, PackageBody body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(body);
        if (!EdocContract.IsOperation(operation))
        {
            throw new ArgumentException($"'{operation}' is not an operation of {EdocContract.Namespace}.", nameof(operation));
        }

        using var stream = new BufferWriterStream(output);
        using var writer = XmlWriter.Create(stream, WriterSettings);
        StartEnvelope(writer, version);
        writer.WriteStartElement(EdocContract.ResponseOf(operation), EdocContract.Namespace);
        writer.WriteStartElement(element, EdocContract.Namespace);
        writer.Flush();
        await output.FlushAsync(ct);
        await body.ReadChunksAsync(async (chunk, token) =>
        {
            var raw = MemoryMarshal.TryGetArray(chunk, out var segment) ? segment : new ArraySegment<byte>(chunk.ToArray());
            writer.WriteBase64(raw.Array!, raw.Offset, raw.Count);
            writer.Flush();
            await output.FlushAsync(token);
        }, ct);
        writer.WriteEndElement();
        writer.WriteEndElement();
        EndEnvelope(writer);
        await output.FlushAsync(ct);
    }

    /// <summary>
    /// Writes a fault: SOAP 1.1 <c>faultcode</c> <c>soap:Client</c> or <c>soap:Server</c>, the
    /// English sentence as <c>faultstring</c>; SOAP 1.2 <c>Code/Value</c> <c>soap:Sender</c> or
    /// <c>soap:Receiver</c>, the English and Vietnamese sentences as <c>Reason/Text</c>. The detail
    /// (<c>detail</c>, 1.2 <c>Detail</c>) holds <c>&lt;Error xmlns="urn:lgsp:edoc:1"&gt;</c> with
    /// <c>Code</c>, <c>Field</c>, <c>Message</c>, <c>MessageVi</c>.
    /// </summary>
    /// <param name="output">Where the UTF-8 bytes go.</param>
    /// <param name="version">The version to answer in (see <see cref="SoapVersions.ReplyVersion"/>
    /// when the request's version is unknown).</param>
    /// <param name="error">The error.</param>
    /// <param name="clientFault">True for a client / sender fault.</param>
    public static void WriteFault(IBufferWriter<byte> output, SoapVersion version, EdxmlError error, bool clientFault)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var stream = new BufferWriterStream(output);
        WriteFault(stream, version, error, clientFault);
    }

    /// <inheritdoc cref="WriteFault(IBufferWriter{byte}, SoapVersion, EdxmlError, bool)"/>
    public static void WriteFault(Stream output, SoapVersion version, EdxmlError error, bool clientFault)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        using var writer = XmlWriter.Create(output, WriterSettings);
        var ns = version.EnvelopeNamespace();
        StartEnvelope(writer, version);
        writer.WriteStartElement("soap", "Fault", ns);
        if (version == SoapVersion.Soap11)
        {
            writer.WriteElementString("faultcode", clientFault ? "soap:Client" : "soap:Server");
            writer.WriteElementString("faultstring", XmlText.Clean(error.Message));
            writer.WriteStartElement("detail");
            WriteError(writer, error);
            writer.WriteEndElement();
        }
        else
        {
            writer.WriteStartElement("soap", "Code", ns);
            writer.WriteElementString("soap", "Value", ns, clientFault ? "soap:Sender" : "soap:Receiver");
            writer.WriteEndElement();
            writer.WriteStartElement("soap", "Reason", ns);
            WriteReasonText(writer, ns, "en", error.Message);
            WriteReasonText(writer, ns, "vi", error.MessageVi);
            writer.WriteEndElement();
            writer.WriteStartElement("soap", "Detail", ns);
            WriteError(writer, error);
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        EndEnvelope(writer);
    }

    private static void WriteReasonText(XmlWriter writer, string ns, string language, string text)
    {
        writer.WriteStartElement("soap", "Text", ns);
        writer.WriteAttributeString("xml", "lang", null, language);
        writer.WriteString(XmlText.Clean(text));
        writer.WriteEndElement();
    }

    private static void WriteError(XmlWriter writer, EdxmlError error)
    {
        writer.WriteEdocStartElement("Error");
        writer.WriteEdocElement("Code", error.Code);
        writer.WriteEdocElement("Field", error.Field);
        writer.WriteEdocElement("Message", error.Message);
        writer.WriteEdocElement("MessageVi", error.MessageVi);
        writer.WriteEndElement();
    }

    private static void StartEnvelope(XmlWriter writer, SoapVersion version)
    {
        var ns = version.EnvelopeNamespace();
        writer.WriteStartDocument();
        writer.WriteStartElement("soap", "Envelope", ns);
        writer.WriteStartElement("soap", "Body", ns);
    }

    private static void EndEnvelope(XmlWriter writer)
    {
        writer.WriteEndElement();
        writer.WriteEndElement();
        writer.WriteEndDocument();
        writer.Flush();
    }

    /// <summary>A write-only stream over an <see cref="IBufferWriter{T}"/>; never flushes it.</summary>
    private sealed class BufferWriterStream(IBufferWriter<byte> output) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => output.Write(buffer);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
