using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lgsp.Edxml.Pdf.Cms;

/// <summary>Thrown when bytes are not a CMS SignedData this reader understands.</summary>
internal sealed class CmsFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A decoded CMS SignedData (RFC 5652 §5): the encapsulated content type and content, the
/// certificate set and the signer infos, each signer matched to its certificate. Read with
/// <see cref="System.Formats.Asn1"/> so that the signed attributes are kept exactly as encoded
/// (the signature covers those bytes) and no copy of the signed document is needed.
/// </summary>
/// <remarks>Immutable after <see cref="Decode"/>.</remarks>
internal sealed class CmsSignedData
{
    /// <summary>Most certificates read from one CMS (chains are three or four long).</summary>
    public const int MaxCertificates = 64;

    private CmsSignedData(string contentType, ReadOnlyMemory<byte>? content, IReadOnlyList<X509Certificate2> certificates, IReadOnlyList<CmsSignerInfo> signers)
    {
        EncapsulatedContentType = contentType;
        EncapsulatedContent = content;
        Certificates = certificates;
        Signers = signers;
    }

    public string EncapsulatedContentType { get; }

    /// <summary>The octets of eContent, or null for a detached signature.</summary>
    public ReadOnlyMemory<byte>? EncapsulatedContent { get; }

    public IReadOnlyList<X509Certificate2> Certificates { get; }

    public IReadOnlyList<CmsSignerInfo> Signers { get; }

    /// <summary>The length of the DER (or BER) value at the start of <paramref name="bytes"/>:
    /// PDF signature containers are padded with zeros after it.</summary>
    /// <exception cref="CmsFormatException">No ASN.1 value starts there.</exception>
    public static int EncodedLength(ReadOnlySpan<byte> bytes)
    {
        try
        {
            AsnDecoder.ReadEncodedValue(bytes, AsnEncodingRules.BER, out _, out _, out var consumed);
            return consumed;
        }
        catch (AsnContentException e)
        {
            throw new CmsFormatException("the signature container is not ASN.1: " + e.Message, e);
        }
    }

    /// <exception cref="CmsFormatException">Not a SignedData ContentInfo.</exception>
    public static CmsSignedData Decode(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            return DecodeCore(encoded);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or ArgumentException or OverflowException)
        {
            throw new CmsFormatException("the signature container is not a readable CMS SignedData: " + e.Message, e);
        }
    }

    private static CmsSignedData DecodeCore(ReadOnlyMemory<byte> encoded)
    {
        var contentInfo = new AsnReader(encoded, AsnEncodingRules.BER).ReadSequence();
        var type = contentInfo.ReadObjectIdentifier();
        if (type != CmsOids.SignedData)
        {
            throw new CmsFormatException($"the signature container is a CMS {type}, not SignedData");
        }

        var signedData = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
        signedData.ReadInteger();
        signedData.ReadSetOf(skipSortOrderValidation: true);

        var encap = signedData.ReadSequence();
        var eContentType = encap.ReadObjectIdentifier();
        ReadOnlyMemory<byte>? eContent = null;
        if (encap.HasData)
        {
            var explicitContent = encap.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            // BER allows a constructed OCTET STRING; TryReadPrimitive avoids a copy in the usual case.
            eContent = explicitContent.TryReadPrimitiveOctetString(out var primitive) ? primitive : explicitContent.ReadOctetString();
        }

        var certificates = new List<X509Certificate2>();
        var certTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(certTag))
        {
            var set = signedData.ReadSetOf(skipSortOrderValidation: true, expectedTag: certTag);
            while (set.HasData)
            {
                var tag = set.PeekTag();
                var certBytes = set.ReadEncodedValue();
                // Only plain certificates; attribute and other certificate choices are tagged.
                if (tag.HasSameClassAndValue(Asn1Tag.Sequence) && certificates.Count < MaxCertificates)
                {
                    certificates.Add(X509CertificateLoader.LoadCertificate(certBytes.Span));
                }
            }
        }

        var crlTag = new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true);
        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(crlTag))
        {
            signedData.ReadEncodedValue();
        }

        var signers = new List<CmsSignerInfo>();
        var signerInfos = signedData.ReadSetOf(skipSortOrderValidation: true);
        while (signerInfos.HasData)
        {
            signers.Add(CmsSignerInfo.Read(signerInfos.ReadSequence(), certificates));
        }

        return new CmsSignedData(eContentType, eContent, certificates, signers);
    }
}

/// <summary>One SignerInfo (RFC 5652 §5.3).</summary>
internal sealed class CmsSignerInfo
{
    private CmsSignerInfo()
    {
    }

    public string DigestAlgorithm { get; private init; } = string.Empty;

    /// <summary>The signed attributes as encoded, tag included (<c>[0] IMPLICIT</c>), or null.</summary>
    public ReadOnlyMemory<byte>? SignedAttributesEncoded { get; private init; }

    public IReadOnlyList<(string Oid, IReadOnlyList<ReadOnlyMemory<byte>> Values)> SignedAttributes { get; private init; } = [];

    public string SignatureAlgorithm { get; private init; } = string.Empty;

    public ReadOnlyMemory<byte>? SignatureAlgorithmParameters { get; private init; }

    public ReadOnlyMemory<byte> Signature { get; private init; }

    /// <summary>The certificate of the set named by the signer identifier, or null.</summary>
    public X509Certificate2? Certificate { get; private init; }

    /// <summary>The values of signed attribute <paramref name="oid"/>, or empty.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> AttributeValues(string oid) =>
        SignedAttributes.Where(a => a.Oid == oid).SelectMany(a => a.Values);

    /// <summary>The signingTime signed attribute (RFC 5652 §11.3), or null when absent or unreadable.</summary>
    public DateTimeOffset? SigningTime
    {
        get
        {
            foreach (var value in AttributeValues(CmsOids.SigningTime))
            {
                try
                {
                    var reader = new AsnReader(value, AsnEncodingRules.BER);
                    return reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
                }
                catch (AsnContentException)
                {
                    return null;
                }
            }

            return null;
        }
    }

    internal static CmsSignerInfo Read(AsnReader si, IReadOnlyList<X509Certificate2> certificates)
    {
        si.ReadInteger();
        var sid = si.ReadEncodedValue();
        var digest = ReadAlgorithm(si, out _);

        ReadOnlyMemory<byte>? attributesEncoded = null;
        var attributes = new List<(string, IReadOnlyList<ReadOnlyMemory<byte>>)>();
        var attrTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (si.PeekTag().HasSameClassAndValue(attrTag))
        {
            attributesEncoded = si.PeekEncodedValue();
            var set = si.ReadSetOf(skipSortOrderValidation: true, expectedTag: attrTag);
            while (set.HasData)
            {
                var attribute = set.ReadSequence();
                var oid = attribute.ReadObjectIdentifier();
                var values = new List<ReadOnlyMemory<byte>>();
                var valueSet = attribute.ReadSetOf(skipSortOrderValidation: true);
                while (valueSet.HasData)
                {
                    values.Add(valueSet.ReadEncodedValue());
                }

                attributes.Add((oid, values));
            }
        }

        var signatureAlgorithm = ReadAlgorithm(si, out var parameters);
        var signature = si.TryReadPrimitiveOctetString(out var sigBytes) ? sigBytes : si.ReadOctetString();
        return new CmsSignerInfo
        {
            DigestAlgorithm = digest,
            SignedAttributesEncoded = attributesEncoded,
            SignedAttributes = attributes,
            SignatureAlgorithm = signatureAlgorithm,
            SignatureAlgorithmParameters = parameters,
            Signature = signature,
            Certificate = FindCertificate(sid, certificates),
        };
    }

    private static string ReadAlgorithm(AsnReader reader, out ReadOnlyMemory<byte>? parameters)
    {
        var algorithm = reader.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        parameters = algorithm.HasData ? algorithm.ReadEncodedValue() : null;
        return oid;
    }

    /// <summary>Matches IssuerAndSerialNumber (issuer compared as encoded, then as text) or the
    /// <c>[0]</c> SubjectKeyIdentifier against the certificate set.</summary>
    private static X509Certificate2? FindCertificate(ReadOnlyMemory<byte> sid, IReadOnlyList<X509Certificate2> certificates)
    {
        var reader = new AsnReader(sid, AsnEncodingRules.BER);
        var tag = reader.PeekTag();
        if (tag.HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var issuerAndSerial = reader.ReadSequence();
            var issuer = issuerAndSerial.ReadEncodedValue();
            var serial = issuerAndSerial.ReadInteger();
            var issuerName = new X500DistinguishedName(issuer.Span);
            return certificates.FirstOrDefault(c =>
                    new BigInteger(c.SerialNumberBytes.Span, isUnsigned: false, isBigEndian: true) == serial
                    && c.IssuerName.RawData.AsSpan().SequenceEqual(issuer.Span))
                ?? certificates.FirstOrDefault(c =>
                    new BigInteger(c.SerialNumberBytes.Span, isUnsigned: false, isBigEndian: true) == serial
                    && c.IssuerName.Name == issuerName.Name);
        }

        if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            var ski = reader.ReadOctetString(new Asn1Tag(TagClass.ContextSpecific, 0));
            return certificates.FirstOrDefault(c =>
                c.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault() is { } ext
                && ext.SubjectKeyIdentifierBytes.Span.SequenceEqual(ski));
        }

        return null;
    }
}
