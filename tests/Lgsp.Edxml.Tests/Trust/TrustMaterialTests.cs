using System.Security.Cryptography;
using Lgsp.Edxml.Tests.Pki;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Trust;

namespace Lgsp.Edxml.Tests.Trust;

public sealed class TrustMaterialTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    [Fact]
    public void A_pem_bundle_yields_every_certificate_in_order_and_skips_other_blocks()
    {
        var dir = Repository.TempFolder();
        try
        {
            var path = Path.Combine(dir.FullName, "bundle.pem");
            File.WriteAllText(path, string.Join('\n',
                fixture.Pki.Intermediate.ExportCertificatePem(),
                PemEncoding.WriteString("X509 CRL", fixture.Pki.CreateCrl([])),
                fixture.Pki.Root.ExportCertificatePem()));

            var certs = TrustMaterial.LoadCertificates(path);

            Assert.Equal([fixture.Pki.Intermediate.RawData, fixture.Pki.Root.RawData], certs.Select(c => c.RawData));
            Assert.All(certs, c => Assert.False(c.HasPrivateKey));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_der_file_yields_its_certificate()
    {
        var dir = Repository.TempFolder();
        try
        {
            var path = Path.Combine(dir.FullName, "root.cer");
            File.WriteAllBytes(path, fixture.Pki.Root.RawData);

            Assert.Equal(fixture.Pki.Root.RawData, Assert.Single(TrustMaterial.LoadCertificates(path)).RawData);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Pem_without_a_certificate_is_refused()
    {
        var pem = System.Text.Encoding.ASCII.GetBytes(PemEncoding.WriteString("X509 CRL", fixture.Pki.CreateCrl([])));

        Assert.Throws<CryptographicException>(() => TrustMaterial.LoadCertificates(pem));
    }
}
