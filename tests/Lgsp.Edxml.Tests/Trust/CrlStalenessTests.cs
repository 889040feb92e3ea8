using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Tests.Pki;
using Lgsp.Edxml.Trust;

namespace Lgsp.Edxml.Tests.Trust;

/// <summary>A CRL past its next update (plus the grace) fails closed for its issuer's certificates.</summary>
public sealed class CrlStalenessTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private static readonly X509Certificate2[] NoExtras = [];

    // CRL times have whole seconds.
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    private static readonly DateTimeOffset ThreeDaysAgo = Now.AddDays(-3);

    private Lgsp.Edxml.Testing.Pki.TestPki Pki => fixture.Pki;

    private CertificateTrust Trust(TimeSpan grace, RevocationPolicy policy, params RevocationList[] crls) =>
        new(new TrustOptions { Roots = [Pki.Root], Intermediates = [Pki.Intermediate], Crls = crls, CrlGrace = grace, Revocation = policy });

    private RevocationList StaleCrl(params X509Certificate2[] revoked) =>
        RevocationList.Load(Pki.CreateCrl(revoked, Now.AddDays(-10), ThreeDaysAgo));

    private RevocationList RootCrl() => RevocationList.Load(Pki.CreateRootCrl([]));

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(RevocationPolicy.IfCrlLoaded)]
    [InlineData(RevocationPolicy.Require)]
    public void A_certificate_whose_issuers_crl_is_past_its_next_update_is_untrusted(RevocationPolicy policy)
    {
        var leaf = Pki.IssuePersonal("Lê Văn Cũ", "001000000101");

        var verdict = Trust(TimeSpan.Zero, policy, StaleCrl(), RootCrl()).Check(leaf, NoExtras, null);

        Assert.False(verdict.IsTrusted);
        var error = Assert.Single(verdict.Errors);
        Assert.Equal(ErrorCode.CrlStale, error.Code);
        Assert.Equal(Severity.Error, error.Severity);
        Assert.Equal("/", error.Field);
        Assert.Contains(Pki.Intermediate.Subject, error.Message, StringComparison.Ordinal);
        Assert.Contains(Date(ThreeDaysAgo), error.Message, StringComparison.Ordinal);
        Assert.Contains(leaf.Subject, error.Message, StringComparison.Ordinal);
        Assert.Contains(Date(ThreeDaysAgo), error.MessageVi, StringComparison.Ordinal);
    }

    [Fact]
    public void Within_the_grace_the_crl_still_decides_and_the_verdict_warns()
    {
        var leaf = Pki.IssuePersonal("Lê Văn Cũ", "001000000102");

        var verdict = Trust(TimeSpan.FromDays(4), RevocationPolicy.Require, StaleCrl(), RootCrl()).Check(leaf, NoExtras, null);

        Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors));
        var warning = Assert.Single(verdict.Errors);
        Assert.Equal(ErrorCode.CrlStale, warning.Code);
        Assert.Equal(Severity.Warning, warning.Severity);
    }

    [Fact]
    public void Beyond_the_grace_the_crl_fails_closed()
    {
        var leaf = Pki.IssuePersonal("Lê Văn Cũ", "001000000103");

        var verdict = Trust(TimeSpan.FromDays(2), RevocationPolicy.IfCrlLoaded, StaleCrl(), RootCrl()).Check(leaf, NoExtras, null);

        Assert.False(verdict.IsTrusted);
        Assert.Equal([ErrorCode.CrlStale], verdict.Errors.Where(e => e.IsError).Select(e => e.Code));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void A_certificate_a_stale_crl_lists_is_revoked_with_or_without_grace(int graceDays)
    {
        var leaf = Pki.IssuePersonal("Phạm Văn Thu Hồi", "001000000104");

        var verdict = Trust(TimeSpan.FromDays(graceDays), RevocationPolicy.IfCrlLoaded, StaleCrl(leaf), RootCrl()).Check(leaf, NoExtras, null);

        Assert.False(verdict.IsTrusted);
        Assert.Equal(ErrorCode.CertificateRevoked, Assert.Single(verdict.Errors).Code);
    }

    [Fact]
    public void A_fresh_crl_beside_a_stale_one_decides()
    {
        var leaf = Pki.IssuePersonal("Lê Văn Mới", "001000000105");
        var fresh = RevocationList.Load(Pki.CreateCrl([]));

        var verdict = Trust(TimeSpan.Zero, RevocationPolicy.Require, StaleCrl(), fresh, RootCrl()).Check(leaf, NoExtras, null);

        Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors));
        Assert.Empty(verdict.Errors);
    }

    [Fact]
    public void A_stale_root_crl_fails_the_intermediate_it_covers_naming_the_root()
    {
        var leaf = Pki.IssuePersonal("Lê Văn Cũ", "001000000106");
        var staleRoot = RevocationList.Load(Pki.CreateRootCrl([], Now.AddDays(-10), ThreeDaysAgo));

        var verdict = Trust(TimeSpan.Zero, RevocationPolicy.IfCrlLoaded, RevocationList.Load(Pki.CreateCrl([])), staleRoot).Check(leaf, NoExtras, null);

        Assert.False(verdict.IsTrusted);
        var error = Assert.Single(verdict.Errors);
        Assert.Equal(ErrorCode.CrlStale, error.Code);
        Assert.StartsWith($"The CRL of {Pki.Root.Subject} ", error.Message, StringComparison.Ordinal);
        Assert.Contains(Pki.Intermediate.Subject, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checked_at_a_signing_time_before_the_next_update_the_crl_is_not_stale()
    {
        var leaf = Pki.IssuePersonal("Lê Văn Cũ", "001000000107");
        var options = new TrustOptions
        {
            Roots = [Pki.Root], Intermediates = [Pki.Intermediate], Crls = [StaleCrl(), RootCrl()],
            Validity = ValidityTime.SigningTime, Revocation = RevocationPolicy.Require,
        };

        var verdict = new CertificateTrust(options).Check(leaf, NoExtras, Now.AddDays(-5));

        Assert.DoesNotContain(verdict.Errors, e => e.Code == ErrorCode.CrlStale);
    }

    [Fact]
    public void A_negative_grace_is_refused()
    {
        var options = new TrustOptions { Roots = [Pki.Root], CrlGrace = TimeSpan.FromMinutes(-1) };

        Assert.Throws<ArgumentOutOfRangeException>(() => new CertificateTrust(options));
    }
}
