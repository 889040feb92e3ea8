using System.Security.Cryptography;

namespace Lgsp.Edxml.Pdf.Cms;

/// <summary>Object identifiers of CMS (RFC 5652), its attributes and the algorithms verified here.</summary>
internal static class CmsOids
{
    public const string SignedData = "1.2.840.113549.1.7.2";
    public const string Data = "1.2.840.113549.1.7.1";
    public const string TstInfo = "1.2.840.113549.1.9.16.1.4";

    public const string ContentType = "1.2.840.113549.1.9.3";
    public const string MessageDigest = "1.2.840.113549.1.9.4";
    public const string SigningTime = "1.2.840.113549.1.9.5";
    public const string SigningCertificateV2 = "1.2.840.113549.1.9.16.2.47";

    public const string Sha1 = "1.3.14.3.2.26";
    public const string Sha256 = "2.16.840.1.101.3.4.2.1";
    public const string Sha384 = "2.16.840.1.101.3.4.2.2";
    public const string Sha512 = "2.16.840.1.101.3.4.2.3";

    public const string RsaEncryption = "1.2.840.113549.1.1.1";
    public const string Sha1WithRsa = "1.2.840.113549.1.1.5";
    public const string RsaPss = "1.2.840.113549.1.1.10";
    public const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    public const string Sha384WithRsa = "1.2.840.113549.1.1.12";
    public const string Sha512WithRsa = "1.2.840.113549.1.1.13";
    public const string Mgf1 = "1.2.840.113549.1.1.8";

    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string EcdsaSha1 = "1.2.840.10045.4.1";
    public const string EcdsaSha256 = "1.2.840.10045.4.3.2";
    public const string EcdsaSha384 = "1.2.840.10045.4.3.3";
    public const string EcdsaSha512 = "1.2.840.10045.4.3.4";

    /// <summary>The hash for a digest algorithm OID, or null when it is not one verified here.</summary>
    public static HashAlgorithmName? Hash(string? oid) => oid switch
    {
        Sha1 => HashAlgorithmName.SHA1,
        Sha256 => HashAlgorithmName.SHA256,
        Sha384 => HashAlgorithmName.SHA384,
        Sha512 => HashAlgorithmName.SHA512,
        _ => null,
    };

    public static string HashOid(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA1 ? Sha1
        : hash == HashAlgorithmName.SHA256 ? Sha256
        : hash == HashAlgorithmName.SHA384 ? Sha384
        : hash == HashAlgorithmName.SHA512 ? Sha512
        : throw new ArgumentException("Unsupported hash " + hash.Name, nameof(hash));
}
