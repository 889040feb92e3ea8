using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Tests.Pki;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Trust;

namespace Lgsp.Edxml.Testing.Tests.Pki;

public sealed class TestPkiTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private TestPki Pki => fixture.Pki;

    [Fact]
    public void An_organization_certificate_follows_the_subject_convention()
    {
        var cert = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");

        Assert.Equal("Văn phòng Chính phủ", SubjectConvention.Attribute(cert.SubjectName, SubjectConvention.CommonNameOid));
        Assert.Equal("Văn phòng Chính phủ", SubjectConvention.Attribute(cert.SubjectName, SubjectConvention.OrganizationOid));
        Assert.Equal("VN", SubjectConvention.Attribute(cert.SubjectName, SubjectConvention.CountryOid));
        Assert.Equal("MDD:000.00.00.G22", SubjectConvention.UserId(cert));
        Assert.Equal("000.00.00.G22", SubjectConvention.AgencyCode(cert));
        Assert.Null(SubjectConvention.CitizenId(cert));
        Assert.StartsWith("CN=Văn phòng Chính phủ, ", cert.Subject);
        Assert.EndsWith(", O=Văn phòng Chính phủ, C=VN, userId=MDD:000.00.00.G22", cert.Subject);
    }

    [Fact]
    public void A_personal_certificate_follows_the_subject_convention()
    {
        var cert = Pki.IssuePersonal("Nguyễn Văn An", "001088012345", "UBND Tỉnh Nghệ An", "Chánh Văn phòng");

        Assert.Equal("Nguyễn Văn An", SubjectConvention.Attribute(cert.SubjectName, SubjectConvention.CommonNameOid));
        Assert.Equal("Chánh Văn phòng", SubjectConvention.Attribute(cert.SubjectName, SubjectConvention.TitleOid));
        Assert.Equal("UBND Tỉnh Nghệ An", SubjectConvention.Attribute(cert.SubjectName, SubjectConvention.OrganizationOid));
        Assert.Equal("VN", SubjectConvention.Attribute(cert.SubjectName, SubjectConvention.CountryOid));
        Assert.Equal("001088012345", SubjectConvention.CitizenId(cert));
        Assert.Null(SubjectConvention.AgencyCode(cert));
        Assert.StartsWith("CN=Nguyễn Văn An, T=Chánh Văn phòng, ", cert.Subject);
        Assert.EndsWith(", O=UBND Tỉnh Nghệ An, C=VN, userId=CCCD:001088012345", cert.Subject);
    }

    [Fact]
    public void A_personal_certificate_without_title_or_organization_omits_them()
    {
        var cert = Pki.IssuePersonal("Trần Thị Bình", "079190000001");

        Assert.Null(SubjectConvention.Attribute(cert.SubjectName, SubjectConvention.TitleOid));
        Assert.Null(SubjectConvention.Attribute(cert.SubjectName, SubjectConvention.OrganizationOid));
        Assert.Equal("079190000001", SubjectConvention.CitizenId(cert));
    }

    [Fact]
    public void Every_certificate_is_marked_test_only()
    {
        var leaf = Pki.IssueOrganization("000.00.00.H41", "UBND Tỉnh Nghệ An");

        foreach (var cert in new[] { Pki.Root, Pki.Intermediate, leaf })
        {
            Assert.Contains("OU=" + TestPki.TestOnlyUnit, cert.Subject);
        }
    }

    [Fact]
    public void Leaves_allow_signing_and_are_not_certificate_authorities()
    {
        var cert = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");

        var keyUsage = Assert.Single(cert.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(keyUsage.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, keyUsage.KeyUsages);
        Assert.False(Assert.Single(cert.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
    }

    [Fact]
    public void The_certificate_authorities_may_sign_certificates_and_crls()
    {
        foreach (var ca in new[] { Pki.Root, Pki.Intermediate })
        {
            Assert.True(Assert.Single(ca.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
            Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, Assert.Single(ca.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages);
            Assert.Equal(3072, ca.GetRSAPublicKey()!.KeySize);
            Assert.True(ca.HasPrivateKey);
        }

        Assert.Equal(Pki.Root.Subject, Pki.Root.Issuer);
        Assert.Equal(Pki.Root.Subject, Pki.Intermediate.Issuer);
    }

    [Fact]
    public void Key_usage_can_be_overridden_or_left_out()
    {
        var encipher = Pki.IssueOrganization("000.00.00.G01", "Bộ Ngoại giao", options: new CertificateOptions { KeyUsage = X509KeyUsageFlags.KeyEncipherment });
        var none = Pki.IssueOrganization("000.00.00.G02", "Bộ Tư pháp", options: new CertificateOptions { KeyUsage = X509KeyUsageFlags.None });

        Assert.Equal(X509KeyUsageFlags.KeyEncipherment, Assert.Single(encipher.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages);
        Assert.Empty(none.Extensions.OfType<X509KeyUsageExtension>());
    }

    [Fact]
    public void Validity_can_be_set_to_make_expired_certificates()
    {
        var notBefore = DateTimeOffset.UtcNow.AddYears(-3);
        var notAfter = DateTimeOffset.UtcNow.AddYears(-1);

        var cert = Pki.IssuePersonal("Lê Văn Cũ", "001000000009", options: new CertificateOptions { NotBefore = notBefore, NotAfter = notAfter });

        Assert.Equal(notAfter.UtcDateTime, cert.NotAfter.ToUniversalTime(), TimeSpan.FromSeconds(1));
        Assert.Equal(notBefore.UtcDateTime, cert.NotBefore.ToUniversalTime(), TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData(KeyKind.Rsa)]
    [InlineData(KeyKind.EcdsaP256)]
    public void Leaves_carry_a_usable_private_key_of_the_requested_kind(KeyKind kind)
    {
        var cert = Pki.IssueOrganization("000.00.00.H13", "UBND Thành phố Đà Nẵng", kind);
        var data = "văn bản"u8.ToArray();

        Assert.True(cert.HasPrivateKey);
        if (kind == KeyKind.Rsa)
        {
            using var key = cert.GetRSAPrivateKey()!;
            var signature = key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            Assert.True(cert.GetRSAPublicKey()!.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
        else
        {
            using var key = cert.GetECDsaPrivateKey()!;
            Assert.Equal(256, key.KeySize);
            var signature = key.SignData(data, HashAlgorithmName.SHA256);
            Assert.True(cert.GetECDsaPublicKey()!.VerifyData(data, signature, HashAlgorithmName.SHA256));
        }
    }

    [Fact]
    public void Leaves_chain_to_the_root_through_the_intermediate()
    {
        var cert = Pki.IssueOrganization("000.00.00.H14", "UBND Tỉnh Thanh Hóa", KeyKind.EcdsaP256);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Pki.Root);
        chain.ChainPolicy.ExtraStore.Add(Pki.Intermediate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;

        Assert.True(chain.Build(cert), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(3, chain.ChainElements.Count);
    }

    [Fact]
    public void The_crl_lists_the_revoked_serial_and_is_signed_by_the_intermediate()
    {
        var revoked = Pki.IssuePersonal("Phạm Văn Thu Hồi", "001000000010");
        var kept = Pki.IssuePersonal("Phạm Văn Còn", "001000000011");

        var der = Pki.CreateCrl([revoked]);

        var crl = RevocationList.Load(der);
        Assert.NotNull(crl.Find(revoked));
        Assert.Null(crl.Find(kept));
        Assert.Equal(RevocationList.SerialKey(revoked.SerialNumberBytes.Span), Assert.Single(crl.Entries).SerialNumber);
        Assert.True(crl.VerifySignature(Pki.Intermediate, out var problem), problem);
        Assert.Equal(Pki.Intermediate.SubjectName.RawData, crl.Issuer.RawData);

        // The platform's own parser agrees.
        var platform = CertificateRevocationListBuilder.Load(der, out _);
        Assert.True(platform.RemoveEntry(revoked.SerialNumberBytes.Span));
    }

    [Fact]
    public void The_root_crl_is_signed_by_the_root()
    {
        var crl = RevocationList.Load(Pki.CreateRootCrl([Pki.Intermediate]));

        Assert.NotNull(crl.Find(Pki.Intermediate));
        Assert.True(crl.VerifySignature(Pki.Root, out var problem), problem);
    }

    [Fact]
    public void WriteTo_writes_loadable_pem_files_and_a_test_only_readme()
    {
        using var pki = TestPki.Create("LGSP WriteTo");
        var org = pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ", KeyKind.EcdsaP256);
        var person = pki.IssuePersonal("Nguyễn Văn An", "001088012345");
        pki.CreateCrl([person]);
        var dir = Repository.TempFolder();
        try
        {
            pki.WriteTo(dir.FullName);

            Assert.Equal(pki.Root.RawData, Assert.Single(TrustMaterial.LoadCertificates(Path.Combine(dir.FullName, "root.pem"))).RawData);
            Assert.Equal(pki.Intermediate.RawData, Assert.Single(TrustMaterial.LoadCertificates(Path.Combine(dir.FullName, "intermediate.pem"))).RawData);

            foreach (var (name, expected) in new[] { ("org-000.00.00.G22", org), ("person-001088012345", person) })
            {
                using var loaded = X509Certificate2.CreateFromPemFile(Path.Combine(dir.FullName, name + ".pem"), Path.Combine(dir.FullName, name + ".key.pem"));
                Assert.Equal(expected.RawData, loaded.RawData);
                Assert.True(loaded.HasPrivateKey);
            }

            var crl = Assert.Single(TrustMaterial.LoadCrls(Path.Combine(dir.FullName, "crl.pem")));
            Assert.NotNull(crl.Find(person));
            Assert.True(crl.VerifySignature(pki.Intermediate, out _));

            var readme = File.ReadAllText(Path.Combine(dir.FullName, "README.txt"));
            Assert.Contains(TestPki.TestOnlyUnit, readme);
            Assert.Contains("org-000.00.00.G22.pem", readme);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void WriteTo_writes_an_empty_crl_when_none_was_created()
    {
        using var pki = TestPki.Create("LGSP Empty CRL");
        var dir = Repository.TempFolder();
        try
        {
            pki.WriteTo(dir.FullName);

            var crl = RevocationList.Load(Path.Combine(dir.FullName, "crl.pem"));
            Assert.Empty(crl.Entries);
            Assert.True(crl.VerifySignature(pki.Intermediate, out _));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
