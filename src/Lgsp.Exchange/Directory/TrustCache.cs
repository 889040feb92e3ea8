using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Directory;

/// <summary>The certificate trust built from the directory's roots, intermediates and CRLs, rebuilt
/// at most every <c>refresh</c> so a <c>trust add</c> or <c>crl add</c> takes effect within that time.</summary>
/// <remarks>Thread safe. Without any configured root the trust is null and the strict policy refuses
/// every signed package as untrusted. <c>crlGrace</c> is how long past its next update a CRL is still
/// used (<see cref="TrustOptions.CrlGrace"/>); beyond it the issuer's certificates fail.</remarks>
public sealed class TrustCache(IDirectoryStore directory, TimeProvider clock, TimeSpan refresh, TimeSpan crlGrace = default)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (ICertificateTrust? Trust, DateTimeOffset LoadedAt)? _current;

    /// <summary>The current trust.</summary>
    public async Task<ICertificateTrust?> GetAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        if (_current is { } c && now - c.LoadedAt < refresh)
        {
            return c.Trust;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { } again && now - again.LoadedAt < refresh)
            {
                return again.Trust;
            }

            var records = await directory.LoadTrustAsync(ct);
            ICertificateTrust? trust = records.Roots.Count == 0 ? null : new CertificateTrust(new TrustOptions
            {
                Roots = [.. records.Roots.Select(X509CertificateLoader.LoadCertificate)],
                Intermediates = [.. records.Intermediates.Select(X509CertificateLoader.LoadCertificate)],
                Crls = [.. records.Crls.Select(c => RevocationList.Load(c))],
                CrlGrace = crlGrace,
                Clock = clock,
            });
            _current = (trust, now);
            return trust;
        }
        finally
        {
            _gate.Release();
        }
    }
}
