using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Spooling;

namespace Lgsp.Server.Inbound.Soap;

// The parser's walk over the envelope (Envelope, Header, Body) and the moves it makes from node to node.
public static partial class SoapRequestReader
{
    /// <summary>One pass over one request. After each step the reader sits on the node that
    /// follows what the step consumed.</summary>
    private sealed partial class Parser(XmlReader xml, SoapVersion version, string? action, SoapLimits limits, Func<PackageSpool> spools)
    {
        private readonly string _envelopeNamespace = version.EnvelopeNamespace();

        // The package's spool once decoding began: deleted when the request is refused after it.
        private PackageSpool? _spool;

        /// <summary>Deletes the spool of a request that was refused.</summary>
        public void Abandon() => _spool?.Dispose();

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
}
