using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Trust;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Signatures;

/// <summary>The verdict on a small signed XML document such as a hub receipt.</summary>
/// <param name="IsValid">The signature is the root's last child, has the one allowed shape and verifies
/// with the signer certificate's key.</param>
/// <param name="IsTrusted">Valid, and the signer chains to the given trust.</param>
/// <param name="Signer">The signer certificate, when present.</param>
/// <param name="Problem">Why it is not valid or not trusted; null when it is both.</param>
public sealed record SignedXmlVerdict(bool IsValid, bool IsTrusted, X509Certificate2? Signer, string? Problem)
{
    /// <summary>The structured finding when the signer is refused for who it is
    /// (<c>SignerNotPinned</c>); null otherwise.</summary>
    public EdxmlError? Error { get; init; }
}

/// <summary>
/// Signs and verifies whole XML documents (receipts, checkpoints) with an enveloped XMLDSig signature
/// that is the last child of the root element, with the same algorithms as <see cref="PackageSigner"/>.
/// </summary>
/// <remarks>Thread safe: stateless. Use it for the hub's own documents; packages go through
/// <see cref="PackageSigner"/> and <see cref="PackageSignatureVerifier"/>, which know the edXML layout.</remarks>
public static class SignedXmlDocument
{
    /// <summary>Signs <paramref name="document"/> and returns its UTF-8 bytes (no byte-order mark).</summary>
    /// <param name="document">The document; the signature is appended to its root element.</param>
    /// <param name="signer">A certificate with an RSA or ECDSA private key.</param>
    /// <param name="chain">Issuing certificates to carry in <c>X509Data</c>.</param>
    /// <exception cref="ArgumentException">The certificate has no private key.</exception>
    /// <exception cref="CryptographicException">Signing failed.</exception>
    public static byte[] Sign(XmlDocument document, X509Certificate2 signer, IEnumerable<X509Certificate2>? chain = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(signer);
        var root = document.DocumentElement ?? throw new ArgumentException("The document has no root element.", nameof(document));
        root.AppendChild(document.ImportNode(SignatureBuilder.Compute(document, signer, chain), deep: true));
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            document.Save(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>Verifies a document signed by <see cref="Sign"/>, and its signer's chain as of the
    /// time the document was signed.</summary>
    /// <param name="xml">The signed document's bytes.</param>
    /// <param name="signer">What the signer must satisfy; <see cref="SignerCheck.SignatureOnly"/>
    /// checks the signature alone, and the verdict is then never trusted. When it is
    /// <see cref="SignerCheck.IsPinned"/>, a signer outside the pins is never trusted
    /// (<c>SignerNotPinned</c>), whatever its chain.</param>
    /// <param name="signedAt">When the document was signed: the time its own signed content states
    /// (a checkpoint's <c>SealedAt</c>, a receipt's <c>ReceivedAt</c>; an altered time breaks this
    /// very signature) or one the caller otherwise trusts, never a time from outside the signature.
    /// It is handed to the trust as the signing time, so a trust whose policy is
    /// <see cref="ValidityTime.SigningTime"/> checks the chain as of this instant and a document
    /// signed before its certificate expired still verifies; a trust checking at
    /// <see cref="ValidityTime.Now"/> ignores it. Null when no signing time is known.</param>
    /// <param name="limits">Parsing bounds; default <see cref="XmlLimits.Default"/>.</param>
    /// <returns>The verdict; never throws for bad input.</returns>
    public static SignedXmlVerdict Verify(byte[] xml, SignerCheck signer, DateTimeOffset? signedAt, XmlLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(signer);
        XmlDocument document;
        try
        {
            document = SafeXml.LoadDocument(new MemoryStream(xml, writable: false), limits ?? XmlLimits.Default);
        }
        catch (EdxmlFormatException ex)
        {
            return new SignedXmlVerdict(false, false, null, ex.Error.Message);
        }

        var signatures = document.GetElementsByTagName("Signature", XmlDsigAlgorithms.Namespace).OfType<XmlElement>().ToList();
        if (signatures.Count != 1 || signatures[0].ParentNode != document.DocumentElement || signatures[0].NextSibling is not null)
        {
            return new SignedXmlVerdict(false, false, null, "exactly one signature, the last child of the root element, is expected");
        }

        var signedXml = new SignedXml(document);
        try
        {
            signedXml.LoadXml(signatures[0]);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            // A malformed signature element, or a SignatureValue or certificate that is not base64.
            return new SignedXmlVerdict(false, false, null, "the signature cannot be read: " + ex.Message);
        }

        var shapeProblem = CheckShape(signedXml);
        var certificates = signedXml.KeyInfo?.OfType<KeyInfoX509Data>().SelectMany(d => d.Certificates?.OfType<X509Certificate2>() ?? []).ToList() ?? [];
        var certificate = certificates.FirstOrDefault();
        if (shapeProblem is not null || certificate is null)
        {
            return new SignedXmlVerdict(false, false, certificate, shapeProblem ?? "the signature carries no certificate");
        }

        EcdsaSignatureDescription.EnsureRegistered();
        bool valid;
        try
        {
            valid = signedXml.CheckSignature(certificate, verifySignatureOnly: true);
        }
        catch (CryptographicException ex)
        {
            return new SignedXmlVerdict(false, false, certificate, ex.Message);
        }

        if (!valid)
        {
            return new SignedXmlVerdict(false, false, certificate, "the signature does not verify (the document was altered or the signature is wrong)");
        }

        if (!signer.Admits(certificate))
        {
            var error = EdxmlError.Create(ErrorCode.SignerNotPinned, "Signature/KeyInfo", certificate.Subject, SignerCheck.Fingerprint(certificate),
                string.Join(", ", signer.Pinned.Order(StringComparer.Ordinal)));
            return new SignedXmlVerdict(true, false, certificate, $"{error.Code}: {error.Message}") { Error = error };
        }

        if (signer.Trust is not { } trust)
        {
            return new SignedXmlVerdict(true, false, certificate, "no trust root was given");
        }

        var chain = trust.Check(certificate, [.. certificates.Skip(1), .. signer.ExtraCertificates], signedAt);
        return new SignedXmlVerdict(true, chain.IsTrusted, certificate, chain.IsTrusted ? null : string.Join("; ", chain.Errors.Select(e => e.Message)));
    }

    /// <summary>The certificates a signed document's signature carries in <c>X509Data</c>, signer
    /// first, as they appear; empty when the bytes are not a signed document. Nothing is verified.</summary>
    public static IReadOnlyList<X509Certificate2> Certificates(byte[] xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        try
        {
            var document = SafeXml.LoadDocument(new MemoryStream(xml, writable: false), XmlLimits.Default);
            return [.. document.GetElementsByTagName("X509Certificate", XmlDsigAlgorithms.Namespace).OfType<XmlElement>()
                .Select(e => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(e.InnerText)))];
        }
        catch (Exception ex) when (ex is EdxmlFormatException or FormatException or CryptographicException)
        {
            return [];
        }
    }

    private static string? CheckShape(SignedXml signedXml)
    {
        var info = signedXml.SignedInfo;
        if (info is null || info.References.Count != 1 || info.References[0] is not Reference reference || reference.Uri != string.Empty)
        {
            return "exactly one reference, to the whole document (URI=\"\"), is expected";
        }

        if (info.CanonicalizationMethod != XmlDsigAlgorithms.ExclusiveC14N
            || info.SignatureMethod is not (XmlDsigAlgorithms.RsaSha256 or XmlDsigAlgorithms.EcdsaSha256)
            || reference.DigestMethod != XmlDsigAlgorithms.Sha256)
        {
            return $"algorithms {info.CanonicalizationMethod}, {info.SignatureMethod}, {reference.DigestMethod} are not the expected ones";
        }

        var transforms = new List<string?>();
        for (var i = 0; i < reference.TransformChain.Count; i++)
        {
            transforms.Add(reference.TransformChain[i].Algorithm);
        }

        return transforms.SequenceEqual([SignedXml.XmlDsigEnvelopedSignatureTransformUrl, XmlDsigAlgorithms.ExclusiveC14N])
            ? null
            : "the transforms must be enveloped-signature then exclusive C14N";
    }
}
