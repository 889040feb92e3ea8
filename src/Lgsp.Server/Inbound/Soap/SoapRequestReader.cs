using System.Buffers;
using System.Globalization;
using System.Text;
using System.Xml;
using Lgsp.Edxml.Errors;

namespace Lgsp.Server.Inbound.Soap;

/// <summary>
/// Reads a SOAP 1.1 or 1.2 request of the <c>urn:lgsp:edoc:1</c> service from a stream, safely
/// and in one forward pass: no DTD, no resolver, bounded size, depth and field lengths; the package
/// is decoded from base64 in chunks, never as one giant string.
/// </summary>
/// <remarks>
/// Thread safe: every call has its own state. Reads only asynchronously, so it can be given an
/// ASP.NET Core request body directly (which forbids synchronous reads).
/// </remarks>
public static class SoapRequestReader
{
    private const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";
    private const int ChunkSize = 1024 * 1024;

    /// <summary>Reads and checks one request.</summary>
    /// <param name="body">The request body, positioned at its first byte; not closed.</param>
    /// <param name="contentType">The <c>Content-Type</c> header.</param>
    /// <param name="soapAction">The <c>SOAPAction</c> header (SOAP 1.1), or null.</param>
    /// <param name="limits">The bounds to enforce.</param>
    /// <param name="cancellationToken">Cancels reading the body.</param>
    /// <returns>The request, with every value checked against <see cref="EdocContract"/>.</returns>
    /// <exception cref="SoapFaultException">The request is refused; always a client fault. Codes:
    /// <see cref="SoapErrors.UnsupportedMediaType"/>, <see cref="ErrorCode.TooLarge"/>,
    /// <see cref="ErrorCode.MalformedXml"/>, <see cref="ErrorCode.DtdProhibited"/>,
    /// <see cref="ErrorCode.TooDeep"/>, <see cref="SoapErrors.MalformedSoap"/>,
    /// <see cref="SoapErrors.UnknownOperation"/>, <see cref="SoapErrors.MustUnderstand"/>,
    /// <see cref="ErrorCode.MissingField"/>, <see cref="ErrorCode.DuplicateField"/>,
    /// <see cref="ErrorCode.InvalidNumber"/>, <see cref="ErrorCode.InvalidDate"/>,
    /// <see cref="SoapErrors.InvalidValue"/>.</exception>
    public static async Task<SoapRequest> ReadAsync(Stream body, string? contentType, string? soapAction, SoapLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(limits);

        var version = SoapVersions.Detect(contentType, soapAction, out var action);
        var bounded = new BoundedReadStream(body, limits.MaxBodyBytes, cancellationToken);
        try
        {
            using var xml = XmlReader.Create(bounded, Settings(limits));
            return await new Parser(xml, version, action, limits).ReadAsync().ConfigureAwait(false);
        }
        catch (XmlException ex)
        {
            throw Translate(ex, limits);
        }
    }

    /// <summary>The settings of every request read.</summary>
    private static XmlReaderSettings Settings(SoapLimits limits) => new()
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = limits.MaxBodyBytes,
        MaxCharactersFromEntities = 1024,
        IgnoreWhitespace = true,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CheckCharacters = true,
        CloseInput = false,
    };

    private static SoapFaultException Translate(XmlException ex, SoapLimits limits)
    {
        var where = ex.LineNumber > 0 ? $"line {ex.LineNumber}, column {ex.LinePosition}" : "/";
        if (ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            return new SoapFaultException(SoapErrors.Create(ErrorCode.DtdProhibited, where), true, ex);
        }

        if (ex.Message.Contains("MaxCharactersInDocument", StringComparison.Ordinal))
        {
            return new SoapFaultException(SoapErrors.Create(ErrorCode.TooLarge, where, "The request body", $"{limits.MaxBodyBytes} characters"), true, ex);
        }

        return new SoapFaultException(SoapErrors.Create(ErrorCode.MalformedXml, where, ex.Message), true, ex);
    }

    private static SoapFaultException Malformed(string field, string why) => SoapErrors.Fault(SoapErrors.MalformedSoap, field, why);

    /// <summary>One pass over one request. After each step the reader sits on the node that
    /// follows what the step consumed.</summary>
    private sealed class Parser(XmlReader xml, SoapVersion version, string? action, SoapLimits limits)
    {
        private readonly string _envelopeNamespace = version.EnvelopeNamespace();

        public async Task<SoapRequest> ReadAsync()
        {
            if (await xml.MoveToContentAsync().ConfigureAwait(false) != XmlNodeType.Element)
            {
                throw Malformed("/", "the body holds no XML element.");
            }

            CheckEnvelope();
            if (xml.IsEmptyElement)
            {
                throw Malformed("Envelope", "the Envelope has no Body.");
            }

            var envelopeDepth = xml.Depth;
            var sawHeader = false;
            SoapRequest? request = null;
            await NextAsync().ConfigureAwait(false);
            while (!IsEndOf(envelopeDepth))
            {
                if (xml.NodeType == XmlNodeType.Element)
                {
                    if (IsEnvelopeElement("Header") && !sawHeader && request is null)
                    {
                        sawHeader = true;
                        await ReadHeaderAsync().ConfigureAwait(false);
                    }
                    else if (IsEnvelopeElement("Body") && request is null)
                    {
                        request = await ReadBodyAsync().ConfigureAwait(false);
                    }
                    else
                    {
                        throw Malformed("Envelope/" + xml.Name, $"the Envelope may hold one Header and then one Body ({_envelopeNamespace}), not {xml.Name}.");
                    }

                    continue;
                }

                RefuseText("Envelope");
                await NextAsync().ConfigureAwait(false);
            }

            if (request is null)
            {
                throw Malformed("Envelope", "the Envelope has no Body.");
            }

            // Read to the end so trailing garbage is refused and the body limit covers everything.
            while (await xml.ReadAsync().ConfigureAwait(false))
            {
            }

            return request;
        }

        private void CheckEnvelope()
        {
            var ns = xml.NamespaceURI;
            if (xml.LocalName != "Envelope" || (ns != SoapVersions.Soap11Namespace && ns != SoapVersions.Soap12Namespace))
            {
                throw Malformed("/", $"the root element is {{{ns}}}{xml.LocalName}, not a SOAP Envelope.");
            }

            if (ns != _envelopeNamespace)
            {
                var other = version == SoapVersion.Soap11 ? SoapVersion.Soap12 : SoapVersion.Soap11;
                throw Malformed("Envelope", $"the envelope is {other.DisplayName()} but the content type says {version.DisplayName()} (version mismatch).");
            }
        }

        private async Task ReadHeaderAsync()
        {
            if (xml.IsEmptyElement)
            {
                await NextAsync().ConfigureAwait(false);
                return;
            }

            var headerDepth = xml.Depth;
            await NextAsync().ConfigureAwait(false);
            while (!IsEndOf(headerDepth))
            {
                if (xml.NodeType == XmlNodeType.Element && xml.Depth == headerDepth + 1
                    && xml.GetAttribute("mustUnderstand", _envelopeNamespace)?.Trim() is "1" or "true")
                {
                    throw SoapErrors.Fault(SoapErrors.MustUnderstand, "Header/" + xml.Name, $"{{{xml.NamespaceURI}}}{xml.LocalName}");
                }

                // Every node of the header is walked (not skipped) so the depth limit holds inside it.
                await NextAsync().ConfigureAwait(false);
            }

            await NextAsync().ConfigureAwait(false);
        }

        private async Task<SoapRequest> ReadBodyAsync()
        {
            if (xml.IsEmptyElement)
            {
                throw Malformed("Body", "the Body is empty.");
            }

            var bodyDepth = xml.Depth;
            SoapRequest? request = null;
            await NextAsync().ConfigureAwait(false);
            while (!IsEndOf(bodyDepth))
            {
                if (xml.NodeType == XmlNodeType.Element)
                {
                    if (request is not null)
                    {
                        throw Malformed("Body/" + xml.Name, "the Body holds more than one element; send one operation per request.");
                    }

                    request = await ReadOperationAsync().ConfigureAwait(false);
                    continue;
                }

                RefuseText("Body");
                await NextAsync().ConfigureAwait(false);
            }

            if (request is null)
            {
                throw Malformed("Body", "the Body is empty.");
            }

            await NextAsync().ConfigureAwait(false);
            return request;
        }

        private async Task<SoapRequest> ReadOperationAsync()
        {
            var operation = xml.LocalName;
            if (xml.NamespaceURI != EdocContract.Namespace || !EdocContract.IsOperation(operation))
            {
                throw SoapErrors.Fault(SoapErrors.UnknownOperation, "Body/" + xml.Name, $"{{{xml.NamespaceURI}}}{operation}");
            }

            if (action is not null && action != EdocContract.ActionOf(operation) && action != operation)
            {
                throw Malformed(version == SoapVersion.Soap12 ? "Content-Type" : "SOAPAction", $"the action '{action}' does not match the operation {operation} in the Body (expected {EdocContract.ActionOf(operation)}).");
            }

            var expected = EdocContract.RequestFields(operation);
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            byte[]? package = null;

            if (xml.IsEmptyElement)
            {
                await NextAsync().ConfigureAwait(false);
            }
            else
            {
                var operationDepth = xml.Depth;
                await NextAsync().ConfigureAwait(false);
                while (!IsEndOf(operationDepth))
                {
                    if (xml.NodeType != XmlNodeType.Element)
                    {
                        RefuseText(operation);
                        await NextAsync().ConfigureAwait(false);
                        continue;
                    }

                    var path = operation + "/" + xml.LocalName;
                    if (xml.NamespaceURI != EdocContract.Namespace)
                    {
                        throw Malformed(path, $"the element {xml.Name} must be in namespace {EdocContract.Namespace}, not '{xml.NamespaceURI}'.");
                    }

                    var field = expected.FirstOrDefault(f => f.Name == xml.LocalName)
                        ?? throw Malformed(path, $"{operation} has no element {xml.LocalName}; it takes {string.Join(", ", expected.Select(f => f.Name))}.");
                    if (!seen.Add(field.Name))
                    {
                        throw SoapErrors.Fault(ErrorCode.DuplicateField, path, field.Name);
                    }

                    if (IsNil())
                    {
                        if (await ReadTextAsync(path).ConfigureAwait(false) is { Length: > 0 })
                        {
                            throw Malformed(path, "an element marked xsi:nil must be empty.");
                        }

                        continue;
                    }

                    if (field.Kind == FieldKind.Base64)
                    {
                        package = await ReadBase64Async(path).ConfigureAwait(false);
                        continue;
                    }

                    var text = await ReadTextAsync(path).ConfigureAwait(false);
                    if (text.Length > 0)
                    {
                        Check(field, text, path);
                        fields[field.Name] = text;
                    }
                }

                await NextAsync().ConfigureAwait(false);
            }

            foreach (var field in expected)
            {
                var given = field.Kind == FieldKind.Base64 ? package is { Length: > 0 } : fields.ContainsKey(field.Name);
                if (field.Required && !given)
                {
                    throw SoapErrors.Fault(ErrorCode.MissingField, operation + "/" + field.Name, field.Name);
                }
            }

            return new SoapRequest(version, operation, fields, package);
        }

        private static void Check(RequestField field, string text, string path)
        {
            switch (field.Kind)
            {
                case FieldKind.Int64:
                    if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                    {
                        throw SoapErrors.Fault(ErrorCode.InvalidNumber, path, text, "xs:long");
                    }

                    break;
                case FieldKind.PositiveInt32:
                    if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count) || count < 1)
                    {
                        throw SoapErrors.Fault(ErrorCode.InvalidNumber, path, text, "an xs:int of at least 1");
                    }

                    break;
                case FieldKind.DateTime:
                    try
                    {
                        SoapRequest.ParseDateTime(text);
                    }
                    catch (FormatException)
                    {
                        throw SoapErrors.Fault(ErrorCode.InvalidDate, path, text, "xs:dateTime, e.g. 2026-01-31T08:00:00Z");
                    }

                    break;
                case FieldKind.Outcome:
                    if (!EdocContract.Outcomes.Contains(text))
                    {
                        throw SoapErrors.Fault(SoapErrors.InvalidValue, path, text, string.Join(" or ", EdocContract.Outcomes));
                    }

                    break;
            }
        }

        /// <summary>Reads a simple element's text, bounded, and moves past its end.</summary>
        private async Task<string> ReadTextAsync(string path)
        {
            if (xml.IsEmptyElement)
            {
                await NextAsync().ConfigureAwait(false);
                return "";
            }

            var depth = xml.Depth;
            var text = new StringBuilder();
            var buffer = new char[1024];
            await NextAsync().ConfigureAwait(false);
            while (!IsEndOf(depth))
            {
                switch (xml.NodeType)
                {
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                        int read;
                        while ((read = await xml.ReadValueChunkAsync(buffer, 0, buffer.Length).ConfigureAwait(false)) > 0)
                        {
                            if (text.Length + read > limits.MaxFieldLength)
                            {
                                throw SoapErrors.Fault(ErrorCode.TooLarge, path, "The element " + path, $"{limits.MaxFieldLength} characters");
                            }

                            text.Append(buffer, 0, read);
                        }

                        break;
                    case XmlNodeType.Element:
                        throw Malformed(path, $"a simple value may not contain elements ({xml.Name}).");
                }

                await NextAsync().ConfigureAwait(false);
            }

            await NextAsync().ConfigureAwait(false);
            return text.ToString().Trim();
        }

        /// <summary>Decodes a base64 element in chunks and moves past its end.</summary>
        private async Task<byte[]> ReadBase64Async(string path)
        {
            var chunks = new List<byte[]>();
            var last = 0;
            try
            {
                while (true)
                {
                    if (chunks.Count == 0 || last == ChunkSize)
                    {
                        chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkSize));
                        last = 0;
                    }

                    int read;
                    try
                    {
                        read = await xml.ReadElementContentAsBase64Async(chunks[^1], last, ChunkSize - last).ConfigureAwait(false);
                    }
                    catch (XmlException ex) when (ex.Message.Contains("Base64", StringComparison.OrdinalIgnoreCase))
                    {
                        // The reader rethrows the decoder's FormatException as a bare XmlException.
                        throw new SoapFaultException(SoapErrors.Create(SoapErrors.MalformedSoap, path, "the package is not valid base64: " + ex.Message), true, ex);
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    last += read;
                }

                var total = ((long)(chunks.Count - 1) * ChunkSize) + last;
                var package = GC.AllocateUninitializedArray<byte>(checked((int)total));
                for (var i = 0; i < chunks.Count; i++)
                {
                    var length = i == chunks.Count - 1 ? last : ChunkSize;
                    chunks[i].AsSpan(0, length).CopyTo(package.AsSpan(i * ChunkSize));
                }

                return package;
            }
            finally
            {
                foreach (var chunk in chunks)
                {
                    ArrayPool<byte>.Shared.Return(chunk);
                }
            }
        }

        private bool IsNil() => xml.GetAttribute("nil", XsiNamespace)?.Trim() is "true" or "1";

        private bool IsEnvelopeElement(string localName) => xml.LocalName == localName && xml.NamespaceURI == _envelopeNamespace;

        private bool IsEndOf(int depth) => xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth;

        private void RefuseText(string where)
        {
            if (xml.NodeType is XmlNodeType.Text or XmlNodeType.CDATA)
            {
                throw Malformed(where, $"text is not allowed directly in {where}.");
            }
        }

        /// <summary>Moves to the next node; enforces the depth limit on every element.</summary>
        private async Task NextAsync()
        {
            if (!await xml.ReadAsync().ConfigureAwait(false))
            {
                throw Malformed("/", "the request ends early.");
            }

            if (xml.NodeType == XmlNodeType.Element && xml.Depth > limits.MaxDepth)
            {
                throw SoapErrors.Fault(ErrorCode.TooDeep, "line " + ((IXmlLineInfo)xml).LineNumber, limits.MaxDepth);
            }
        }
    }

    /// <summary>Counts the bytes read and refuses the request once they pass the limit.</summary>
    private sealed class BoundedReadStream(Stream inner, long maxBytes, CancellationToken cancellationToken) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken token = default) =>
            Count(await inner.ReadAsync(buffer, token.CanBeCanceled ? token : cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken token) =>
            ReadAsync(buffer.AsMemory(offset, count), token).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            if (_read > maxBytes)
            {
                throw SoapErrors.Fault(ErrorCode.TooLarge, "/", "The request body", $"{maxBytes} bytes");
            }

            return read;
        }
    }
}
