using System.Formats.Asn1;
using System.Security.Cryptography;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Pdf.Cms;

namespace Lgsp.Edxml.Pdf;

// The CMS verified over the byte range, for each sub-filter: detached, adbe.pkcs7.sha1, RFC 3161 timestamp.
public sealed partial class PdfSignatureInspector
{
    private static string? VerifyDetached(ReadOnlySpan<byte> file, SignedRanges? ranges, CmsSignedData cms)
    {
        if (cms.EncapsulatedContent is not null)
        {
            return "a detached PDF signature must not encapsulate content";
        }

        if (ranges is not { } r)
        {
            return null;
        }

        foreach (var signer in cms.Signers)
        {
            var hash = CmsOids.Hash(signer.DigestAlgorithm);
            if (hash is null)
            {
                return $"the digest algorithm {signer.DigestAlgorithm} is not supported";
            }

            if (CmsSignatureVerifier.Verify(cms, signer, r.Digest(file, hash.Value)) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>adbe.pkcs7.sha1: the CMS signs an encapsulated SHA-1 digest of the byte range.</summary>
    private static string? VerifySha1(ReadOnlySpan<byte> file, SignedRanges? ranges, CmsSignedData cms, SignatureFindings f)
    {
        f.Errors.Add(EdxmlError.Warn(ErrorCode.Tolerated, FieldPathOf(f.Index),
            "adbe.pkcs7.sha1 signs a SHA-1 digest of the document; PDF 2.0 deprecates it"));
        if (cms.EncapsulatedContent is not { } content)
        {
            return "an adbe.pkcs7.sha1 signature must encapsulate the SHA-1 digest of the document";
        }

        if (ranges is not { } r)
        {
            return null;
        }

        if (!content.Span.SequenceEqual(r.Digest(file, HashAlgorithmName.SHA1)))
        {
            return "the signed bytes have changed since signing (the encapsulated SHA-1 digest does not match)";
        }

        return VerifyEncapsulated(cms, content.Span);
    }

    /// <summary>ETSI.RFC3161: a time-stamp token whose message imprint is the digest of the byte range.</summary>
    private static string? VerifyTimestamp(ReadOnlySpan<byte> file, SignedRanges? ranges, CmsSignedData cms, SignatureFindings f)
    {
        if (cms.EncapsulatedContentType != CmsOids.TstInfo || cms.EncapsulatedContent is not { } content)
        {
            return "a document timestamp must encapsulate an RFC 3161 TSTInfo";
        }

        string imprintAlgorithm;
        byte[] imprint;
        try
        {
            var tst = new AsnReader(content, AsnEncodingRules.BER).ReadSequence();
            tst.ReadInteger();
            tst.ReadObjectIdentifier();
            var messageImprint = tst.ReadSequence();
            imprintAlgorithm = messageImprint.ReadSequence().ReadObjectIdentifier();
            imprint = messageImprint.ReadOctetString();
            tst.ReadInteger();
            f.SigningTime = tst.ReadGeneralizedTime();
        }
        catch (AsnContentException e)
        {
            return "the TSTInfo cannot be read: " + e.Message;
        }

        if (CmsOids.Hash(imprintAlgorithm) is not { } imprintHash)
        {
            return $"the message imprint algorithm {imprintAlgorithm} is not supported";
        }

        if (ranges is { } r && !imprint.AsSpan().SequenceEqual(r.Digest(file, imprintHash)))
        {
            return "the time-stamped bytes have changed (message imprint mismatch)";
        }

        return VerifyEncapsulated(cms, content.Span);
    }

    private static string? VerifyEncapsulated(CmsSignedData cms, ReadOnlySpan<byte> content)
    {
        foreach (var signer in cms.Signers)
        {
            if (CmsOids.Hash(signer.DigestAlgorithm) is not { } hash)
            {
                return $"the digest algorithm {signer.DigestAlgorithm} is not supported";
            }

            using var h = IncrementalHash.CreateHash(hash);
            h.AppendData(content);
            if (CmsSignatureVerifier.Verify(cms, signer, h.GetHashAndReset()) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }
}
