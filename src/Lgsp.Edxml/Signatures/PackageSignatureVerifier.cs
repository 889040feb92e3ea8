using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Spooling;
using Lgsp.Edxml.Trust;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Signatures;

// Split by concern: PackageSignatureVerifier.Shape.cs, .Certificates.cs and .Cryptography.cs.
/// <summary>
/// Verifies the envelope XMLDSig signature of an edXML package, strictly:
/// <list type="number">
/// <item>exactly one XMLDSig <c>Signature</c> in the whole document, a child of
/// <c>edXML/edXMLEnvelope/edXMLHeader</c> (<c>SignatureMisplaced</c>); with none, a placeholder
/// there makes the status <see cref="SignatureStatus.Placeholder"/> (a <c>SignaturePlaceholder</c>
/// warning), otherwise <see cref="SignatureStatus.Unsigned"/>;</item>
/// <item><c>SignedInfo</c> canonicalised with exclusive or inclusive C14N 1.0, a signature method
/// among RSA-SHA256/384/512 and ECDSA-SHA256/384/512, RSA-SHA1 only under
/// <see cref="SignaturePolicy.AllowSha1"/> (<c>SignatureAlgorithmNotAllowed</c>);</item>
/// <item>exactly one <c>Reference</c>, with <c>URI=""</c>: the whole document
/// (<c>SignatureReferenceInvalid</c>), so no element can be wrapped or moved out of what was
/// signed;</item>
/// <item>transforms: enveloped-signature (first, at most once) then at most one exclusive or
/// inclusive C14N 1.0 (<c>SignatureTransformNotAllowed</c> for XPath, XSLT or anything else);
/// digest SHA-256/384/512, SHA-1 only under the policy;</item>
/// <item>the signature holds only <c>SignedInfo</c>, <c>SignatureValue</c> and <c>KeyInfo</c>, made of
/// XMLDSig elements: no <c>Object</c> and no foreign elements, since nothing inside an enveloped
/// signature is signed (<c>SignatureInvalid</c>);</item>
/// <item>a certificate in <c>KeyInfo/X509Data</c> (<c>SignatureCertificateMissing</c>);</item>
/// <item>the reference digest, recomputed independently (<c>SignatureDigestMismatch</c>);</item>
/// <item>the signer's chain through the <see cref="ICertificateTrust"/>, when one is given;</item>
/// <item>the signature value with <c>SignedXml.CheckSignature(certificate, verifySignatureOnly:
/// true)</c> against the certificate the chain check approved (<c>SignatureInvalid</c>).</item>
/// </list>
/// Nothing is ever fetched: the document is parsed without DTDs or a resolver, the only reference
/// allowed is the document itself, and <c>SignedXml</c> keeps its default throwing resolver.
/// </summary>
/// <remarks>
/// Thread safe and reusable: the policy and the trust are immutable, and every call works on its
/// own <c>SignedXml</c>. <see cref="Verify(XmlDocument, DateTimeOffset?)"/> does not modify the
/// document, but the caller must not modify it concurrently either.
/// </remarks>
public sealed partial class PackageSignatureVerifier
{
    private const string SignatureField = "Signature";
    private const string SignedInfoField = "Signature/SignedInfo";
    private const string NotBase64 = "a value of the signature (SignatureValue or an X509Certificate) is not valid base64";
    private const string ReferenceField = "Signature/SignedInfo/Reference[1]";
    private const string KeyInfoField = "Signature/KeyInfo";

    private readonly ICertificateTrust? _trust;

    /// <summary>Creates a verifier.</summary>
    /// <param name="policy">What is accepted.</param>
    /// <param name="trust">The chain decision; without one, signatures can be
    /// <see cref="SignatureVerdict.IsValid"/> but never <see cref="SignatureVerdict.IsTrusted"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    public PackageSignatureVerifier(SignaturePolicy policy, ICertificateTrust? trust)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        _trust = trust;
        EcdsaSignatureDescription.EnsureRegistered();
    }

    /// <summary>The largest package XML judged by the document path (a DOM) when streaming cannot decide
    /// (16 MiB; <see cref="Verify(PackageSpool, DateTimeOffset?)"/>).</summary>
    public const long DomMaxBytes = 16L * 1024 * 1024;

    /// <summary>The policy this verifier applies.</summary>
    public SignaturePolicy Policy { get; }

    /// <summary>Verifies a package read from <paramref name="package"/> (to its end). Junk bytes
    /// before the XML are skipped (they are outside what any signature covers).</summary>
    /// <param name="package">The package.</param>
    /// <param name="signingTime">A trusted signing time for the chain check, if the caller has one.</param>
    /// <returns>The verdict; malformed or hostile XML gives an <see cref="SignatureStatus.Invalid"/>
    /// verdict carrying the reading finding. Never throws for bad input.</returns>
    public SignatureVerdict Verify(Stream package, DateTimeOffset? signingTime = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        try
        {
            return Verify(PackageInput.ReadAll(package, Policy.Limits), signingTime);
        }
        catch (EdxmlFormatException ex)
        {
            return Unreadable(ex.Error);
        }
    }

    /// <summary>Verifies a package given as bytes.</summary>
    /// <inheritdoc cref="Verify(Stream, DateTimeOffset?)"/>
    public SignatureVerdict Verify(byte[] package, DateTimeOffset? signingTime = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        try
        {
            var xml = PackageInput.XmlPart(package);
            var streamed = VerifyStreaming(xml, signingTime);

            // A digest that differs when streamed is judged again by SignedXml over a DOM, the verifier
            // before streaming: SignedXml re-reads a URI="" document before canonicalising it, so a package
            // it signed over whitespace written as character references (&#xD; in text; &#9;, &#10;, &#13;
            // in attributes) digests differently from the C14N of its bytes. Producers sign with SignedXml,
            // so its verdict stands for them, as it did; only such packages and tampered ones cost a DOM.
            return streamed is null || streamed.Errors.Any(e => e.Code == ErrorCode.SignatureDigestMismatch)
                ? VerifyDocument(xml, signingTime)
                : streamed;
        }
        catch (EdxmlFormatException ex)
        {
            return Unreadable(ex.Error);
        }
    }

    /// <summary>Verifies a spooled package, streaming it from the spool for each pass (no copy of the
    /// whole package; a digest that differs when streamed is judged by the DOM path, as for bytes).</summary>
    /// <inheritdoc cref="Verify(Stream, DateTimeOffset?)"/>
    public SignatureVerdict Verify(PackageSpool package, DateTimeOffset? signingTime = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        try
        {
            var start = PackageInput.XmlStart(package);
            Stream OpenXml()
            {
                var input = package.OpenRead();
                input.Position = start;
                return input;
            }

            var streamed = VerifyStreaming(OpenXml, signingTime);
            if (streamed is not null && !streamed.Errors.Any(e => e.Code == ErrorCode.SignatureDigestMismatch))
            {
                return streamed;
            }

            // The document path costs a DOM of the whole package, several times its size: only up to
            // DomMaxBytes, so memory stays bounded whatever is sent (ADR 0016). Above it a streamed digest
            // mismatch stands, and a signature out of its one place is refused without the DOM's wording.
            if (package.Length - start <= DomMaxBytes)
            {
                return VerifyDocument(OpenXml, signingTime);
            }

            return streamed ?? Invalid([EdxmlError.Create(ErrorCode.SignatureMisplaced, SignatureField,
                $"the package has no single XMLDSig Signature as a child of edXML/edXMLEnvelope/edXMLHeader (a package over {DomMaxBytes} bytes is not searched further)")]);
        }
        catch (EdxmlFormatException ex)
        {
            return Unreadable(ex.Error);
        }
    }

    /// <summary>Verifies a package already parsed. The document must have been loaded with
    /// <see cref="XmlDocument.PreserveWhitespace"/> set (as <see cref="SafeXml.LoadDocument"/> does),
    /// or no signature over it can verify.</summary>
    /// <param name="document">The package.</param>
    /// <param name="signingTime">A trusted signing time for the chain check, if the caller has one.</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ArgumentException">The document does not preserve whitespace.</exception>
    public SignatureVerdict Verify(XmlDocument document, DateTimeOffset? signingTime = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!document.PreserveWhitespace)
        {
            throw new ArgumentException("The document must be loaded with PreserveWhitespace = true.", nameof(document));
        }

        var header = PackageLayout.FindHeader(document, out var headerProblem);
        var signatures = document.GetElementsByTagName("Signature", XmlDsigAlgorithms.Namespace).OfType<XmlElement>().ToList();

        if (signatures.Count == 0)
        {
            return WithoutSignature(header);
        }

        var errors = new List<EdxmlError>();
        if (signatures.Count > 1)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureMisplaced, SignatureField,
                $"the package has {signatures.Count} XML signatures (at {string.Join(", ", signatures.Select(s => PackageLayout.PathOf(s.ParentNode)))}); exactly one is allowed"));
            return Invalid(errors);
        }

        var signature = signatures[0];
        if (header is null || signature.ParentNode != header)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureMisplaced, SignatureField,
                header is null
                    ? $"there is no place for it: {headerProblem}"
                    : $"it is a child of {PackageLayout.PathOf(signature.ParentNode)}, not of edXML/edXMLEnvelope/edXMLHeader"));
            return Invalid(errors);
        }

        var shape = Inspect(signature, errors, out var seenMethod, out var seenDigest);
        var certificates = ReadCertificates(signature, errors);
        if (errors.Count > 0 || shape is null)
        {
            return Invalid(errors, seenMethod, seenDigest, certificates);
        }

        var signer = SelectSigner(certificates);

        var (chain, approved) = CheckChain(signer, certificates, signingTime, errors);

        // SignedXml recomputes the digest itself, so a package that verifies is canonicalised once;
        // only a failure pays for the separate digest check that tells an altered package (digest
        // mismatch) from a bad signature value.
        var signatureErrors = new List<EdxmlError>();
        var valid = SignatureValueVerifies(document, signature, shape, approved, signatureErrors);
        if (!valid && DigestMatches(document, shape, errors))
        {
            errors.AddRange(signatureErrors);
        }

        return Checked(valid, signer, certificates, shape, chain, errors);
    }

    /// <summary>The verdict on a signature whose shape passed the policy: valid when its value (and so its
    /// digest) verified; trusted when, besides, its chain is.</summary>
    private static SignatureVerdict Checked(bool valid, X509Certificate2 signer, List<X509Certificate2> certificates, Shape shape, ChainVerdict? chain,
        List<EdxmlError> errors) =>
        new(valid ? SignatureStatus.Valid : SignatureStatus.Invalid, valid, valid && chain is { IsTrusted: true }, signer, certificates, shape.SignatureMethod,
            shape.DigestMethod, chain, errors);

    /// <summary>The signer's chain through the trust, when there is one, and the certificate the
    /// signature is then checked with: the chain's own copy of the signer when it approved it.</summary>
    private (ChainVerdict? Chain, X509Certificate2 Approved) CheckChain(X509Certificate2 signer, List<X509Certificate2> certificates, DateTimeOffset? signingTime, List<EdxmlError> errors)
    {
        if (_trust is null)
        {
            return (null, signer);
        }

        var chain = _trust.Check(signer, [.. certificates.Where(c => !ReferenceEquals(c, signer))], signingTime);
        errors.AddRange(chain.Errors.Select(e => e with { Field = KeyInfoField }));
        var approved = chain.Chain.Count > 0 && chain.Chain[0].RawData.AsSpan().SequenceEqual(signer.RawData) ? chain.Chain[0] : signer;
        return (chain, approved);
    }

    private SignatureVerdict WithoutSignature(XmlElement? header)
    {
        var errors = new List<EdxmlError>();
        var placeholders = header is null
            ? []
            : PackageLayout.ChildElements(header).Where(e => PackageLayout.IsPlaceholder(e.LocalName, e.NamespaceURI)).ToList();
        foreach (var placeholder in placeholders)
        {
            errors.Add(EdxmlError.Warn(ErrorCode.SignaturePlaceholder, placeholder.LocalName, PackageLayout.DescribePlaceholder(placeholder)));
        }

        if (Policy.RequireSignature)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureRequired, SignatureField));
        }

        return SignatureVerdict.WithoutSignature(placeholders.Count > 0 ? SignatureStatus.Placeholder : SignatureStatus.Unsigned, errors);
    }

    private static SignatureVerdict Invalid(List<EdxmlError> errors, string? method = null, string? digestMethod = null, IReadOnlyList<X509Certificate2>? certificates = null) =>
        new(SignatureStatus.Invalid, false, false, null, certificates ?? [], method, digestMethod, null, errors);

    private static SignatureVerdict Unreadable(EdxmlError error) => Invalid([error]);
}
