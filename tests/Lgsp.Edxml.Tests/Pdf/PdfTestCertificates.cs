using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lgsp.Edxml.Tests.Pdf;

/// <summary>
/// Throwaway certificates made at test time, shaped like the national PKI's: a root, an
/// intermediate, an organisation leaf (the agency's seal) and a personal leaf (an official).
/// Generated once per test run; the private keys never leave memory.
/// </summary>
internal static class PdfTestCertificates
{
    public const string OrganizationName = "Sở Nội vụ tỉnh Thái Bình";
    public const string PersonName = "Nguyễn Văn An";

    private static readonly Lazy<Set> Instance = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    public static X509Certificate2 Root => Instance.Value.Root;

    public static X509Certificate2 Intermediate => Instance.Value.Intermediate;

    /// <summary>RSA 2048: CN=O=the agency, C=VN, UID=MDD:000.00.01.H56.</summary>
    public static X509Certificate2 Organization => Instance.Value.Organization;

    /// <summary>ECDSA P-256: CN=the official, T=Giám đốc, C=VN, UID=CCCD:038...</summary>
    public static X509Certificate2 Personal => Instance.Value.Personal;

    /// <summary>RSA 2048 with a subject the default rule cannot classify: CN=Hệ thống thử nghiệm, C=VN.</summary>
    public static X509Certificate2 Plain => Instance.Value.Plain;

    /// <summary>A self-signed RSA certificate no trust knows.</summary>
    public static X509Certificate2 Stranger => Instance.Value.Stranger;

    /// <summary>An RSA certificate for a time-stamping authority under the intermediate.</summary>
    public static X509Certificate2 TimestampAuthority => Instance.Value.Tsa;

    private sealed record Set(
        X509Certificate2 Root, X509Certificate2 Intermediate, X509Certificate2 Organization, X509Certificate2 Personal,
        X509Certificate2 Plain, X509Certificate2 Stranger, X509Certificate2 Tsa);

    private static Set Create()
    {
        // Valid from before the samples' fixed signing times (2025) until well after today.
        var notBefore = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var root = CreateAuthority(Name(b => { b.AddCommonName("LGSP Test Root CA"); b.AddCountryOrRegion("VN"); }), null, notBefore, DateTimeOffset.UtcNow.AddYears(20));
        var intermediate = CreateAuthority(Name(b => { b.AddCommonName("LGSP Test Issuing CA"); b.AddCountryOrRegion("VN"); }), root, notBefore, DateTimeOffset.UtcNow.AddYears(10));

        var organization = CreateLeafRsa(
            Name(b =>
            {
                b.AddCommonName(OrganizationName);
                b.AddOrganizationName(OrganizationName);
                b.AddCountryOrRegion("VN");
                b.Add("0.9.2342.19200300.100.1.1", "MDD:000.00.01.H56", System.Formats.Asn1.UniversalTagNumber.UTF8String);
            }),
            intermediate, notBefore);

        var personal = CreateLeafEcdsa(
            Name(b =>
            {
                b.AddCommonName(PersonName);
                b.Add("2.5.4.12", "Giám đốc", System.Formats.Asn1.UniversalTagNumber.UTF8String);
                b.AddCountryOrRegion("VN");
                b.Add("0.9.2342.19200300.100.1.1", "CCCD:038123456789", System.Formats.Asn1.UniversalTagNumber.UTF8String);
            }),
            intermediate, notBefore);

        var plain = CreateLeafRsa(Name(b => { b.AddCommonName("Hệ thống thử nghiệm"); b.AddCountryOrRegion("VN"); }), intermediate, notBefore);

        using var strangerKey = RSA.Create(2048);
        var strangerRequest = new CertificateRequest("CN=Unknown Signer, C=VN", strangerKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var stranger = strangerRequest.CreateSelfSigned(notBefore, DateTimeOffset.UtcNow.AddYears(2));

        var tsa = CreateLeafRsa(Name(b => { b.AddCommonName("LGSP Test TSA"); b.AddOrganizationName("LGSP Test"); b.AddCountryOrRegion("VN"); }), intermediate, notBefore, timeStamping: true);
        return new Set(root, intermediate, organization, personal, plain, stranger, tsa);
    }

    private static X500DistinguishedName Name(Action<X500DistinguishedNameBuilder> build)
    {
        var builder = new X500DistinguishedNameBuilder();
        build(builder);
        return builder.Build();
    }

    private static X509Certificate2 CreateAuthority(X500DistinguishedName name, X509Certificate2? issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is null)
        {
            return request.CreateSelfSigned(notBefore, notAfter);
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var cert = request.Create(issuer, notBefore, notAfter, RandomSerial());
        return cert.CopyWithPrivateKey(key);
    }

    private static X509Certificate2 CreateLeafRsa(X500DistinguishedName name, X509Certificate2 issuer, DateTimeOffset notBefore, bool timeStamping = false)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        AddLeafExtensions(request, issuer, timeStamping);
        using var cert = request.Create(issuer, notBefore, DateTimeOffset.UtcNow.AddYears(3), RandomSerial());
        return cert.CopyWithPrivateKey(key);
    }

    private static X509Certificate2 CreateLeafEcdsa(X500DistinguishedName name, X509Certificate2 issuer, DateTimeOffset notBefore)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        AddLeafExtensions(request, issuer, timeStamping: false);
        // The issuer's key is RSA, the subject's ECDSA: sign with an explicit RSA generator.
        using var issuerKey = issuer.GetRSAPrivateKey()!;
        using var cert = request.Create(
            issuer.SubjectName, X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1),
            notBefore, DateTimeOffset.UtcNow.AddYears(3), RandomSerial());
        return cert.CopyWithPrivateKey(key);
    }

    private static void AddLeafExtensions(CertificateRequest request, X509Certificate2 issuer, bool timeStamping)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        if (timeStamping)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], true));
        }
    }

    private static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }
}
