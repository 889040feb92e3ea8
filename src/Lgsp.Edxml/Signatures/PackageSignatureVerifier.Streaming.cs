using System.Security.Cryptography;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures.Canonical;
using Lgsp.Edxml.Xml;
using static Lgsp.Edxml.Signatures.SignatureLocator;

namespace Lgsp.Edxml.Signatures;

// Packages given as bytes: the reference digest streamed from an XmlReader, no DOM of the package.
public sealed partial class PackageSignatureVerifier
{
    /// <summary>
    /// Verifies package XML without a DOM of the whole package, in two forward passes over the bytes:
    /// the first reads as far as the signature in <c>edXMLHeader</c> and keeps only it (with copies of
    /// its ancestors); the second canonicalises the whole document without it (the enveloped-signature
    /// transform) straight into the digest, and counts signatures, envelopes and headers on the way.
    /// The policy checks are the document path's own, run on the signature element; <c>SignedInfo</c>
    /// is canonicalised as <c>SignedXml</c> does (<see cref="SignedInfoVerifies"/>).
    /// </summary>
    /// <returns>The verdict (for a package without any signature too: its placeholders are read from the
    /// header); null for a package whose signature is out of the one expected place, or with more than
    /// one signature, envelope or header: the document path
    /// (<see cref="Verify(XmlDocument, DateTimeOffset?)"/>) words every such finding, and those
    /// packages cost a DOM as they did before.</returns>
    internal SignatureVerdict? VerifyStreaming(byte[] xml, DateTimeOffset? signingTime) =>
        VerifyStreaming(() => new MemoryStream(xml, writable: false), signingTime);

    /// <inheritdoc cref="VerifyStreaming(byte[], DateTimeOffset?)"/>
    /// <param name="openXml">Opens the package's XML from its first byte (a spooled package: each pass
    /// streams it again instead of holding it).</param>
    /// <param name="signingTime">A trusted signing time for the chain check, if the caller has one.</param>
    internal SignatureVerdict? VerifyStreaming(Func<Stream> openXml, DateTimeOffset? signingTime)
    {
        Located? located;
        XmlElement? unsignedHeader;
        using (var input = openXml())
        {
            located = SignatureLocator.Find(input, Policy.Limits, out unsignedHeader);
        }

        if (located is null)
        {
            return unsignedHeader is null ? null : WithoutSignatureStreaming(openXml, unsignedHeader);
        }

        var errors = new List<EdxmlError>();
        var shape = Inspect(located.Signature, errors, out var seenMethod, out var seenDigest);
        var certificates = ReadCertificates(located.Signature, errors);
        if (errors.Count > 0 || shape is null)
        {
            // Refused by the policy; only a second signature or header elsewhere would be reported instead.
            var count = new SignatureLocator.Layout();
            using (var input = openXml())
            using (var reader = SafeXml.CreateReader(input, Policy.Limits))
            {
                count.ReadAll(reader);
            }

            return count.IsExpected ? Invalid(errors, seenMethod, seenDigest, certificates) : null;
        }

        var layout = new SignatureLocator.Layout();
        byte[] digest;
        using (var hash = IncrementalHash.CreateHash(XmlDsigAlgorithms.Digests[shape.DigestMethod]))
        {
            var exclusive = shape.Canonicalization == XmlDsigAlgorithms.ExclusiveC14N;
            var prefixes = exclusive ? shape.InclusivePrefixes : null;
            var omit = shape.Enveloped ? located.ElementIndex : -1;
            // Long base64 runs kept out of the reader (the bulk of a large package's time); when that path
            // gives up, the plain one starts again from nothing.
            if (!ElidingCanonicalization.TryWrite(openXml, Policy.Limits, CanonicalSink.Hashing(hash), exclusive, prefixes, omit, layout.See, out _))
            {
                hash.GetHashAndReset();
                layout = new SignatureLocator.Layout();
                using var input = openXml();
                using var reader = SafeXml.CreateReader(input, Policy.Limits);
                new StreamingCanonicalizer(CanonicalSink.Hashing(hash), exclusive, prefixes).Write(reader, omit, layout.See);
            }

            digest = hash.GetHashAndReset();
        }

        if (!layout.IsExpected)
        {
            return null;
        }

        var signer = SelectSigner(certificates);
        var (chain, approved) = CheckChain(signer, certificates, signingTime, errors);

        var valid = false;
        if (!CryptographicOperations.FixedTimeEquals(digest, shape.DigestValue))
        {
            errors.Add(EdxmlError.Create(ErrorCode.SignatureDigestMismatch, ReferenceField + "/DigestValue"));
        }
        else
        {
            valid = SignedInfoVerifies(located.Signature, shape, approved, errors);
        }

        return Checked(valid, signer, certificates, shape, chain, errors);
    }

    // No signature in the header: when a count of the whole package finds none anywhere, one envelope and
    // one header, the verdict is the document path's WithoutSignature, from the header's placeholders alone;
    // otherwise (a signature elsewhere) the document path words the finding.
    private SignatureVerdict? WithoutSignatureStreaming(Func<Stream> openXml, XmlElement header)
    {
        var count = new SignatureLocator.Layout();
        using (var input = openXml())
        using (var reader = SafeXml.CreateReader(input, Policy.Limits))
        {
            count.ReadAll(reader);
        }

        return count is { Signatures: 0, Envelopes: 1, Headers: 1 } ? WithoutSignature(header) : null;
    }

    private SignatureVerdict VerifyDocument(byte[] xml, DateTimeOffset? signingTime) =>
        VerifyDocument(() => new MemoryStream(xml, writable: false), signingTime);

    private SignatureVerdict VerifyDocument(Func<Stream> openXml, DateTimeOffset? signingTime)
    {
        using var input = openXml();
        return Verify(SafeXml.LoadDocument(input, Policy.Limits), signingTime);
    }
}
