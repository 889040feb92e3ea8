using System.Buffers;
using System.Globalization;
using System.Text;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Spooling;

namespace Lgsp.Server.Inbound.Soap;

// The operation element: its fields checked against the contract, simple values read bounded, the
// package decoded from base64 in chunks.
public static partial class SoapRequestReader
{
    private sealed partial class Parser
    {
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
            PackageSpool? package = null;

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

        /// <summary>Decodes a base64 element in chunks straight into a spool and moves past its end: the
        /// package is never one string or one array here (ADR 0016).</summary>
        private async Task<PackageSpool> ReadBase64Async(string path)
        {
            var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
            var spool = spools();
            _spool = spool;
            try
            {
                while (true)
                {
                    int read;
                    try
                    {
                        read = await xml.ReadElementContentAsBase64Async(chunk, 0, ChunkSize).ConfigureAwait(false);
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

                    spool.Write(chunk.AsSpan(0, read));
                }

                spool.Complete();
                return spool;
            }
            catch
            {
                spool.Dispose();
                throw;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
    }
}
