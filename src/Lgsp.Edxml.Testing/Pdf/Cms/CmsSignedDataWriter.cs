using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Pdf.Cms;

namespace Lgsp.Edxml.Testing.Pdf.Cms;

/// <summary>
/// Writes a CMS SignedData (RFC 5652) with one SHA-256 signer identified by issuer and serial
/// number, signed attributes contentType and messageDigest plus those the caller adds, and the
/// given certificates. Detached (no eContent) unless content is encapsulated.
/// </summary>
/// <remarks>Public so that tests can write the CMS variants real producers send (encapsulated,
/// time-stamp tokens, unusual attributes). Stateless and thread safe.</remarks>
public static class CmsSignedDataWriter
{
    /// <summary>Signs <paramref name="contentDigest"/> (the SHA-256 of the content).</summary>
    /// <param name="signer">Certificate with an RSA (PKCS#1 v1.5) or ECDSA private key.</param>
    /// <param name="contentType">eContentType (id-data for PDF signatures).</param>
    /// <param name="contentDigest">SHA-256 of the content.</param>
    /// <param name="encapsulatedContent">The content to embed when <paramref name="encapsulate"/> is set.</param>
    /// <param name="encapsulate">False for a detached signature (no eContent).</param>
    /// <param name="extraAttributes">More signed attributes: (OID, encoded value).</param>
    /// <param name="certificates">The certificates to embed (signer first).</param>
    /// <exception cref="NotSupportedException">The key is neither RSA nor ECDSA.</exception>
    public static byte[] Sign(
        X509Certificate2 signer,
        string contentType,
        ReadOnlySpan<byte> contentDigest,
        ReadOnlySpan<byte> encapsulatedContent,
        bool encapsulate,
        IEnumerable<(string Oid, byte[] Value)> extraAttributes,
        IEnumerable<X509Certificate2> certificates)
    {
        // The attributes as signed: DER SET OF (the writer sorts it), universal tag.
        var digest = contentDigest.ToArray();
        var attributes = new AsnWriter(AsnEncodingRules.DER);
        using (attributes.PushSetOf())
        {
            WriteAttribute(attributes, CmsOids.ContentType, w => w.WriteObjectIdentifier(contentType));
            WriteAttribute(attributes, CmsOids.MessageDigest, w => w.WriteOctetString(digest));
            foreach (var (oid, value) in extraAttributes)
            {
                WriteAttribute(attributes, oid, w => w.WriteEncodedValue(value));
            }
        }

        var signedAttributes = attributes.Encode();
        string signatureAlgorithm;
        byte[] signature;
        using (var rsa = signer.GetRSAPrivateKey())
        using (var ec = rsa is null ? signer.GetECDsaPrivateKey() : null)
        {
            if (rsa is not null)
            {
                signatureAlgorithm = CmsOids.RsaEncryption;
                signature = rsa.SignData(signedAttributes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
            else if (ec is not null)
            {
                signatureAlgorithm = CmsOids.EcdsaSha256;
                signature = ec.SignData(signedAttributes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            }
            else
            {
                throw new NotSupportedException("Only RSA and ECDSA signer keys are supported.");
            }
        }

        // In the SignerInfo the same bytes carry the [0] IMPLICIT tag.
        signedAttributes[0] = 0xA0;

        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(CmsOids.SignedData);
            using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            using (w.PushSequence())
            {
                w.WriteInteger(1);
                using (w.PushSetOf())
                {
                    WriteAlgorithm(w, CmsOids.Sha256, withNull: false);
                }

                using (w.PushSequence())
                {
                    w.WriteObjectIdentifier(contentType);
                    if (encapsulate)
                    {
                        using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                        {
                            w.WriteOctetString(encapsulatedContent);
                        }
                    }
                }

                using (w.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 0)))
                {
                    foreach (var certificate in certificates)
                    {
                        w.WriteEncodedValue(certificate.RawData);
                    }
                }

                using (w.PushSetOf())
                using (w.PushSequence())
                {
                    w.WriteInteger(1);
                    using (w.PushSequence())
                    {
                        w.WriteEncodedValue(signer.IssuerName.RawData);
                        w.WriteInteger(signer.SerialNumberBytes.Span);
                    }

                    WriteAlgorithm(w, CmsOids.Sha256, withNull: false);
                    w.WriteEncodedValue(signedAttributes);
                    WriteAlgorithm(w, signatureAlgorithm, withNull: signatureAlgorithm == CmsOids.RsaEncryption);
                    w.WriteOctetString(signature);
                }
            }
        }

        return w.Encode();
    }

    /// <summary>An encoded signingTime value: UTCTime from 1950 to 2049, else GeneralizedTime (RFC 5652 §11.3).</summary>
    public static byte[] SigningTime(DateTimeOffset time)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        var utc = time.ToUniversalTime();
        if (utc.Year is >= 1950 and < 2050)
        {
            w.WriteUtcTime(utc);
        }
        else
        {
            w.WriteGeneralizedTime(utc, omitFractionalSeconds: true);
        }

        return w.Encode();
    }

    /// <summary>An encoded ESS SigningCertificateV2 (RFC 5035) naming <paramref name="certificate"/>
    /// by its SHA-256 hash (the default algorithm, so omitted).</summary>
    public static byte[] SigningCertificateV2(X509Certificate2 certificate)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        using (w.PushSequence())
        using (w.PushSequence())
        {
            w.WriteOctetString(SHA256.HashData(certificate.RawData));
        }

        return w.Encode();
    }

    private static void WriteAttribute(AsnWriter w, string oid, Action<AsnWriter> writeValue)
    {
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(oid);
            using (w.PushSetOf())
            {
                writeValue(w);
            }
        }
    }

    private static void WriteAlgorithm(AsnWriter w, string oid, bool withNull)
    {
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(oid);
            if (withNull)
            {
                w.WriteNull();
            }
        }
    }
}
