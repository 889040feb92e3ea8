using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Signatures;

/// <summary>
/// Signs an edXML package with an enveloped XMLDSig signature over the whole document:
/// <c>Reference URI=""</c>, transforms enveloped-signature then exclusive C14N, <c>SignedInfo</c>
/// canonicalised with exclusive C14N, RSA-SHA256 for RSA keys or ECDSA-SHA256 for EC keys, digest
/// SHA-256, and <c>KeyInfo/X509Data</c> carrying the signer certificate followed by the given chain
/// certificates (self-signed roots left out).
/// </summary>
/// <remarks>
/// <para>The <c>ds:Signature</c> becomes the last child of <c>edXMLHeader</c>, after every
/// placeholder there (<c>Signature</c> in the edXML namespace or none, <c>DigitalSignature</c>) has
/// been removed together with its indentation. Junk bytes before the XML and a byte-order mark
/// are dropped. Everything else is kept byte for byte, including the XML declaration and line
/// endings: the signer edits the bytes and never re-serialises the document. The result is UTF-8
/// without a byte-order mark.</para>
/// <para>Before returning, the signed bytes are parsed and verified again; a signature that would
/// not verify is never handed out.</para>
/// <para>Thread safe: stateless.</para>
/// </remarks>
public static class PackageSigner
{
    /// <summary>Signs a package read from <paramref name="package"/> (read to its end).</summary>
    /// <inheritdoc cref="Sign(byte[], X509Certificate2, IEnumerable{X509Certificate2}?, XmlLimits?)"/>
    public static byte[] Sign(Stream package, X509Certificate2 signer, IEnumerable<X509Certificate2>? chain = null, XmlLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        limits ??= XmlLimits.Default;
        return Sign(PackageInput.ReadAll(package, limits), signer, chain, limits);
    }

    /// <summary>Signs a package.</summary>
    /// <param name="package">The package bytes (junk before the XML is allowed and dropped).</param>
    /// <param name="signer">The signing certificate, with an RSA or ECDSA private key.</param>
    /// <param name="chain">Certificates to add to <c>X509Data</c> after the signer (typically the
    /// issuing CA); self-signed certificates and the signer itself are skipped.</param>
    /// <param name="limits">Bounds for parsing; default <see cref="XmlLimits.Default"/>.</param>
    /// <returns>The signed package, UTF-8 without a byte-order mark.</returns>
    /// <exception cref="EdxmlFormatException">The package is not well-formed, hostile, too large,
    /// not an edXML package, or has no usable <c>edXMLHeader</c>.</exception>
    /// <exception cref="ArgumentException">The certificate has no usable private key, or the
    /// package already carries an XML signature.</exception>
    /// <exception cref="NotSupportedException">The package is not UTF-8, or the key is neither RSA
    /// nor ECDSA.</exception>
    /// <exception cref="CryptographicException">Signing failed.</exception>
    public static byte[] Sign(byte[] package, X509Certificate2 signer, IEnumerable<X509Certificate2>? chain = null, XmlLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(signer);
        limits ??= XmlLimits.Default;
        var xml = PackageInput.XmlPart(package);
        RefuseNonUtf8(xml);

        // 1. Find the placeholders and the header end tag in the bytes, and cut the placeholders out.
        var layout = HeaderLocator.Locate(xml, limits);
        if (layout.DeclaredEncoding is { Length: > 0 } declared && !declared.Equals("UTF-8", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"The package declares encoding {declared}; only UTF-8 packages can be signed.");
        }

        var unsigned = Cut(xml, layout.Placeholders, out var removed);
        var insertAt = layout.HeaderEndTag - removed;

        // 2. Sign exactly those bytes, as parsed.
        var document = SafeXml.LoadDocument(new MemoryStream(unsigned, writable: false), limits);
        CheckSignable(document);
        var signature = SignatureBuilder.Compute(document, signer, chain);

        // 3. Put the signature right before </edXMLHeader>.
        var signatureBytes = Encoding.UTF8.GetBytes(signature.OuterXml);
        var signed = new byte[unsigned.Length + signatureBytes.Length];
        unsigned.AsSpan(0, insertAt).CopyTo(signed);
        signatureBytes.CopyTo(signed.AsSpan(insertAt));
        unsigned.AsSpan(insertAt).CopyTo(signed.AsSpan(insertAt + signatureBytes.Length));

        SelfCheck(signed, signer, limits);
        return signed;
    }

    private static void CheckSignable(XmlDocument document)
    {
        if (PackageLayout.FindHeader(document, out var problem) is null)
        {
            var root = document.DocumentElement;
            if (root is null || root.LocalName != "edXML" || root.NamespaceURI != PackageLayout.EdxmlNamespace)
            {
                throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.NotEdxml, "/", root?.Name, PackageLayout.EdxmlNamespace));
            }

            throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.MissingField, "edXMLEnvelope/edXMLHeader", problem));
        }

        if (document.GetElementsByTagName("Signature", XmlDsigAlgorithms.Namespace).Count > 0)
        {
            throw new ArgumentException("The package already carries an XML signature; counter-signing is not supported.", "package");
        }
    }

    private static void SelfCheck(byte[] signed, X509Certificate2 signer, XmlLimits limits)
    {
        var verdict = new PackageSignatureVerifier(new SignaturePolicy { Limits = limits }, trust: null).Verify(signed);
        if (!verdict.IsValid || verdict.Signer is null || !verdict.Signer.RawData.AsSpan().SequenceEqual(signer.RawData))
        {
            throw new CryptographicException("The freshly signed package does not verify: " + string.Join("; ", verdict.Errors));
        }
    }

    private static byte[] Cut(byte[] xml, IReadOnlyList<(int Start, int End)> ranges, out int removed)
    {
        removed = ranges.Sum(r => r.End - r.Start);
        if (removed == 0)
        {
            return xml;
        }

        var result = new byte[xml.Length - removed];
        int from = 0, to = 0;
        foreach (var (start, end) in ranges)
        {
            xml.AsSpan(from, start - from).CopyTo(result.AsSpan(to));
            to += start - from;
            from = end;
        }

        xml.AsSpan(from).CopyTo(result.AsSpan(to));
        return result;
    }

    private static void RefuseNonUtf8(byte[] xml)
    {
        // UTF-16 and UTF-32 start with a zero byte or a UTF-16 byte-order mark.
        if (xml.Length >= 2 && (xml[0] == 0 || xml[1] == 0 || (xml[0] == 0xFE && xml[1] == 0xFF) || (xml[0] == 0xFF && xml[1] == 0xFE)))
        {
            throw new NotSupportedException("Only UTF-8 packages can be signed.");
        }
    }
}
