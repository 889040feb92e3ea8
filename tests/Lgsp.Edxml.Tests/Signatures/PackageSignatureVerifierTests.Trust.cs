using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Trust;
using static Lgsp.Edxml.Tests.Signatures.SignedPackages;

namespace Lgsp.Edxml.Tests.Signatures;

// Which key made the signature, and whether its certificate is trusted, now or at the signing time.
public sealed partial class PackageSignatureVerifierTests
{
    [Fact]
    public void A_signature_made_with_another_key_than_the_certificate_is_invalid()
    {
        var signed = Text(PackageSigner.Sign(Sample("status_inbox_01.edxml"), Signer(), [Pki.Intermediate]));
        var other = Pki.IssueOrganization("000.00.00.H41", "UBND Tỉnh Nghệ An");
        var realCert = Load(Bytes(signed)).GetElementsByTagName("X509Certificate", Ds)[0]!.InnerText;
        var swapped = signed.Replace(realCert, Convert.ToBase64String(other.RawData), StringComparison.Ordinal);
        Assert.NotEqual(signed, swapped);

        var verdict = Verifier().Verify(Bytes(swapped));

        Assert.Equal(SignatureStatus.Invalid, verdict.Status);
        Assert.Equal([ErrorCode.SignatureInvalid], Codes(verdict));
        Assert.Equal("Signature/SignatureValue", verdict.Errors[0].Field);
        Assert.Equal(other.RawData, verdict.Signer!.RawData);
    }

    [Fact]
    public void An_ecdsa_method_over_an_rsa_certificate_is_invalid()
    {
        var signed = Text(PackageSigner.Sign(Sample("status_inbox_01.edxml"), Signer(KeyKind.EcdsaP256), [Pki.Intermediate]));
        var rsa = Pki.IssueOrganization("000.00.00.H41", "UBND Tỉnh Nghệ An");
        var ecCert = Load(Bytes(signed)).GetElementsByTagName("X509Certificate", Ds)[0]!.InnerText;

        var verdict = Verifier().Verify(Bytes(signed.Replace(ecCert, Convert.ToBase64String(rsa.RawData), StringComparison.Ordinal)));

        var error = Assert.Single(verdict.Errors);
        Assert.Equal(ErrorCode.SignatureInvalid, error.Code);
        Assert.Contains("does not fit the key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_signature_by_an_untrusted_certificate_is_valid_but_not_trusted()
    {
        using var other = TestPki.Create("Unknown CA");
        var stranger = other.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");

        var verdict = Verifier().Verify(PackageSigner.Sign(Sample("edoc_new.edxml"), stranger, [other.Intermediate]));

        Assert.Equal(SignatureStatus.Valid, verdict.Status);
        Assert.True(verdict.IsValid);
        Assert.False(verdict.IsTrusted);
        Assert.False(verdict.Chain!.IsTrusted);
        var error = Assert.Single(verdict.Errors, e => e.IsError);
        Assert.Equal(ErrorCode.CertificateUntrustedRoot, error.Code);
        Assert.Equal("Signature/KeyInfo", error.Field);
    }

    [Fact]
    public void Without_a_trust_decision_a_signature_is_valid_but_never_trusted()
    {
        var signed = PackageSigner.Sign(Sample("edoc_new.edxml"), Signer());

        var verdict = new PackageSignatureVerifier(SignaturePolicy.Default, trust: null).Verify(signed);

        Assert.Equal(SignatureStatus.Valid, verdict.Status);
        Assert.True(verdict.IsValid);
        Assert.False(verdict.IsTrusted);
        Assert.Null(verdict.Chain);
        Assert.Empty(verdict.Errors);
    }

    [Fact]
    public void A_signer_expired_now_is_trusted_at_a_trusted_signing_time_when_the_policy_says_so()
    {
        var expired = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ", options: new CertificateOptions
        {
            NotBefore = DateTimeOffset.UtcNow.AddYears(-3),
            NotAfter = DateTimeOffset.UtcNow.AddYears(-1),
        });
        var signed = PackageSigner.Sign(Sample("edoc_new.edxml"), expired, [Pki.Intermediate]);

        var now = Verifier().Verify(signed, DateTimeOffset.UtcNow.AddYears(-2));
        var atSigning = new PackageSignatureVerifier(SignaturePolicy.Default, Trust(ValidityTime.SigningTime)).Verify(signed, DateTimeOffset.UtcNow.AddYears(-2));

        Assert.False(now.IsTrusted);
        Assert.Contains(ErrorCode.CertificateExpired, Codes(now));
        Assert.True(atSigning.IsTrusted, string.Join("; ", atSigning.Errors));
        Assert.Equal(ValidityBasis.SigningTime, atSigning.Chain!.ValidityBasis);
    }
}
