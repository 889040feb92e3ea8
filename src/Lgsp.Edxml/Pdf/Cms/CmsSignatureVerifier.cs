using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lgsp.Edxml.Pdf.Cms;

/// <summary>
/// Verifies one CMS signer against a content digest the caller computed (over PDF byte ranges,
/// or over the encapsulated content), as RFC 5652 §5.4 and §5.6 prescribe: with signed attributes,
/// the messageDigest attribute must equal the digest and the signature must verify over the
/// attributes as encoded (with the SET OF tag); without them, over the digest itself. Only the
/// signature value is checked here: trust in the certificate is decided elsewhere.
/// </summary>
/// <remarks>RSA (PKCS#1 v1.5 and PSS) and ECDSA with SHA-1/256/384/512. Stateless and thread safe.</remarks>
internal static class CmsSignatureVerifier
{
    /// <summary>Null when the signer verifies, else why not (an English sentence fragment).</summary>
    public static string? Verify(CmsSignedData data, CmsSignerInfo signer, ReadOnlySpan<byte> contentDigest)
    {
        if (signer.Certificate is not { } certificate)
        {
            return "the CMS carries no certificate matching its signer identifier";
        }

        if (CmsOids.Hash(signer.DigestAlgorithm) is not { } digestHash)
        {
            return $"the digest algorithm {signer.DigestAlgorithm} is not supported";
        }

        byte[]? signedBytes = null;
        if (signer.SignedAttributesEncoded is { } encoded)
        {
            var digests = signer.AttributeValues(CmsOids.MessageDigest).ToList();
            if (digests.Count != 1 || signer.SignedAttributes.Count(a => a.Oid == CmsOids.MessageDigest) != 1)
            {
                return "the signed attributes must hold exactly one messageDigest";
            }

            byte[] claimed;
            try
            {
                claimed = AsnDecoder.ReadOctetString(digests[0].Span, AsnEncodingRules.BER, out _);
            }
            catch (AsnContentException)
            {
                return "the messageDigest attribute is not an OCTET STRING";
            }

            if (!claimed.AsSpan().SequenceEqual(contentDigest))
            {
                return "the signed bytes have changed since signing (message digest mismatch)";
            }

            foreach (var type in signer.AttributeValues(CmsOids.ContentType))
            {
                if (!TryReadOid(type.Span, out var oid) || oid != data.EncapsulatedContentType)
                {
                    return "the contentType attribute does not match the encapsulated content type";
                }
            }

            // The signature covers the attributes' encoding with the universal SET OF tag (§5.4).
            signedBytes = encoded.ToArray();
            signedBytes[0] = 0x31;
        }

        try
        {
            return VerifyValue(signer, certificate, digestHash, signedBytes, contentDigest);
        }
        catch (CryptographicException e)
        {
            return "the signature value cannot be checked: " + e.Message;
        }
    }

    private static string? VerifyValue(
        CmsSignerInfo signer, X509Certificate2 certificate,
        HashAlgorithmName digestHash, byte[]? signedBytes, ReadOnlySpan<byte> contentDigest)
    {
        var signature = signer.Signature.Span;
        var algorithm = signer.SignatureAlgorithm;
        HashAlgorithmName? impliedHash = algorithm switch
        {
            CmsOids.Sha1WithRsa or CmsOids.EcdsaSha1 => HashAlgorithmName.SHA1,
            CmsOids.Sha256WithRsa or CmsOids.EcdsaSha256 => HashAlgorithmName.SHA256,
            CmsOids.Sha384WithRsa or CmsOids.EcdsaSha384 => HashAlgorithmName.SHA384,
            CmsOids.Sha512WithRsa or CmsOids.EcdsaSha512 => HashAlgorithmName.SHA512,
            _ => null,
        };
        if (impliedHash is { } implied && implied != digestHash)
        {
            return $"the signature algorithm {algorithm} does not use the digest algorithm {signer.DigestAlgorithm}";
        }

        bool valid;
        switch (algorithm)
        {
            case CmsOids.RsaEncryption or CmsOids.Sha1WithRsa or CmsOids.Sha256WithRsa or CmsOids.Sha384WithRsa or CmsOids.Sha512WithRsa:
                valid = VerifyRsa(certificate, digestHash, RSASignaturePadding.Pkcs1, signedBytes, contentDigest, signature) ?? false;
                break;
            case CmsOids.RsaPss:
                if (PssHash(signer.SignatureAlgorithmParameters) is not { } pssHash || pssHash != digestHash)
                {
                    return "the RSA-PSS parameters are not supported (the hash, MGF1 hash and salt length must match the digest)";
                }

                valid = VerifyRsa(certificate, digestHash, RSASignaturePadding.Pss, signedBytes, contentDigest, signature) ?? false;
                break;
            case CmsOids.EcPublicKey or CmsOids.EcdsaSha1 or CmsOids.EcdsaSha256 or CmsOids.EcdsaSha384 or CmsOids.EcdsaSha512:
                using (var ec = certificate.GetECDsaPublicKey())
                {
                    if (ec is null)
                    {
                        return "the signature algorithm is ECDSA but the certificate key is not";
                    }

                    valid = signedBytes is not null
                        ? ec.VerifyData(signedBytes, signature, digestHash, DSASignatureFormat.Rfc3279DerSequence)
                        : ec.VerifyHash(contentDigest, signature, DSASignatureFormat.Rfc3279DerSequence);
                }

                break;
            default:
                return $"the signature algorithm {algorithm} is not supported";
        }

        return valid ? null : "the signature value does not verify with the signer's public key";
    }

    private static bool? VerifyRsa(
        X509Certificate2 certificate, HashAlgorithmName hash, RSASignaturePadding padding,
        byte[]? signedBytes, ReadOnlySpan<byte> contentDigest, ReadOnlySpan<byte> signature)
    {
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is null)
        {
            return false;
        }

        return signedBytes is not null
            ? rsa.VerifyData(signedBytes, signature, hash, padding)
            : rsa.VerifyHash(contentDigest, signature, hash, padding);
    }

    /// <summary>The hash of RSASSA-PSS parameters (RFC 4055) when they are what .NET verifies:
    /// MGF1 with the same hash, salt as long as the hash, trailer 1.</summary>
    private static HashAlgorithmName? PssHash(ReadOnlyMemory<byte>? parameters)
    {
        if (parameters is not { } p)
        {
            return null;
        }

        try
        {
            var seq = new AsnReader(p, AsnEncodingRules.BER).ReadSequence();
            var hashOid = CmsOids.Sha1;
            var mgfHashOid = CmsOids.Sha1;
            var salt = 20;
            var trailer = 1;
            if (seq.HasData && seq.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
            {
                hashOid = seq.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence().ReadObjectIdentifier();
            }

            if (seq.HasData && seq.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1, true)))
            {
                var mgf = seq.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1)).ReadSequence();
                if (mgf.ReadObjectIdentifier() != CmsOids.Mgf1)
                {
                    return null;
                }

                mgfHashOid = mgf.ReadSequence().ReadObjectIdentifier();
            }

            if (seq.HasData && seq.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 2, true)))
            {
                seq.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 2)).TryReadInt32(out salt);
            }

            if (seq.HasData && seq.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 3, true)))
            {
                seq.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 3)).TryReadInt32(out trailer);
            }

            var hash = CmsOids.Hash(hashOid);
            return hash is { } h && hashOid == mgfHashOid && trailer == 1 && salt == HashLength(h) ? h : null;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static int HashLength(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA1 ? 20 : hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : 64;

    private static bool TryReadOid(ReadOnlySpan<byte> encoded, out string oid)
    {
        try
        {
            oid = AsnDecoder.ReadObjectIdentifier(encoded, AsnEncodingRules.BER, out _);
            return true;
        }
        catch (AsnContentException)
        {
            oid = string.Empty;
            return false;
        }
    }
}
