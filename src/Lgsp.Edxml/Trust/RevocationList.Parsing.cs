using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Lgsp.Edxml.Trust;

// Parsing the DER CertificateList: the TBSCertList, its entries and extensions.
public sealed partial class RevocationList
{
    private static RevocationList Parse(byte[] der, string? source)
    {
        // CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue BIT STRING }
        var outer = new AsnReader(der, AsnEncodingRules.BER);
        var certList = outer.ReadSequence();
        outer.ThrowIfNotEmpty();

        var tbsBytes = certList.PeekEncodedValue().ToArray();
        var tbs = certList.ReadSequence();
        var outerAlgorithm = ReadAlgorithmOid(certList);
        var signature = certList.ReadBitString(out _);
        certList.ThrowIfNotEmpty();

        string? unsupported = null;

        // TBSCertList ::= SEQUENCE { version INTEGER OPTIONAL, signature, issuer, thisUpdate,
        //   nextUpdate OPTIONAL, revokedCertificates OPTIONAL, [0] EXPLICIT crlExtensions OPTIONAL }
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            tbs.ReadInteger();
        }

        var innerAlgorithm = ReadAlgorithmOid(tbs);
        if (innerAlgorithm != outerAlgorithm)
        {
            unsupported = $"the inner and outer signature algorithms differ ({innerAlgorithm}, {outerAlgorithm})";
        }

        var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span);
        var thisUpdate = ReadTime(tbs);
        DateTimeOffset? nextUpdate = null;
        if (tbs.HasData && IsTime(tbs.PeekTag()))
        {
            nextUpdate = ReadTime(tbs);
        }

        var entries = new List<RevokedCertificate>();
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var revoked = tbs.ReadSequence();
            while (revoked.HasData)
            {
                var entry = revoked.ReadSequence();
                var serial = SerialKey(entry.ReadIntegerBytes().Span);
                var revokedAt = ReadTime(entry);
                X509RevocationReason? reason = null;
                if (entry.HasData)
                {
                    foreach (var ext in ReadExtensions(entry.ReadSequence()))
                    {
                        switch (ext.Oid)
                        {
                            case ReasonCodeOid:
                                reason = new AsnReader(ext.Value, AsnEncodingRules.BER).ReadEnumeratedValue<X509RevocationReason>();
                                break;
                            case InvalidityDateOid:
                                break;
                            case CertificateIssuerOid:
                                unsupported ??= "indirect CRLs (certificate issuer entries) are not supported";
                                break;
                            default:
                                if (ext.Critical)
                                {
                                    unsupported ??= $"the entry extension {ext.Oid} is critical and not supported";
                                }

                                break;
                        }
                    }
                }

                entries.Add(new RevokedCertificate(serial, revokedAt, reason));
            }
        }

        System.Numerics.BigInteger? crlNumber = null;
        var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(extensionsTag))
        {
            var wrapper = tbs.ReadSequence(extensionsTag);
            foreach (var ext in ReadExtensions(wrapper.ReadSequence()))
            {
                switch (ext.Oid)
                {
                    case CrlNumberOid:
                        crlNumber = new AsnReader(ext.Value, AsnEncodingRules.BER).ReadInteger();
                        break;
                    case AuthorityKeyIdentifierOid:
                        break;
                    case DeltaCrlIndicatorOid:
                        unsupported ??= "delta CRLs are not supported";
                        break;
                    case IssuingDistributionPointOid:
                        unsupported ??= "partitioned CRLs (issuing distribution point) are not supported";
                        break;
                    default:
                        if (ext.Critical)
                        {
                            unsupported ??= $"the CRL extension {ext.Oid} is critical and not supported";
                        }

                        break;
                }
            }
        }

        tbs.ThrowIfNotEmpty();
        return new RevocationList(der, tbsBytes, outerAlgorithm, signature, issuer, thisUpdate, nextUpdate, crlNumber, entries, unsupported, source);
    }

    private static string ReadAlgorithmOid(AsnReader reader)
    {
        // AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }
        var seq = reader.ReadSequence();
        var oid = seq.ReadObjectIdentifier();
        if (seq.HasData)
        {
            seq.ReadEncodedValue();
        }

        seq.ThrowIfNotEmpty();
        return oid;
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime)
            ? reader.ReadUtcTime(twoDigitYearMax: 2049) // RFC 5280 §4.1.2.5.1
            : reader.ReadGeneralizedTime();

    private static IEnumerable<(string Oid, bool Critical, byte[] Value)> ReadExtensions(AsnReader sequence)
    {
        // Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
        var result = new List<(string, bool, byte[])>();
        while (sequence.HasData)
        {
            var ext = sequence.ReadSequence();
            var oid = ext.ReadObjectIdentifier();
            var critical = ext.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && ext.ReadBoolean();
            var value = ext.ReadOctetString();
            ext.ThrowIfNotEmpty();
            result.Add((oid, critical, value));
        }

        return result;
    }
}
