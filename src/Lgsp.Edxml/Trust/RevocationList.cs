using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lgsp.Edxml.Trust;

/// <summary>One entry of a certificate revocation list.</summary>
/// <param name="SerialNumber">The revoked certificate's serial number, upper-case hexadecimal,
/// big-endian, without leading zero bytes (the same form as <see cref="RevocationList.SerialKey"/>).</param>
/// <param name="RevokedAt">When the issuer says the certificate was revoked.</param>
/// <param name="Reason">The CRL reason code (RFC 5280 §5.3.1), when the entry carries one.</param>
public sealed record RevokedCertificate(string SerialNumber, DateTimeOffset RevokedAt, X509RevocationReason? Reason);

// Split by concern: RevocationList.Loading.cs (PEM and DER input) and RevocationList.Parsing.cs (the DER structure).
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
public sealed partial class RevocationList
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

    /// <summary>True when <paramref name="at"/> is later than <see cref="NextUpdate"/> plus
    /// <paramref name="grace"/>: the issuer has promised a newer list by then, so this one may miss
    /// revocations. Never true for a CRL without a next update.</summary>
    public bool IsStaleAt(DateTimeOffset at, TimeSpan grace = default) =>
        NextUpdate is { } next && at - next > grace;

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
}
