using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Lgsp.Edxml.Trust;

namespace Lgsp.Edxml.Testing.Pki;

/// <summary>
/// A throwaway two-level PKI for tests and demos: a root CA and an intermediate CA (RSA 3072,
/// SHA-256), and leaf certificates following the Vietnamese subject conventions
/// (<see cref="SubjectConvention"/>) for organisations (digital seals) and persons. Everything is
/// generated in memory with fresh keys and every subject carries
/// <c>OU=TEST ONLY - NOT FOR PRODUCTION</c>. <b>Never trust these certificates outside tests.</b>
/// </summary>
/// <remarks>
/// <para>Thread safe: issuing, CRL creation and writing are serialised by a lock.</para>
/// <para>Certificates are returned with their private keys attached, usable by
/// <c>SignedXml</c> and <c>SignedCms</c>. The instance owns them: <see cref="Dispose"/> disposes
/// the CAs and every issued certificate.</para>
/// <para>Validity: the root runs from 10 years ago to 20 years ahead, the intermediate from 9 years
/// ago to 15 years ahead, so leaves that are expired or not yet valid can still chain.</para>
/// </remarks>
public sealed class TestPki : IDisposable
{
    /// <summary>The organisational unit every certificate of a test PKI carries.</summary>
    public const string TestOnlyUnit = "TEST ONLY - NOT FOR PRODUCTION";

    private readonly Lock _gate = new();
    private readonly RSA _intermediateKey;
    private readonly List<(string FileName, X509Certificate2 Certificate)> _issued = [];
    private BigInteger _crlNumber = BigInteger.Zero;
    private byte[]? _lastCrl;
    private bool _disposed;

    private TestPki(string name, X509Certificate2 root, X509Certificate2 intermediate, RSA intermediateKey)
    {
        Name = name;
        Root = root;
        Intermediate = intermediate;
        _intermediateKey = intermediateKey;
    }

    /// <summary>The name given at creation; the CAs are called "&lt;name&gt; Root CA" and
    /// "&lt;name&gt; Issuing CA".</summary>
    public string Name { get; }

    /// <summary>The self-signed root CA, with its private key.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The intermediate CA that issues leaves and CRLs, with its private key.</summary>
    public X509Certificate2 Intermediate { get; }

    /// <summary>Every leaf issued so far, in order.</summary>
    public IReadOnlyList<X509Certificate2> Issued
    {
        get
        {
            lock (_gate)
            {
                return [.. _issued.Select(i => i.Certificate)];
            }
        }
    }

    /// <summary>Creates a root CA and an intermediate CA with fresh RSA 3072 keys.</summary>
    /// <param name="name">Names the CAs; keep it recognisable in test output.</param>
    public static TestPki Create(string name = "LGSP Test")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var now = DateTimeOffset.UtcNow;

        using var rootKey = RSA.Create(3072);
        var rootRequest = new CertificateRequest(CaName($"{name} Root CA"), rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        var root = rootRequest.CreateSelfSigned(now.AddYears(-10), now.AddYears(20));

        var intermediateKey = RSA.Create(3072);
        var intermediateRequest = new CertificateRequest(CaName($"{name} Issuing CA"), intermediateKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        intermediateRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(intermediateRequest.PublicKey, false));
        intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var intermediatePublic = intermediateRequest.Create(root, now.AddYears(-9), now.AddYears(15), NewSerial());
        var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);

        return new TestPki(name, root, intermediate, intermediateKey);
    }

    /// <summary>Issues an organisation certificate (digital seal):
    /// <c>CN=&lt;organizationName&gt;, OU=TEST ONLY…, O=&lt;organizationName&gt;, C=VN,
    /// UID=MDD:&lt;agencyCode&gt;</c>.</summary>
    /// <param name="agencyCode">The agency identifier, e.g. <c>000.00.00.G22</c>.</param>
    /// <param name="organizationName">The organisation's name.</param>
    /// <param name="key">The key kind.</param>
    /// <param name="options">Validity and key usage overrides.</param>
    /// <returns>The certificate with its private key; owned by this instance.</returns>
    /// <exception cref="ObjectDisposedException">The PKI was disposed.</exception>
    public X509Certificate2 IssueOrganization(string agencyCode, string organizationName, KeyKind key = KeyKind.Rsa, CertificateOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agencyCode);
        ArgumentException.ThrowIfNullOrWhiteSpace(organizationName);

        // The builder encodes in reverse order of the calls, so the calls follow the printed form.
        var b = new X500DistinguishedNameBuilder();
        b.AddCommonName(organizationName);
        b.AddOrganizationalUnitName(TestOnlyUnit);
        b.AddOrganizationName(organizationName);
        b.AddCountryOrRegion("VN");
        b.Add(SubjectConvention.UserIdOid, SubjectConvention.OrganizationPrefix + agencyCode, System.Formats.Asn1.UniversalTagNumber.UTF8String);
        return Issue(b.Build(), $"org-{agencyCode}", key, options);
    }

    /// <summary>Issues a personal certificate:
    /// <c>CN=&lt;fullName&gt;, T=&lt;title&gt;, OU=TEST ONLY…, O=&lt;organizationName&gt;, C=VN,
    /// UID=CCCD:&lt;citizenId&gt;</c> (title and organisation only when given).</summary>
    /// <param name="fullName">The holder's full name.</param>
    /// <param name="citizenId">The holder's citizen id number.</param>
    /// <param name="organizationName">The organisation the holder signs for, if any.</param>
    /// <param name="title">The holder's title, if any.</param>
    /// <param name="key">The key kind.</param>
    /// <param name="options">Validity and key usage overrides.</param>
    /// <returns>The certificate with its private key; owned by this instance.</returns>
    /// <exception cref="ObjectDisposedException">The PKI was disposed.</exception>
    public X509Certificate2 IssuePersonal(string fullName, string citizenId, string? organizationName = null, string? title = null, KeyKind key = KeyKind.Rsa, CertificateOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fullName);
        ArgumentException.ThrowIfNullOrWhiteSpace(citizenId);

        var b = new X500DistinguishedNameBuilder();
        b.AddCommonName(fullName);
        if (!string.IsNullOrWhiteSpace(title))
        {
            b.Add(SubjectConvention.TitleOid, title, System.Formats.Asn1.UniversalTagNumber.UTF8String);
        }

        b.AddOrganizationalUnitName(TestOnlyUnit);
        if (!string.IsNullOrWhiteSpace(organizationName))
        {
            b.AddOrganizationName(organizationName);
        }

        b.AddCountryOrRegion("VN");
        b.Add(SubjectConvention.UserIdOid, SubjectConvention.CitizenPrefix + citizenId, System.Formats.Asn1.UniversalTagNumber.UTF8String);
        return Issue(b.Build(), $"person-{citizenId}", key, options);
    }

    /// <summary>Creates a CRL signed by the intermediate CA listing <paramref name="revoked"/>, and
    /// remembers it as the PKI's current CRL (written by <see cref="WriteTo"/>).</summary>
    /// <param name="revoked">The certificates to list (issued by the intermediate).</param>
    /// <param name="thisUpdate">Issue time; default now.</param>
    /// <param name="nextUpdate">Next update; default seven days after <paramref name="thisUpdate"/>.</param>
    /// <param name="revokedAt">When the certificates were revoked; default one minute before
    /// <paramref name="thisUpdate"/>.</param>
    /// <returns>The DER encoding.</returns>
    /// <exception cref="ObjectDisposedException">The PKI was disposed.</exception>
    public byte[] CreateCrl(IEnumerable<X509Certificate2> revoked, DateTimeOffset? thisUpdate = null, DateTimeOffset? nextUpdate = null, DateTimeOffset? revokedAt = null)
    {
        var crl = BuildCrl(Intermediate, revoked, thisUpdate, nextUpdate, revokedAt);
        lock (_gate)
        {
            _lastCrl = crl;
        }

        return crl;
    }

    /// <summary>Creates a CRL signed by the root CA (an authority revocation list, covering the
    /// intermediate). Not remembered by <see cref="WriteTo"/>.</summary>
    /// <param name="revoked">The certificates to list (issued by the root, i.e. the intermediate).</param>
    /// <param name="thisUpdate">Issue time; default now.</param>
    /// <param name="nextUpdate">Next update; default seven days after <paramref name="thisUpdate"/>.</param>
    /// <returns>The DER encoding.</returns>
    /// <exception cref="ObjectDisposedException">The PKI was disposed.</exception>
    public byte[] CreateRootCrl(IEnumerable<X509Certificate2> revoked, DateTimeOffset? thisUpdate = null, DateTimeOffset? nextUpdate = null) =>
        BuildCrl(Root, revoked, thisUpdate, nextUpdate, null);

    /// <summary>Writes the PKI as PEM files into <paramref name="directory"/> (created if missing):
    /// <c>root.pem</c>, <c>intermediate.pem</c>, <c>&lt;name&gt;.pem</c> and
    /// <c>&lt;name&gt;.key.pem</c> (unencrypted PKCS#8) for each issued certificate
    /// (<c>org-&lt;agency code&gt;</c> or <c>person-&lt;citizen id&gt;</c>, suffixed when repeated),
    /// <c>crl.pem</c> (the last <see cref="CreateCrl"/>, or an empty CRL) and a <c>README.txt</c>
    /// that says this is test material. The CA private keys are not written.</summary>
    /// <exception cref="IOException">A file cannot be written.</exception>
    /// <exception cref="ObjectDisposedException">The PKI was disposed.</exception>
    public void WriteTo(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "root.pem"), Root.ExportCertificatePem() + "\n");
            File.WriteAllText(Path.Combine(directory, "intermediate.pem"), Intermediate.ExportCertificatePem() + "\n");

            var readme = new StringBuilder()
                .AppendLine($"{TestOnlyUnit}")
                .AppendLine()
                .AppendLine($"Throwaway test PKI \"{Name}\" generated on {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC by Lgsp.Edxml.Testing.Pki.TestPki.")
                .AppendLine("The private keys below are unencrypted and were generated for tests. Never trust these")
                .AppendLine("certificates, and never use these keys, outside tests and demos.")
                .AppendLine()
                .AppendLine("root.pem          root CA certificate (trust anchor)")
                .AppendLine("intermediate.pem  issuing CA certificate")
                .AppendLine("crl.pem           CRL signed by the issuing CA");

            foreach (var (fileName, cert) in _issued)
            {
                File.WriteAllText(Path.Combine(directory, fileName + ".pem"), cert.ExportCertificatePem() + "\n");
                File.WriteAllText(Path.Combine(directory, fileName + ".key.pem"), ExportPrivateKeyPem(cert) + "\n");
                readme.AppendLine($"{fileName}.pem / {fileName}.key.pem  {cert.Subject}");
            }

            _lastCrl ??= BuildCrl(Intermediate, [], null, null, null);
            File.WriteAllText(Path.Combine(directory, "crl.pem"), PemEncoding.WriteString("X509 CRL", _lastCrl) + "\n");
            File.WriteAllText(Path.Combine(directory, "README.txt"), readme.ToString());
        }
    }

    /// <summary>Disposes the CAs, their keys and every issued certificate.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var (_, cert) in _issued)
            {
                cert.Dispose();
            }

            _issued.Clear();
            Intermediate.Dispose();
            _intermediateKey.Dispose();
            Root.Dispose();
        }
    }

    private X509Certificate2 Issue(X500DistinguishedName subject, string fileStem, KeyKind key, CertificateOptions? options)
    {
        var now = DateTimeOffset.UtcNow;
        var notBefore = options?.NotBefore ?? now.AddDays(-1);
        var notAfter = options?.NotAfter ?? now.AddYears(2);
        var keyUsage = options?.KeyUsage ?? (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation);

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            AsymmetricAlgorithm privateKey = key switch
            {
                KeyKind.Rsa => RSA.Create(2048),
                KeyKind.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
                _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown key kind."),
            };

            using (privateKey)
            {
                var request = privateKey switch
                {
                    RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                    ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
                    _ => throw new InvalidOperationException(),
                };

                request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
                if (keyUsage != X509KeyUsageFlags.None)
                {
                    request.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage, true));
                }

                request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
                request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Intermediate, true, false));

                // The generator overload does not insist that the leaf fits inside the issuer's validity.
                var generator = X509SignatureGenerator.CreateForRSA(_intermediateKey, RSASignaturePadding.Pkcs1);
                using var unsigned = request.Create(Intermediate.SubjectName, generator, notBefore, notAfter, NewSerial());
                var cert = privateKey switch
                {
                    RSA rsa => unsigned.CopyWithPrivateKey(rsa),
                    ECDsa ec => unsigned.CopyWithPrivateKey(ec),
                    _ => throw new InvalidOperationException(),
                };

                _issued.Add((UniqueFileName(fileStem), cert));
                return cert;
            }
        }
    }

    private byte[] BuildCrl(X509Certificate2 issuer, IEnumerable<X509Certificate2> revoked, DateTimeOffset? thisUpdate, DateTimeOffset? nextUpdate, DateTimeOffset? revokedAt)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        var issued = thisUpdate ?? DateTimeOffset.UtcNow;
        var next = nextUpdate ?? issued.AddDays(7);
        var when = revokedAt ?? issued.AddMinutes(-1);

        var builder = new CertificateRevocationListBuilder();
        foreach (var cert in revoked)
        {
            builder.AddEntry(cert, when, X509RevocationReason.KeyCompromise);
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _crlNumber += 1;
            return builder.Build(issuer, _crlNumber, next, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, issued);
        }
    }

    private string UniqueFileName(string stem)
    {
        var safe = new string([.. stem.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')]);
        var name = safe;
        for (var n = 2; _issued.Any(i => i.FileName == name); n++)
        {
            name = $"{safe}-{n}";
        }

        return name;
    }

    private static string ExportPrivateKeyPem(X509Certificate2 cert)
    {
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)cert.GetRSAPrivateKey() ?? cert.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException($"{cert.Subject} has no private key.");
        return key.ExportPkcs8PrivateKeyPem();
    }

    private static X500DistinguishedName CaName(string commonName)
    {
        var b = new X500DistinguishedNameBuilder();
        b.AddCommonName(commonName);
        b.AddOrganizationalUnitName(TestOnlyUnit);
        b.AddOrganizationName("LGSP test PKI");
        b.AddCountryOrRegion("VN");
        return b.Build();
    }

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive
        serial[0] |= 0x01; // no leading zero byte, so the encoding is exactly 16 bytes
        return serial;
    }
}
