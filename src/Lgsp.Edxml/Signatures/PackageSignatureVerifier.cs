using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Trust;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Signatures;

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
public sealed class PackageSignatureVerifier
{
    private const string SignatureField = "Signature";
    private const string SignedInfoField = "Signature/SignedInfo";
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
        XmlDocument document;
        try
        {
            var xml = PackageInput.XmlPart(package);
            document = SafeXml.LoadDocument(new MemoryStream(xml, writable: false), Policy.Limits);
        }
        catch (EdxmlFormatException ex)
        {
            return Unreadable(ex.Error);
        }

        return Verify(document, signingTime);
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

        ChainVerdict? chain = null;
        var approved = signer;
        if (_trust is not null)
        {
            chain = _trust.Check(signer, [.. certificates.Where(c => !ReferenceEquals(c, signer))], signingTime);
            errors.AddRange(chain.Errors.Select(e => e with { Field = KeyInfoField }));
            if (chain.Chain.Count > 0 && chain.Chain[0].RawData.AsSpan().SequenceEqual(signer.RawData))
            {
                approved = chain.Chain[0];
            }
        }

        // SignedXml recomputes the digest itself, so a package that verifies is canonicalised once;
        // only a failure pays for the separate digest check that tells an altered package (digest
        // mismatch) from a bad signature value.
        var signatureErrors = new List<EdxmlError>();
        var valid = SignatureValueVerifies(document, signature, shape, approved, signatureErrors);
        if (!valid && DigestMatches(document, shape, errors))
        {
            errors.AddRange(signatureErrors);
        }
        return new SignatureVerdict(
            valid ? SignatureStatus.Valid : SignatureStatus.Invalid,
            valid,
            valid && chain is { IsTrusted: true },
            signer,
            certificates,
            shape.SignatureMethod,
            shape.DigestMethod,
            chain,
            errors);
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

    /// <summary>The parts of <c>SignedInfo</c> the checks need, read without trusting them.</summary>
    private sealed record Shape(
        string SignatureMethod,
        string DigestMethod,
        byte[] DigestValue,
        bool Enveloped,
        string Canonicalization,
        string? InclusivePrefixes);

    private Shape? Inspect(XmlElement signature, List<EdxmlError> errors, out string? method, out string? digestMethod)
    {
        method = digestMethod = null;
        if (!OnlySignatureContent(signature, errors))
        {
            return null;
        }

        var info = PackageLayout.DsChildren(signature, "SignedInfo").Single();
        var c14n = Algorithm(info, "CanonicalizationMethod");
        if (c14n is null || !XmlDsigAlgorithms.Canonicalizations.Contains(c14n))
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureAlgorithmNotAllowed, SignedInfoField + "/CanonicalizationMethod", c14n ?? "(none)"));
        }

        method = Algorithm(info, "SignatureMethod");
        if (method is null || !XmlDsigAlgorithms.SignatureMethodIsEcdsa.ContainsKey(method) || (XmlDsigAlgorithms.IsSha1(method) && !Policy.AllowSha1))
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureAlgorithmNotAllowed, SignedInfoField + "/SignatureMethod", method ?? "(none)"));
        }

        var references = PackageLayout.DsChildren(info, "Reference").ToList();
        if (references.Count != 1)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureReferenceInvalid, SignedInfoField, $"found {references.Count} references"));
            return null;
        }

        var reference = references[0];
        var uri = reference.GetAttributeNode("URI");
        if (uri is null || uri.Value.Length != 0)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureReferenceInvalid, ReferenceField,
                uri is null ? "the reference has no URI attribute" : $"the reference URI is \"{uri.Value}\""));
        }

        var (enveloped, canonicalization, prefixes) = InspectTransforms(reference, errors);

        digestMethod = Algorithm(reference, "DigestMethod");
        if (digestMethod is null || !XmlDsigAlgorithms.Digests.ContainsKey(digestMethod) || (XmlDsigAlgorithms.IsSha1(digestMethod) && !Policy.AllowSha1))
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureAlgorithmNotAllowed, ReferenceField + "/DigestMethod", digestMethod ?? "(none)"));
        }

        byte[]? digestValue = null;
        var digestElement = PackageLayout.DsChildren(reference, "DigestValue").FirstOrDefault();
        try
        {
            digestValue = digestElement is null ? null : Convert.FromBase64String(digestElement.InnerText);
        }
        catch (FormatException)
        {
            // Reported below.
        }

        if (digestValue is null)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureInvalid, ReferenceField + "/DigestValue", "the reference has no base64 DigestValue"));
        }

        return errors.Count > 0 || method is null || digestMethod is null || digestValue is null
            ? null
            : new Shape(method, digestMethod, digestValue, enveloped, canonicalization, prefixes);
    }

    /// <summary>Nothing inside the signature is covered by the enveloped reference, so it may hold
    /// only what XMLDSig needs: <c>SignedInfo</c>, <c>SignatureValue</c> and <c>KeyInfo</c>, made of
    /// XMLDSig elements. An <c>Object</c>, or an edXML element tucked into <c>KeyInfo</c>, would be
    /// unsigned content a careless reader could pick up (a wrapping attack).</summary>
    private static bool OnlySignatureContent(XmlElement signature, List<EdxmlError> errors)
    {
        var children = PackageLayout.ChildElements(signature).ToList();
        var unexpected = children
            .Where(e => e.NamespaceURI != XmlDsigAlgorithms.Namespace || e.LocalName is not ("SignedInfo" or "SignatureValue" or "KeyInfo"))
            .Select(e => e.Name)
            .Concat(signature.GetElementsByTagName("*").OfType<XmlElement>()
                .Where(e => e.NamespaceURI is not (XmlDsigAlgorithms.Namespace or XmlDsigAlgorithms.ExclusiveC14NNamespace or XmlDsigAlgorithms.Dsig11Namespace))
                .Select(e => e.Name))
            .Distinct()
            .ToList();

        if (unexpected.Count > 0)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureInvalid, SignatureField,
                $"the signature contains {string.Join(", ", unexpected)}; only SignedInfo, SignatureValue and KeyInfo made of XMLDSig elements are allowed, because nothing inside the signature is signed"));
            return false;
        }

        if (children.Count(e => e.LocalName == "SignedInfo") != 1 || children.Count(e => e.LocalName == "SignatureValue") != 1 || children.Count(e => e.LocalName == "KeyInfo") > 1)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureInvalid, SignatureField,
                "the signature must have one SignedInfo, one SignatureValue and at most one KeyInfo"));
            return false;
        }

        return true;
    }

    private static (bool Enveloped, string Canonicalization, string? Prefixes) InspectTransforms(XmlElement reference, List<EdxmlError> errors)
    {
        const string field = ReferenceField + "/Transforms/Transform";
        bool enveloped = false, canonicalized = false;
        var canonicalization = XmlDsigAlgorithms.InclusiveC14N; // XMLDSig's implicit final conversion
        string? prefixes = null;

        var transforms = PackageLayout.DsChildren(reference, "Transforms").ToList();
        if (transforms.Count > 1)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureTransformNotAllowed, ReferenceField + "/Transforms", "(more than one Transforms element)"));
            return (enveloped, canonicalization, prefixes);
        }

        foreach (var transform in transforms.SelectMany(t => PackageLayout.ChildElements(t)))
        {
            var algorithm = transform.NamespaceURI == XmlDsigAlgorithms.Namespace && transform.LocalName == "Transform"
                ? transform.GetAttribute("Algorithm")
                : $"{{{transform.NamespaceURI}}}{transform.LocalName}";

            if (algorithm == XmlDsigAlgorithms.EnvelopedSignature && !enveloped && !canonicalized)
            {
                enveloped = true;
            }
            else if (XmlDsigAlgorithms.Canonicalizations.Contains(algorithm) && !canonicalized)
            {
                canonicalized = true;
                canonicalization = algorithm;
                if (algorithm == XmlDsigAlgorithms.ExclusiveC14N)
                {
                    prefixes = transform.ChildNodes.OfType<XmlElement>()
                        .FirstOrDefault(e => e.LocalName == "InclusiveNamespaces" && e.NamespaceURI == XmlDsigAlgorithms.ExclusiveC14NNamespace)
                        ?.GetAttribute("PrefixList");
                }
            }
            else
            {
                var why = algorithm == XmlDsigAlgorithms.EnvelopedSignature || XmlDsigAlgorithms.Canonicalizations.Contains(algorithm)
                    ? $"{algorithm} (repeated or out of order)"
                    : algorithm;
                errors.Add(EdxmlError.Create(ErrorCode.SignatureTransformNotAllowed, field, why));
            }
        }

        return (enveloped, canonicalization, prefixes);
    }

    private static List<X509Certificate2> ReadCertificates(XmlElement signature, List<EdxmlError> errors)
    {
        var result = new List<X509Certificate2>();
        var nodes = PackageLayout.DsChildren(signature, "KeyInfo")
            .SelectMany(k => PackageLayout.DsChildren(k, "X509Data"))
            .SelectMany(d => PackageLayout.DsChildren(d, "X509Certificate"))
            .ToList();

        foreach (var (node, index) in nodes.Select((n, i) => (n, i + 1)))
        {
            try
            {
                result.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(node.InnerText)));
            }
            catch (Exception ex) when (ex is FormatException or CryptographicException)
            {
                errors.Add(EdxmlError.Create(ErrorCode.SignatureInvalid, KeyInfoField + "/X509Data/X509Certificate",
                    $"certificate {index} in KeyInfo is not a valid X.509 certificate ({ex.Message})"));
            }
        }

        if (nodes.Count == 0)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureCertificateMissing, KeyInfoField));
        }

        return result;
    }

    /// <summary>The signer: the first certificate (in document order) that issued none of the
    /// others; the chain check and the signature check then decide whether it is the right one.</summary>
    private static X509Certificate2 SelectSigner(List<X509Certificate2> certificates)
    {
        foreach (var candidate in certificates)
        {
            var issuesAnother = certificates.Any(other =>
                !ReferenceEquals(other, candidate)
                && other.IssuerName.RawData.AsSpan().SequenceEqual(candidate.SubjectName.RawData)
                && !other.SubjectName.RawData.AsSpan().SequenceEqual(other.IssuerName.RawData));
            if (!issuesAnother)
            {
                return candidate;
            }
        }

        return certificates[0];
    }

    /// <summary>Recomputes the reference digest independently of <c>SignedXml</c>, so a changed
    /// document is told apart from a bad signature value: the whole document without comments,
    /// the signature removed when the enveloped transform says so, canonicalised as the reference
    /// says, hashed.</summary>
    private static bool DigestMatches(XmlDocument document, Shape shape, List<EdxmlError> errors)
    {
        var copy = (XmlDocument)document.CloneNode(deep: true);
        if (shape.Enveloped)
        {
            var own = copy.GetElementsByTagName("Signature", XmlDsigAlgorithms.Namespace).OfType<XmlElement>().Single();
            own.ParentNode!.RemoveChild(own);
        }

        Transform c14n = shape.Canonicalization == XmlDsigAlgorithms.ExclusiveC14N
            ? new XmlDsigExcC14NTransform(includeComments: false, shape.InclusivePrefixes)
            : new XmlDsigC14NTransform(includeComments: false);
        c14n.LoadInput(copy);
        using var hash = XmlDsigAlgorithms.CreateHash(XmlDsigAlgorithms.Digests[shape.DigestMethod]);
        var digest = c14n.GetDigestedOutput(hash);

        if (CryptographicOperations.FixedTimeEquals(digest, shape.DigestValue))
        {
            return true;
        }

        errors.Add(EdxmlError.Create(ErrorCode.SignatureDigestMismatch, ReferenceField + "/DigestValue"));
        return false;
    }

    private static bool SignatureValueVerifies(XmlDocument document, XmlElement signature, Shape shape, X509Certificate2 certificate, List<EdxmlError> errors)
    {
        var wantsEcdsa = XmlDsigAlgorithms.SignatureMethodIsEcdsa[shape.SignatureMethod];
        var hasEcdsa = certificate.GetKeyAlgorithm() == "1.2.840.10045.2.1";
        var hasRsa = certificate.GetKeyAlgorithm() == "1.2.840.113549.1.1.1";
        if ((wantsEcdsa && !hasEcdsa) || (!wantsEcdsa && !hasRsa))
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureInvalid, SignedInfoField + "/SignatureMethod",
                $"{shape.SignatureMethod} does not fit the key of {certificate.Subject}"));
            return false;
        }

        try
        {
            // SignedXml keeps its default resolver, which throws on any external reference; with
            // URI="" enforced above there is none to dereference anyway.
            var signedXml = new SignedXml(document);
            signedXml.LoadXml(signature);
            if (signedXml.CheckSignature(certificate, verifySignatureOnly: true))
            {
                return true;
            }

            errors.Add(EdxmlError.Create(ErrorCode.SignatureInvalid, "Signature/SignatureValue",
                $"the signature value does not verify with the key of {certificate.Subject}"));
        }
        catch (CryptographicException ex)
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureInvalid, SignatureField, ex.Message));
        }

        return false;
    }

    private static string? Algorithm(XmlElement parent, string localName)
    {
        var elements = PackageLayout.DsChildren(parent, localName).ToList();
        return elements.Count == 1 && elements[0].HasAttribute("Algorithm") ? elements[0].GetAttribute("Algorithm") : null;
    }

    private static SignatureVerdict Invalid(List<EdxmlError> errors, string? method = null, string? digestMethod = null, IReadOnlyList<X509Certificate2>? certificates = null) =>
        new(SignatureStatus.Invalid, false, false, null, certificates ?? [], method, digestMethod, null, errors);

    private static SignatureVerdict Unreadable(EdxmlError error) => Invalid([error]);
}
