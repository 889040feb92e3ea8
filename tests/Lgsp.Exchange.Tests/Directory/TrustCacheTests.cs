using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Errors;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Tests.Fakes;
using Lgsp.Exchange.Tests.Support;

namespace Lgsp.Exchange.Tests.Directory;

/// <summary>The hub's trust honours the CRL grace it is given.</summary>
public sealed class TrustCacheTests
{
    private static async Task<InMemoryDirectory> DirectoryWithStaleCrlAsync()
    {
        var pki = Seals.Shared.Trusted;
        var directory = new InMemoryDirectory();
        await directory.AddTrustCertificateAsync(pki.Root, root: true, "test");
        await directory.AddTrustCertificateAsync(pki.Intermediate, root: false, "test");
        var thisUpdate = DateTimeOffset.UtcNow.AddDays(-10);
        await directory.AddCrlAsync(pki.CreateCrl([], thisUpdate, DateTimeOffset.UtcNow.AddDays(-3)), pki.Intermediate.Subject, thisUpdate, "test");
        await directory.AddCrlAsync(pki.CreateRootCrl([]), pki.Root.Subject, DateTimeOffset.UtcNow, "test");
        return directory;
    }

    [Fact]
    public async Task By_default_a_crl_past_its_next_update_makes_its_issuers_certificates_fail()
    {
        var directory = await DirectoryWithStaleCrlAsync();
        var signer = Seals.Shared.Trusted.IssuePersonal("Lê Văn Cũ", "001000000201");

        var trust = await new TrustCache(directory, TimeProvider.System, TimeSpan.Zero).GetAsync();
        var verdict = trust!.Check(signer, Array.Empty<X509Certificate2>(), null);

        Assert.False(verdict.IsTrusted);
        Assert.Equal(ErrorCode.CrlStale, Assert.Single(verdict.Errors).Code);
    }

    [Fact]
    public async Task A_configured_grace_keeps_a_late_crl_in_use_with_a_warning()
    {
        var directory = await DirectoryWithStaleCrlAsync();
        var signer = Seals.Shared.Trusted.IssuePersonal("Lê Văn Cũ", "001000000202");

        var trust = await new TrustCache(directory, TimeProvider.System, TimeSpan.Zero, crlGrace: TimeSpan.FromDays(4)).GetAsync();
        var verdict = trust!.Check(signer, Array.Empty<X509Certificate2>(), null);

        Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors));
        var warning = Assert.Single(verdict.Errors);
        Assert.Equal(ErrorCode.CrlStale, warning.Code);
        Assert.Equal(Severity.Warning, warning.Severity);
    }
}
