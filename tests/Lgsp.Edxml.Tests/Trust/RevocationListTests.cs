using System.Formats.Asn1;
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
    public void A_crl_signed_with_ecdsa_verifies_against_its_ec_issuer()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var request = new CertificateRequest("CN=EC Test CA, OU=TEST ONLY - NOT FOR PRODUCTION", key, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var der = new CertificateRevocationListBuilder().Build(ca, 1, DateTimeOffset.UtcNow.AddDays(1), HashAlgorithmName.SHA384);

        var crl = RevocationList.Load(der);
        der[^3] ^= 0x01;

        Assert.Equal("1.2.840.10045.4.3.3", crl.SignatureAlgorithmOid);
        Assert.True(crl.VerifySignature(ca, out var problem), problem);
        Assert.False(RevocationList.Load(der).VerifySignature(ca, out _));
    }

    [Fact]
    public void A_delta_crl_is_loaded_but_marked_unusable_and_never_decides()
    {
        var revoked = fixture.Pki.IssuePersonal("Phạm Văn Delta", "001000000021");
        var der = HandMadeCrl(fixture.Pki.Intermediate, revoked, criticalExtensionOid: "2.5.29.27"); // deltaCRLIndicator

        var crl = RevocationList.Load(der);
        var verdict = new CertificateTrust(new TrustOptions
        {
            Roots = [fixture.Pki.Root],
            Intermediates = [fixture.Pki.Intermediate],
            Crls = [crl, RevocationList.Load(fixture.Pki.CreateRootCrl([]))],
        }).Check(revoked, [], null);

        Assert.True(crl.VerifySignature(fixture.Pki.Intermediate, out _)); // a genuine CRL...
        Assert.Equal("delta CRLs are not supported", crl.UnsupportedReason); // ...of a kind we do not use
        Assert.NotNull(crl.Find(revoked));
        Assert.DoesNotContain(verdict.Errors, e => e.Code == Lgsp.Edxml.Errors.ErrorCode.CertificateRevoked);
        var warning = Assert.Single(verdict.Errors);
        Assert.Contains("delta CRLs are not supported", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_critical_crl_extension_makes_the_crl_unusable()
    {
        var der = HandMadeCrl(fixture.Pki.Intermediate, fixture.Pki.Intermediate, criticalExtensionOid: "1.3.6.1.4.1.99999.1");

        Assert.Equal("the CRL extension 1.3.6.1.4.1.99999.1 is critical and not supported", RevocationList.Load(der).UnsupportedReason);
    }

    /// <summary>A v2 CRL written field by field, listing one serial and carrying one critical
    /// extension, signed with the issuer's RSA key.</summary>
    private static byte[] HandMadeCrl(X509Certificate2 issuer, X509Certificate2 revoked, string criticalExtensionOid)
    {
        var tbs = new AsnWriter(AsnEncodingRules.DER);
        using (tbs.PushSequence())
        {
            tbs.WriteInteger(1);
            WriteSha256WithRsa(tbs);
            tbs.WriteEncodedValue(issuer.SubjectName.RawData);
            tbs.WriteUtcTime(DateTimeOffset.UtcNow.AddMinutes(-1));
            tbs.WriteUtcTime(DateTimeOffset.UtcNow.AddDays(1));
            using (tbs.PushSequence())
            using (tbs.PushSequence())
            {
                tbs.WriteIntegerUnsigned(revoked.SerialNumberBytes.Span);
                tbs.WriteUtcTime(DateTimeOffset.UtcNow.AddHours(-1));
            }

            using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (tbs.PushSequence())
            using (tbs.PushSequence())
            {
                tbs.WriteObjectIdentifier(criticalExtensionOid);
                tbs.WriteBoolean(true);
                var value = new AsnWriter(AsnEncodingRules.DER);
                value.WriteInteger(1);
                tbs.WriteOctetString(value.Encode());
            }
        }

        var tbsBytes = tbs.Encode();
        using var key = issuer.GetRSAPrivateKey()!;
        var crl = new AsnWriter(AsnEncodingRules.DER);
        using (crl.PushSequence())
        {
            crl.WriteEncodedValue(tbsBytes);
            WriteSha256WithRsa(crl);
            crl.WriteBitString(key.SignData(tbsBytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }

        return crl.Encode();
    }

    private static void WriteSha256WithRsa(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier("1.2.840.113549.1.1.11");
            writer.WriteNull();
        }
    }

    [Fact]
    public void Serial_keys_ignore_leading_zero_bytes()
    {
        Assert.Equal("80FF", RevocationList.SerialKey([0x00, 0x80, 0xFF]));
        Assert.Equal("00", RevocationList.SerialKey([0x00]));
        Assert.Equal("0102", RevocationList.SerialKey([0x01, 0x02]));
    }
}
