using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Tests.Pki;
using Lgsp.Edxml.Trust;

namespace Lgsp.Edxml.Tests.Signatures;

public sealed class SignedXmlDocumentTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private static readonly DateTimeOffset SignedAt = DateTimeOffset.UtcNow.AddYears(-2);

    private TestPki Pki => fixture.Pki;

    private SignerCheck AtSigningTime(Func<TrustOptions, TrustOptions>? configure = null)
    {
        var options = new TrustOptions { Roots = [Pki.Root], Validity = ValidityTime.SigningTime };
        return new SignerCheck(new CertificateTrust(configure is null ? options : configure(options)));
    }

    /// <summary>A hub certificate valid from three years ago until one year ago: valid at
    /// <see cref="SignedAt"/>, expired now.</summary>
    private X509Certificate2 ExpiredHubCertificate() => Pki.IssueOrganization("000.00.00.H56", "LGSP tỉnh Thanh Hóa",
        options: new CertificateOptions { NotBefore = DateTimeOffset.UtcNow.AddYears(-3), NotAfter = DateTimeOffset.UtcNow.AddYears(-1) });

    private static byte[] Statement(X509Certificate2 signer, IEnumerable<X509Certificate2>? chain, string text = "head 00ff")
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        document.AppendChild(document.CreateElement("Statement", "urn:test:statement"))!.InnerText = text;
        return SignedXmlDocument.Sign(document, signer, chain);
    }

    [Fact]
    public void A_document_signed_while_its_certificate_was_valid_verifies_as_trusted_as_of_the_signing_time()
    {
        var signer = Pki.IssueOrganization("000.00.00.H56", "LGSP tỉnh Thanh Hóa");
        var xml = Statement(signer, [Pki.Intermediate]);

        var verdict = SignedXmlDocument.Verify(xml, AtSigningTime(), DateTimeOffset.UtcNow.AddHours(-1));

        Assert.True(verdict.IsValid && verdict.IsTrusted, verdict.Problem);
        Assert.Equal(signer.Thumbprint, verdict.Signer?.Thumbprint);
        Assert.Null(verdict.Problem);
    }

    [Fact]
    public void A_certificate_expired_now_but_valid_at_the_signing_time_still_verifies_as_trusted()
    {
        var xml = Statement(ExpiredHubCertificate(), [Pki.Intermediate]);

        var verdict = SignedXmlDocument.Verify(xml, AtSigningTime(), SignedAt);

        Assert.True(verdict.IsValid && verdict.IsTrusted, verdict.Problem);
    }

    [Fact]
    public void A_trust_that_checks_at_the_current_time_ignores_the_signing_time()
    {
        var xml = Statement(ExpiredHubCertificate(), [Pki.Intermediate]);

        var verdict = SignedXmlDocument.Verify(xml, AtSigningTime(o => o with { Validity = ValidityTime.Now }), SignedAt);

        Assert.True(verdict.IsValid);
        Assert.False(verdict.IsTrusted);
        Assert.Contains("expired", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signing_time_before_the_certificate_was_valid_is_not_trusted()
    {
        var xml = Statement(ExpiredHubCertificate(), [Pki.Intermediate]);

        var verdict = SignedXmlDocument.Verify(xml, AtSigningTime(), DateTimeOffset.UtcNow.AddYears(-4));

        Assert.True(verdict.IsValid);
        Assert.False(verdict.IsTrusted);
        Assert.Contains("is not valid before", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Altered_content_is_not_valid_whatever_the_signing_time()
    {
        var signed = Encoding.UTF8.GetString(Statement(Pki.IssueOrganization("000.00.00.H56", "LGSP tỉnh Thanh Hóa"), [Pki.Intermediate]));
        var altered = Encoding.UTF8.GetBytes(signed.Replace("head 00ff", "head 00fe", StringComparison.Ordinal));

        var verdict = SignedXmlDocument.Verify(altered, AtSigningTime(), DateTimeOffset.UtcNow);

        Assert.False(verdict.IsValid);
        Assert.False(verdict.IsTrusted);
        Assert.Equal("the signature does not verify (the document was altered or the signature is wrong)", verdict.Problem);
    }

    [Fact]
    public void A_signer_from_another_root_is_valid_but_not_trusted()
    {
        using var stranger = TestPki.Create("Stranger");
        var xml = Statement(stranger.IssueOrganization("000.00.00.H56", "Impostor"), [stranger.Intermediate]);

        var verdict = SignedXmlDocument.Verify(xml, AtSigningTime(), DateTimeOffset.UtcNow);

        Assert.True(verdict.IsValid);
        Assert.False(verdict.IsTrusted);
        Assert.NotNull(verdict.Problem);
    }

    [Fact]
    public void Extra_certificates_complete_a_chain_the_signature_does_not_carry()
    {
        var xml = Statement(Pki.IssueOrganization("000.00.00.H56", "LGSP tỉnh Thanh Hóa"), chain: null);

        var without = SignedXmlDocument.Verify(xml, AtSigningTime(), DateTimeOffset.UtcNow);
        var with = SignedXmlDocument.Verify(xml, AtSigningTime() with { ExtraCertificates = [Pki.Intermediate] }, DateTimeOffset.UtcNow);

        Assert.False(without.IsTrusted);
        Assert.True(with.IsValid && with.IsTrusted, with.Problem);
    }

    [Fact]
    public void Checking_the_signature_only_never_trusts_the_signer()
    {
        var xml = Statement(Pki.IssueOrganization("000.00.00.H56", "LGSP tỉnh Thanh Hóa"), [Pki.Intermediate]);

        var verdict = SignedXmlDocument.Verify(xml, SignerCheck.SignatureOnly, DateTimeOffset.UtcNow);

        Assert.True(verdict.IsValid);
        Assert.False(verdict.IsTrusted);
        Assert.Equal("no trust root was given", verdict.Problem);
    }

    [Fact]
    public void A_signer_with_a_valid_chain_that_is_not_the_pinned_certificate_is_refused_as_not_pinned()
    {
        var hub = Pki.IssueOrganization("000.00.00.H56", "LGSP tỉnh Thanh Hóa");
        var agency = Pki.IssueOrganization("000.00.01.H56", "Sở Tài chính");
        var xml = Statement(agency, [Pki.Intermediate]);

        var verdict = SignedXmlDocument.Verify(xml, AtSigningTime().PinnedTo([hub]), DateTimeOffset.UtcNow);
        var unpinned = SignedXmlDocument.Verify(xml, AtSigningTime(), DateTimeOffset.UtcNow);

        Assert.True(unpinned.IsTrusted, unpinned.Problem);
        Assert.True(verdict.IsValid);
        Assert.False(verdict.IsTrusted);
        Assert.Equal(ErrorCode.SignerNotPinned, verdict.Error?.Code);
        Assert.Equal("Signature/KeyInfo", verdict.Error?.Field);
        Assert.Contains("không phải chứng thư số được ghim", verdict.Error?.MessageVi, StringComparison.Ordinal);
        Assert.StartsWith("SignerNotPinned: The document is signed by ", verdict.Problem, StringComparison.Ordinal);
        Assert.Contains(SignerCheck.Fingerprint(hub), verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pinned_certificate_and_a_previous_one_kept_for_rotation_both_verify_given_by_certificate_or_fingerprint()
    {
        var previous = Pki.IssueOrganization("000.00.00.H56", "LGSP tỉnh Thanh Hóa");
        var current = Pki.IssueOrganization("000.00.00.H56", "LGSP tỉnh Thanh Hóa");
        var old = Statement(previous, [Pki.Intermediate]);
        var fresh = Statement(current, [Pki.Intermediate]);
        var check = AtSigningTime().PinnedTo([current], [SignerCheck.Fingerprint(previous).ToUpperInvariant()]);

        var oldVerdict = SignedXmlDocument.Verify(old, check, DateTimeOffset.UtcNow);
        var freshVerdict = SignedXmlDocument.Verify(fresh, check, DateTimeOffset.UtcNow);
        var onlyCurrent = SignedXmlDocument.Verify(old, AtSigningTime().PinnedTo([current]), DateTimeOffset.UtcNow);

        Assert.True(oldVerdict.IsTrusted, oldVerdict.Problem);
        Assert.True(freshVerdict.IsTrusted, freshVerdict.Problem);
        Assert.Equal(ErrorCode.SignerNotPinned, onlyCurrent.Error?.Code);
    }

    [Fact]
    public void The_pinned_certificate_revoked_by_a_crl_of_the_trust_is_not_trusted()
    {
        var hub = Pki.IssueOrganization("000.00.00.H56", "LGSP tỉnh Thanh Hóa");
        var xml = Statement(hub, [Pki.Intermediate]);
        var crl = RevocationList.Load(Pki.CreateCrl([hub], revokedAt: DateTimeOffset.UtcNow.AddHours(-2)));

        var verdict = SignedXmlDocument.Verify(xml, AtSigningTime(o => o with { Crls = [crl] }).PinnedTo([hub]), DateTimeOffset.UtcNow.AddHours(-1));

        Assert.True(verdict.IsValid);
        Assert.False(verdict.IsTrusted);
        Assert.Contains("revoked", verdict.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fingerprint_that_is_not_sha256_hex_is_refused_when_pinning()
    {
        Assert.Throws<ArgumentException>(() => AtSigningTime().PinnedTo([], ["abcd"]));
    }
}
