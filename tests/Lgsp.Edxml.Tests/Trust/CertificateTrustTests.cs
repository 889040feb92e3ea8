using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Tests.Pki;
using Lgsp.Edxml.Trust;

namespace Lgsp.Edxml.Tests.Trust;

public sealed class CertificateTrustTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private static readonly X509Certificate2[] NoExtras = [];

    private TestPki Pki => fixture.Pki;

    private CertificateTrust Trust(Func<TrustOptions, TrustOptions>? configure = null)
    {
        var options = new TrustOptions { Roots = [Pki.Root], Intermediates = [Pki.Intermediate] };
        return new CertificateTrust(configure is null ? options : configure(options));
    }

    private RevocationList Crl(params X509Certificate2[] revoked) => RevocationList.Load(Pki.CreateCrl(revoked));

    private RevocationList RootCrl(params X509Certificate2[] revoked) => RevocationList.Load(Pki.CreateRootCrl(revoked));

    private static string[] Codes(ChainVerdict verdict, Severity severity) =>
        [.. verdict.Errors.Where(e => e.Severity == severity).Select(e => e.Code)];

    [Fact]
    public void A_certificate_from_the_configured_pki_is_trusted_with_its_chain_leaf_first()
    {
        var leaf = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");

        var verdict = Trust(o => o with { Crls = [Crl(), RootCrl()] }).Check(leaf, NoExtras, null);

        Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors));
        Assert.Empty(verdict.Errors);
        Assert.Equal([leaf, Pki.Intermediate, Pki.Root], verdict.Chain);
        Assert.Equal(ValidityBasis.Now, verdict.ValidityBasis);
    }

    [Fact]
    public void The_intermediate_may_come_from_the_signature_instead_of_the_configuration()
    {
        var leaf = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");

        var verdict = Trust(o => o with { Intermediates = [] }).Check(leaf, [Pki.Intermediate], null);

        Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors));
        Assert.Equal(3, verdict.Chain.Count);
    }

    [Fact]
    public void Without_loaded_crls_the_chain_is_trusted_with_revocation_unknown_warnings()
    {
        var leaf = Pki.IssuePersonal("Nguyễn Văn An", "001088012345");

        var verdict = Trust().Check(leaf, NoExtras, null);

        Assert.True(verdict.IsTrusted);
        Assert.Empty(Codes(verdict, Severity.Error));
        Assert.Equal([ErrorCode.CertificateRevocationUnknown, ErrorCode.CertificateRevocationUnknown], Codes(verdict, Severity.Warning));
        Assert.Contains(verdict.Errors, e => e.Message.Contains(leaf.Subject, StringComparison.Ordinal));
        Assert.Contains(verdict.Errors, e => e.Message.Contains(Pki.Intermediate.Subject, StringComparison.Ordinal));
    }

    [Fact]
    public void When_revocation_is_required_a_missing_crl_is_an_error()
    {
        var leaf = Pki.IssuePersonal("Nguyễn Văn An", "001088012345");

        var verdict = Trust(o => o with { Revocation = RevocationPolicy.Require, Crls = [RootCrl()] }).Check(leaf, NoExtras, null);

        Assert.False(verdict.IsTrusted);
        var error = Assert.Single(verdict.Errors);
        Assert.Equal(ErrorCode.CertificateRevocationUnknown, error.Code);
        Assert.True(error.IsError);
        Assert.Contains(leaf.Subject, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void When_revocation_is_required_and_every_crl_is_loaded_the_chain_is_trusted()
    {
        var leaf = Pki.IssuePersonal("Nguyễn Văn An", "001088012345");

        var verdict = Trust(o => o with { Revocation = RevocationPolicy.Require, Crls = [Crl(), RootCrl()] }).Check(leaf, NoExtras, null);

        Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors));
        Assert.Empty(verdict.Errors);
    }

    [Fact]
    public void A_certificate_from_another_root_is_untrusted()
    {
        using var other = TestPki.Create("Other PKI");
        var leaf = other.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");

        var verdict = Trust().Check(leaf, [other.Intermediate], null);

        Assert.False(verdict.IsTrusted);
        var error = Assert.Single(verdict.Errors, e => e.IsError);
        Assert.Equal(ErrorCode.CertificateUntrustedRoot, error.Code);
        Assert.Contains(leaf.Subject, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_whose_intermediate_is_unavailable_is_untrusted()
    {
        var leaf = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");

        var verdict = Trust(o => o with { Intermediates = [] }).Check(leaf, NoExtras, null);

        Assert.False(verdict.IsTrusted);
        Assert.Contains(ErrorCode.CertificateUntrustedRoot, Codes(verdict, Severity.Error));
    }

    [Fact]
    public void An_untrusted_chain_names_the_issuer_that_is_missing()
    {
        var leaf = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");

        var error = Trust(o => o with { Intermediates = [] }).Check(leaf, NoExtras, null).Errors.First(e => e.Code == ErrorCode.CertificateUntrustedRoot);

        Assert.Contains($"the chain stops at {leaf.Subject}, issued by {Pki.Intermediate.Subject}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"do {Pki.Intermediate.Subject} cấp", error.MessageVi, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_to_a_root_nobody_trusts_names_that_root()
    {
        using var other = TestPki.Create("Other PKI");
        var leaf = other.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");

        var error = Trust().Check(leaf, [other.Intermediate, other.Root], null).Errors.First(e => e.Code == ErrorCode.CertificateUntrustedRoot);

        Assert.Contains($"the chain stops at {other.Root.Subject}, issued by {other.Root.Subject}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_forged_under_the_issuing_ca_name_by_another_key_is_untrusted()
    {
        using var forger = TestPki.Create("LGSP Fixture"); // same CA names, different keys
        var forged = forger.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");

        var verdict = Trust().Check(forged, NoExtras, null);

        Assert.False(verdict.IsTrusted);
        Assert.NotEmpty(Codes(verdict, Severity.Error));
    }

    [Fact]
    public void An_expired_certificate_is_not_trusted_and_the_sentence_names_it()
    {
        var leaf = Pki.IssuePersonal("Lê Văn Hết Hạn", "001000000001", options: new CertificateOptions
        {
            NotBefore = DateTimeOffset.UtcNow.AddYears(-3),
            NotAfter = DateTimeOffset.UtcNow.AddYears(-1),
        });

        var verdict = Trust().Check(leaf, NoExtras, null);

        Assert.False(verdict.IsTrusted);
        var error = Assert.Single(verdict.Errors, e => e.IsError);
        Assert.Equal(ErrorCode.CertificateExpired, error.Code);
        Assert.Contains(leaf.Subject, error.Message, StringComparison.Ordinal);
        Assert.Contains(leaf.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_not_yet_valid_is_not_trusted()
    {
        var leaf = Pki.IssuePersonal("Lê Văn Tương Lai", "001000000002", options: new CertificateOptions
        {
            NotBefore = DateTimeOffset.UtcNow.AddDays(30),
            NotAfter = DateTimeOffset.UtcNow.AddYears(1),
        });

        var verdict = Trust().Check(leaf, NoExtras, null);

        Assert.False(verdict.IsTrusted);
        Assert.Equal([ErrorCode.CertificateNotYetValid], Codes(verdict, Severity.Error));
    }

    [Fact]
    public void A_certificate_on_a_loaded_crl_is_revoked()
    {
        var leaf = Pki.IssuePersonal("Phạm Văn Thu Hồi", "001000000003");

        var verdict = Trust(o => o with { Crls = [Crl(leaf), RootCrl()] }).Check(leaf, NoExtras, null);

        Assert.False(verdict.IsTrusted);
        var error = Assert.Single(verdict.Errors);
        Assert.Equal(ErrorCode.CertificateRevoked, error.Code);
        Assert.Contains(leaf.Subject, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_intermediate_on_the_root_crl_is_revoked()
    {
        var leaf = Pki.IssuePersonal("Nguyễn Văn An", "001088012345");

        var verdict = Trust(o => o with { Crls = [Crl(), RootCrl(Pki.Intermediate)] }).Check(leaf, NoExtras, null);

        Assert.False(verdict.IsTrusted);
        var error = Assert.Single(verdict.Errors);
        Assert.Equal(ErrorCode.CertificateRevoked, error.Code);
        Assert.Contains(Pki.Intermediate.Subject, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crl_with_a_bad_signature_is_ignored_and_reported()
    {
        var leaf = Pki.IssuePersonal("Phạm Văn Thu Hồi", "001000000004");
        var der = Pki.CreateCrl([leaf]);
        der[^5] ^= 0x01; // inside the signature value
        var tampered = RevocationList.Load(der, "tampered.crl");

        var verdict = Trust(o => o with { Crls = [tampered, RootCrl()] }).Check(leaf, NoExtras, null);

        Assert.True(verdict.IsTrusted); // the revocation it claims is not believed
        Assert.DoesNotContain(verdict.Errors, e => e.Code == ErrorCode.CertificateRevoked);
        var warning = Assert.Single(verdict.Errors);
        Assert.Equal(ErrorCode.CertificateRevocationUnknown, warning.Code);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Contains("tampered.crl", warning.Message, StringComparison.Ordinal);
        Assert.Contains("signature does not verify", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crl_signed_by_another_ca_with_the_same_name_is_ignored()
    {
        var leaf = Pki.IssuePersonal("Phạm Văn Thu Hồi", "001000000005");
        using var impostor = TestPki.Create("LGSP Fixture");
        var foreign = RevocationList.Load(impostor.CreateCrl([leaf]));

        var verdict = Trust(o => o with { Revocation = RevocationPolicy.Require, Crls = [foreign, RootCrl()] }).Check(leaf, NoExtras, null);

        Assert.DoesNotContain(verdict.Errors, e => e.Code == ErrorCode.CertificateRevoked);
        Assert.Equal([ErrorCode.CertificateRevocationUnknown], Codes(verdict, Severity.Error));
    }

    [Fact]
    public void A_certificate_listed_on_a_crl_past_its_next_update_stays_revoked()
    {
        // Was fail-open (a revocation-unknown warning, trusted); stale CRLs now fail closed.
        var leaf = Pki.IssuePersonal("Phạm Văn Thu Hồi", "001000000006");
        var stale = RevocationList.Load(Pki.CreateCrl([leaf], DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-3)));

        var lenient = Trust(o => o with { Crls = [stale, RootCrl()] }).Check(leaf, NoExtras, null);
        var strict = Trust(o => o with { Crls = [stale, RootCrl()], Revocation = RevocationPolicy.Require }).Check(leaf, NoExtras, null);

        Assert.False(lenient.IsTrusted);
        Assert.Equal(ErrorCode.CertificateRevoked, Assert.Single(lenient.Errors).Code);
        Assert.False(strict.IsTrusted);
        Assert.Equal([ErrorCode.CertificateRevoked], Codes(strict, Severity.Error));
    }

    [Fact]
    public void The_freshest_usable_crl_decides()
    {
        var leaf = Pki.IssuePersonal("Phạm Văn Thu Hồi", "001000000007");
        var older = RevocationList.Load(Pki.CreateCrl([], DateTimeOffset.UtcNow.AddDays(-2)));
        var newer = RevocationList.Load(Pki.CreateCrl([leaf], DateTimeOffset.UtcNow.AddMinutes(-1)));

        var verdict = Trust(o => o with { Crls = [newer, older, RootCrl()] }).Check(leaf, NoExtras, null);

        Assert.Equal([ErrorCode.CertificateRevoked], Codes(verdict, Severity.Error));
    }

    [Fact]
    public void A_leaf_whose_key_usage_excludes_signing_is_refused()
    {
        var leaf = Pki.IssueOrganization("000.00.00.G01", "Bộ Ngoại giao", options: new CertificateOptions { KeyUsage = X509KeyUsageFlags.KeyEncipherment });

        var verdict = Trust(o => o with { Crls = [Crl(), RootCrl()] }).Check(leaf, NoExtras, null);
        var relaxed = Trust(o => o with { Crls = [Crl(), RootCrl()], RequireSigningKeyUsage = false }).Check(leaf, NoExtras, null);

        Assert.False(verdict.IsTrusted);
        var error = Assert.Single(verdict.Errors);
        Assert.Equal(ErrorCode.CertificateWrongKeyUsage, error.Code);
        Assert.Contains(leaf.Subject, error.Message, StringComparison.Ordinal);
        Assert.True(relaxed.IsTrusted);
    }

    [Fact]
    public void A_leaf_without_a_key_usage_extension_may_sign()
    {
        var leaf = Pki.IssueOrganization("000.00.00.G02", "Bộ Tư pháp", options: new CertificateOptions { KeyUsage = X509KeyUsageFlags.None });

        var verdict = Trust(o => o with { Crls = [Crl(), RootCrl()] }).Check(leaf, NoExtras, null);

        Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors));
    }

    [Theory]
    [InlineData(X509KeyUsageFlags.DigitalSignature)]
    [InlineData(X509KeyUsageFlags.NonRepudiation)]
    public void Either_signing_key_usage_is_enough(X509KeyUsageFlags usage)
    {
        var leaf = Pki.IssueOrganization("000.00.00.G03", "Bộ Tài chính", options: new CertificateOptions { KeyUsage = usage });

        Assert.True(Trust(o => o with { Crls = [Crl(), RootCrl()] }).Check(leaf, NoExtras, null).IsTrusted);
    }

    [Fact]
    public void A_certificate_expired_now_but_valid_at_the_signing_time_is_trusted_under_the_signing_time_policy()
    {
        var leaf = Pki.IssuePersonal("Lê Văn Đã Ký", "001000000008", options: new CertificateOptions
        {
            NotBefore = DateTimeOffset.UtcNow.AddYears(-3),
            NotAfter = DateTimeOffset.UtcNow.AddYears(-1),
        });
        var signedAt = DateTimeOffset.UtcNow.AddYears(-2);
        var crls = new[] { Crl(), RootCrl() };

        var atSigning = Trust(o => o with { Crls = crls, Validity = ValidityTime.SigningTime }).Check(leaf, NoExtras, signedAt);
        var atNow = Trust(o => o with { Crls = crls, Validity = ValidityTime.Now }).Check(leaf, NoExtras, signedAt);

        Assert.True(atSigning.IsTrusted, string.Join("; ", atSigning.Errors));
        Assert.Equal(ValidityBasis.SigningTime, atSigning.ValidityBasis);
        Assert.Equal(signedAt, atSigning.CheckedAt);
        Assert.False(atNow.IsTrusted);
        Assert.Equal([ErrorCode.CertificateExpired], Codes(atNow, Severity.Error));
        Assert.Equal(ValidityBasis.Now, atNow.ValidityBasis);
    }

    [Fact]
    public void The_signing_time_policy_without_a_signing_time_checks_now_and_says_so()
    {
        var leaf = Pki.IssuePersonal("Nguyễn Văn An", "001088012345");

        var verdict = Trust(o => o with { Validity = ValidityTime.SigningTime }).Check(leaf, NoExtras, null);

        Assert.True(verdict.IsTrusted);
        Assert.Equal(ValidityBasis.NowNoSigningTime, verdict.ValidityBasis);
        Assert.True(DateTimeOffset.UtcNow - verdict.CheckedAt < TimeSpan.FromHours(1));
    }

    [Fact]
    public void A_revocation_after_the_signing_time_does_not_count_at_the_signing_time()
    {
        var leaf = Pki.IssuePersonal("Phạm Văn Thu Hồi Sau", "001000000012", options: new CertificateOptions { NotBefore = DateTimeOffset.UtcNow.AddDays(-30) });
        var crl = RevocationList.Load(Pki.CreateCrl([leaf], revokedAt: DateTimeOffset.UtcNow.AddDays(-1)));
        var options = (TrustOptions o) => o with { Crls = [crl, RootCrl()], Validity = ValidityTime.SigningTime };

        var signedBefore = Trust(options).Check(leaf, NoExtras, DateTimeOffset.UtcNow.AddDays(-2));
        var signedAfter = Trust(options).Check(leaf, NoExtras, DateTimeOffset.UtcNow.AddHours(-1));

        Assert.True(signedBefore.IsTrusted, string.Join("; ", signedBefore.Errors));
        Assert.Equal([ErrorCode.CertificateRevoked], Codes(signedAfter, Severity.Error));
    }

    [Fact]
    public void The_configured_clock_decides_what_now_is()
    {
        var leaf = Pki.IssuePersonal("Nguyễn Văn An", "001088012345");
        var future = new FixedClock(DateTimeOffset.UtcNow.AddYears(5));

        var verdict = Trust(o => o with { Clock = future }).Check(leaf, NoExtras, null);

        Assert.Equal(future.GetUtcNow(), verdict.CheckedAt);
        Assert.Contains(ErrorCode.CertificateExpired, Codes(verdict, Severity.Error));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
