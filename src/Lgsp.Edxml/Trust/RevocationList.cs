using System.Collections.Frozen;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Lgsp.Edxml.Trust;

/// <summary>One entry of a certificate revocation list.</summary>
/// <param name="SerialNumber">The revoked certificate's serial number, upper-case hexadecimal,
/// big-endian, without leading zero bytes (the same form as <see cref="RevocationList.SerialKey"/>).</param>
/// <param name="RevokedAt">When the issuer says the certificate was revoked.</param>
/// <param name="Reason">The CRL reason code (RFC 5280 §5.3.1), when the entry carries one.</param>
public sealed record RevokedCertificate(string SerialNumber, DateTimeOffset RevokedAt, X509RevocationReason? Reason);

/// <summary>
/// A parsed X.509 certificate revocation list (RFC 5280 §5), loaded from PEM or DER.
/// .NET can build CRLs but does not check a loaded CRL's signature; this type parses the
/// <c>TBSCertList</c> itself and verifies the signature against the issuing CA with
/// <see cref="VerifySignature"/>.
/// </summary>
/// <remarks>
/// <para>Immutable and thread safe once loaded.</para>
/// <para>Supported: complete CRLs (v1 or v2) signed with RSA PKCS#1 v1.5 or ECDSA over SHA-256,
/// SHA-384 or SHA-512. Not supported, and reported through <see cref="UnsupportedReason"/> so the
/// CRL is never used: delta CRLs, partitioned CRLs (issuing distribution point), indirect CRLs
/// (certificate issuer entries) and any other critical extension this type does not understand.</para>
/// </remarks>
public sealed class RevocationList
{
    private const string PemLabel = "X509 CRL";
    private const string CrlNumberOid = "2.5.29.20";
    private const string AuthorityKeyIdentifierOid = "2.5.29.35";
    private const string DeltaCrlIndicatorOid = "2.5.29.27";
    private const string IssuingDistributionPointOid = "2.5.29.28";
    private const string ReasonCodeOid = "2.5.29.21";
    private const string InvalidityDateOid = "2.5.29.24";
    private const string CertificateIssuerOid = "2.5.29.29";

    private static readonly FrozenDictionary<string, (HashAlgorithmName Hash, bool IsEcdsa)> SignatureAlgorithms =
        new Dictionary<string, (HashAlgorithmName, bool)>
        {
            ["1.2.840.113549.1.1.11"] = (HashAlgorithmName.SHA256, false),
            ["1.2.840.113549.1.1.12"] = (HashAlgorithmName.SHA384, false),
            ["1.2.840.113549.1.1.13"] = (HashAlgorithmName.SHA512, false),
            ["1.2.840.10045.4.3.2"] = (HashAlgorithmName.SHA256, true),
            ["1.2.840.10045.4.3.3"] = (HashAlgorithmName.SHA384, true),
            ["1.2.840.10045.4.3.4"] = (HashAlgorithmName.SHA512, true),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly byte[] _tbs;
    private readonly byte[] _signature;
    private readonly FrozenDictionary<string, RevokedCertificate> _bySerial;

    private RevocationList(
        byte[] rawData,
        byte[] tbs,
        string signatureAlgorithmOid,
        byte[] signature,
        X500DistinguishedName issuer,
        DateTimeOffset thisUpdate,
        DateTimeOffset? nextUpdate,
        System.Numerics.BigInteger? crlNumber,
        IReadOnlyList<RevokedCertificate> entries,
        string? unsupportedReason,
        string? source)
    {
        RawData = rawData;
        _tbs = tbs;
        SignatureAlgorithmOid = signatureAlgorithmOid;
        _signature = signature;
        Issuer = issuer;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        CrlNumber = crlNumber;
        Entries = entries;
        UnsupportedReason = unsupportedReason;
        Source = source;

        // Last entry wins if a serial repeats; a well-formed CRL never repeats one.
        var map = new Dictionary<string, RevokedCertificate>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            map[e.SerialNumber] = e;
        }

        _bySerial = map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The DER encoding of the whole CRL.</summary>
    public byte[] RawData { get; }

    /// <summary>The issuer name as encoded in the CRL.</summary>
    public X500DistinguishedName Issuer { get; }

    /// <summary>When the CRL was issued.</summary>
    public DateTimeOffset ThisUpdate { get; }

    /// <summary>When the issuer promises the next CRL; null when the CRL does not say (then it never
    /// goes stale by itself).</summary>
    public DateTimeOffset? NextUpdate { get; }

    /// <summary>The CRL number extension, when present.</summary>
    public System.Numerics.BigInteger? CrlNumber { get; }

    /// <summary>The signature algorithm OID of the outer <c>signatureAlgorithm</c>.</summary>
    public string SignatureAlgorithmOid { get; }

    /// <summary>Every revoked certificate the CRL lists, in file order.</summary>
    public IReadOnlyList<RevokedCertificate> Entries { get; }

    /// <summary>Why this CRL must not be used even if its signature verifies (an unsupported kind of
    /// CRL or critical extension), or null when it is a plain complete CRL.</summary>
    public string? UnsupportedReason { get; }

    /// <summary>Where the CRL was loaded from (a file path), when known; used in findings.</summary>
    public string? Source { get; }

    /// <summary>Loads a CRL file, PEM (<c>-----BEGIN X509 CRL-----</c>) or DER.</summary>
    /// <exception cref="CryptographicException">The file is not a CRL this parser can read.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static RevocationList Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Load(File.ReadAllBytes(path), path);
    }

    /// <summary>Loads a CRL from PEM or DER bytes.</summary>
    /// <param name="data">The CRL, PEM or DER.</param>
    /// <param name="source">A label for findings (for example the file name); optional.</param>
    /// <exception cref="CryptographicException">The bytes are not a CRL this parser can read.</exception>
    public static RevocationList Load(ReadOnlySpan<byte> data, string? source = null)
    {
        var der = TryPem(data) ?? data.ToArray();
        try
        {
            return Parse(der, source);
        }
        catch (AsnContentException ex)
        {
            throw new CryptographicException($"Not a valid X.509 CRL{(source is null ? "" : $" ({source})")}: {ex.Message}", ex);
        }
    }

    /// <summary>Loads every CRL in a PEM bundle (several <c>X509 CRL</c> blocks), or the single CRL
    /// of a DER file.</summary>
    /// <exception cref="CryptographicException">A block is not a CRL this parser can read.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<RevocationList> LoadAll(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var data = File.ReadAllBytes(path);
        if (!LooksLikePem(data))
        {
            return [Load(data, path)];
        }

        var text = Encoding.ASCII.GetString(data).AsSpan();
        var result = new List<RevocationList>();
        while (PemEncoding.TryFind(text, out var fields))
        {
            if (text[fields.Label].SequenceEqual(PemLabel))
            {
                var der = Convert.FromBase64String(text[fields.Base64Data].ToString());
                try
                {
                    result.Add(Parse(der, path));
                }
                catch (AsnContentException ex)
                {
                    throw new CryptographicException($"Not a valid X.509 CRL ({path}): {ex.Message}", ex);
                }
            }

            text = text[fields.Location.End..];
        }

        if (result.Count == 0)
        {
            throw new CryptographicException($"No X509 CRL block in {path}.");
        }

        return result;
    }

    /// <summary>The canonical form of a serial number used for lookups: upper-case hexadecimal,
    /// big-endian, leading zero bytes removed (a single <c>00</c> for zero).</summary>
    public static string SerialKey(ReadOnlySpan<byte> bigEndianSerial)
    {
        var s = bigEndianSerial;
        while (s.Length > 1 && s[0] == 0)
        {
            s = s[1..];
        }

        return Convert.ToHexString(s);
    }

    /// <summary>The entry for <paramref name="certificate"/>'s serial number, or null when the CRL
    /// does not list it. Does not check that the CRL's issuer issued the certificate; callers match
    /// <see cref="Issuer"/> first.</summary>
    public RevokedCertificate? Find(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return _bySerial.GetValueOrDefault(SerialKey(certificate.SerialNumberBytes.Span));
    }

    /// <summary>True when this CRL names <paramref name="certificate"/>'s issuer as its issuer
    /// (exact DER comparison of the names).</summary>
    public bool CoversIssuerOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.IssuerName.RawData.AsSpan().SequenceEqual(Issuer.RawData);
    }

    /// <summary>Checks that <paramref name="issuer"/> signed this CRL: names match, the issuer may
    /// sign CRLs (key usage <c>cRLSign</c> when the extension is present), the algorithm is
    /// supported and the signature verifies over the <c>TBSCertList</c>.</summary>
    /// <param name="issuer">The CA certificate expected to have issued the CRL.</param>
    /// <param name="problem">Why the check failed, or null when it passed.</param>
    /// <returns>True when the signature is good.</returns>
    public bool VerifySignature(X509Certificate2 issuer, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (!issuer.SubjectName.RawData.AsSpan().SequenceEqual(Issuer.RawData))
        {
            problem = $"the CRL is issued by {Issuer.Name}, not by {issuer.Subject}";
            return false;
        }

        var keyUsage = issuer.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (keyUsage is not null && (keyUsage.KeyUsages & X509KeyUsageFlags.CrlSign) == 0)
        {
            problem = $"{issuer.Subject} may not sign CRLs (no cRLSign key usage)";
            return false;
        }

        if (!SignatureAlgorithms.TryGetValue(SignatureAlgorithmOid, out var alg))
        {
            problem = $"the CRL signature algorithm {SignatureAlgorithmOid} is not supported";
            return false;
        }

        bool ok;
        try
        {
            if (alg.IsEcdsa)
            {
                using var key = issuer.GetECDsaPublicKey();
                ok = key is not null && key.VerifyData(_tbs, _signature, alg.Hash, DSASignatureFormat.Rfc3279DerSequence);
            }
            else
            {
                using var key = issuer.GetRSAPublicKey();
                ok = key is not null && key.VerifyData(_tbs, _signature, alg.Hash, RSASignaturePadding.Pkcs1);
            }
        }
        catch (CryptographicException)
        {
            ok = false;
        }

        problem = ok ? null : $"the CRL signature does not verify with the key of {issuer.Subject}";
        return ok;
    }

    /// <summary>DER always starts with a SEQUENCE tag (0x30); anything else holding a PEM
    /// boundary is treated as PEM.</summary>
    internal static bool LooksLikePem(ReadOnlySpan<byte> data) =>
        data.Length > 0 && data[0] != 0x30 && data.IndexOf("-----BEGIN "u8) >= 0;

    private static byte[]? TryPem(ReadOnlySpan<byte> data)
    {
        if (!LooksLikePem(data))
        {
            return null;
        }

        var text = Encoding.ASCII.GetString(data).AsSpan();
        while (PemEncoding.TryFind(text, out var fields))
        {
            if (text[fields.Label].SequenceEqual(PemLabel))
            {
                return Convert.FromBase64String(text[fields.Base64Data].ToString());
            }

            text = text[fields.Location.End..];
        }

        throw new CryptographicException("The PEM data holds no X509 CRL block.");
    }

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
