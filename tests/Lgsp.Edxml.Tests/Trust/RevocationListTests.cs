using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Tests.Pki;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Trust;

namespace Lgsp.Edxml.Tests.Trust;

public sealed class RevocationListTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    [Fact]
    public void A_crl_loads_from_der_and_from_pem_with_the_same_content()
    {
        var revoked = fixture.Pki.IssuePersonal("Phạm Văn Thu Hồi", "001000000020");
        var thisUpdate = DateTimeOffset.UtcNow.AddMinutes(-5);
        var nextUpdate = thisUpdate.AddDays(3);
        var der = fixture.Pki.CreateCrl([revoked], thisUpdate, nextUpdate);

        var fromDer = RevocationList.Load(der);
        var fromPem = RevocationList.Load(System.Text.Encoding.ASCII.GetBytes(PemEncoding.WriteString("X509 CRL", der)));

        foreach (var crl in new[] { fromDer, fromPem })
        {
            Assert.Equal(der, crl.RawData);
            Assert.Equal(thisUpdate.ToUnixTimeSeconds(), crl.ThisUpdate.ToUnixTimeSeconds());
            Assert.Equal(nextUpdate.ToUnixTimeSeconds(), crl.NextUpdate!.Value.ToUnixTimeSeconds());
            Assert.NotNull(crl.CrlNumber);
            Assert.Null(crl.UnsupportedReason);
            Assert.Equal("1.2.840.113549.1.1.11", crl.SignatureAlgorithmOid);
            var entry = Assert.Single(crl.Entries);
            Assert.Equal(X509RevocationReason.KeyCompromise, entry.Reason);
            Assert.True(entry.RevokedAt < thisUpdate);
        }
    }

    [Fact]
    public void A_pem_bundle_yields_every_crl()
    {
        var first = fixture.Pki.CreateCrl([]);
        var second = fixture.Pki.CreateRootCrl([]);
        var dir = Repository.TempFolder();
        try
        {
            var path = Path.Combine(dir.FullName, "bundle.pem");
            File.WriteAllText(path, PemEncoding.WriteString("X509 CRL", first) + "\n" + PemEncoding.WriteString("X509 CRL", second) + "\n");

            var crls = RevocationList.LoadAll(path);

            Assert.Equal(2, crls.Count);
            Assert.Equal(fixture.Pki.Intermediate.SubjectName.RawData, crls[0].Issuer.RawData);
            Assert.Equal(fixture.Pki.Root.SubjectName.RawData, crls[1].Issuer.RawData);
            Assert.Equal(path, crls[0].Source);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_certificate_is_not_a_crl()
    {
        Assert.Throws<CryptographicException>(() => RevocationList.Load(fixture.Pki.Root.RawData));
        Assert.Throws<CryptographicException>(() => RevocationList.Load("not a crl"u8));
    }

    [Fact]
    public void A_flipped_bit_in_the_signed_part_breaks_the_signature()
    {
        var der = fixture.Pki.CreateCrl([]);
        var crl = RevocationList.Load(der);
        var tbsEnd = der.Length - 400; // the 3072-bit signature is the last 384 bytes
        der[tbsEnd - 10] ^= 0x01;

        Assert.True(crl.VerifySignature(fixture.Pki.Intermediate, out _));
        Assert.False(RevocationList.Load(der).VerifySignature(fixture.Pki.Intermediate, out var problem));
        Assert.Contains("does not verify", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crl_is_not_verified_against_a_certificate_of_another_name()
    {
        var crl = RevocationList.Load(fixture.Pki.CreateCrl([]));

        Assert.False(crl.VerifySignature(fixture.Pki.Root, out var problem));
        Assert.Contains("not by", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Serial_keys_ignore_leading_zero_bytes()
    {
        Assert.Equal("80FF", RevocationList.SerialKey([0x00, 0x80, 0xFF]));
        Assert.Equal("00", RevocationList.SerialKey([0x00]));
        Assert.Equal("0102", RevocationList.SerialKey([0x01, 0x02]));
    }
}
