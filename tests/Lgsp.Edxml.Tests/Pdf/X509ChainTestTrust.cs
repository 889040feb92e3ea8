using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Trust;

namespace Lgsp.Edxml.Tests.Pdf;

/// <summary>
/// A minimal <see cref="ICertificateTrust"/> for these tests (the real one lives elsewhere):
/// <see cref="X509Chain"/> with custom root trust, no revocation, validity at the signing time.
/// </summary>
internal sealed class X509ChainTestTrust(params X509Certificate2[] roots) : ICertificateTrust
{
    public ChainVerdict Check(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> extraCertificates, DateTimeOffset? signingTime)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(roots);
        policy.ExtraStore.AddRange(extraCertificates.ToArray());
        policy.DisableCertificateDownloads = true;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        var at = signingTime ?? DateTimeOffset.UtcNow;
        policy.VerificationTime = at.UtcDateTime;

        var trusted = chain.Build(certificate);
        var built = chain.ChainElements.Select(e => e.Certificate).ToList();
        var errors = new List<EdxmlError>();
        if (!trusted)
        {
            var statuses = chain.ChainStatus.Select(s => s.Status).Aggregate(X509ChainStatusFlags.NoError, (a, s) => a | s);
            errors.Add(statuses.HasFlag(X509ChainStatusFlags.UntrustedRoot) || statuses.HasFlag(X509ChainStatusFlags.PartialChain)
                ? EdxmlError.Create(ErrorCode.CertificateUntrustedRoot, "/", certificate.Subject, built[^1].Subject, built[^1].Issuer)
                : EdxmlError.Create(ErrorCode.CertificateChainInvalid, "/", certificate.Subject, statuses.ToString()));
        }

        return new ChainVerdict(trusted, built, at, signingTime is null ? "now" : "signing-time", errors);
    }
}
