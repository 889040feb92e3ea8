using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Directory;

/// <summary>A trust root or intermediate as operators need to see it.</summary>
/// <param name="Root">A root; else an intermediate.</param>
/// <param name="Subject">Its subject.</param>
/// <param name="Issuer">Its issuer.</param>
/// <param name="NotBefore">Valid from.</param>
/// <param name="NotAfter">Valid until.</param>
/// <param name="Sha256">The SHA-256 of its DER bytes, hex.</param>
/// <param name="Health">Whether it is expired, expiring soon or fine.</param>
public sealed record TrustAnchorStatus(bool Root, string Subject, string Issuer, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Sha256, TrustHealth Health);

/// <summary>A CRL as operators need to see it.</summary>
/// <param name="Issuer">Who issued it.</param>
/// <param name="ThisUpdate">When it was issued.</param>
/// <param name="NextUpdate">When the next one is due.</param>
/// <param name="Revoked">How many certificates it revokes.</param>
/// <param name="Health">Stale (past its next update and the grace: its issuer's certificates fail), due soon, or fine.</param>
/// <param name="Unsupported">Why the hub does not use it, when it does not.</param>
public sealed record CrlStatus(string Issuer, DateTimeOffset ThisUpdate, DateTimeOffset? NextUpdate, int Revoked, TrustHealth Health, string? Unsupported);

/// <summary>How a piece of trust material stands.</summary>
public enum TrustHealth
{
    /// <summary>Fine for more than <see cref="TrustStatus.Soon"/>.</summary>
    Fine,

    /// <summary>Expires (a certificate) or falls due (a CRL) within <see cref="TrustStatus.Soon"/>.</summary>
    Soon,

    /// <summary>Expired (a certificate) or stale beyond the grace (a CRL).</summary>
    Failing,
}

/// <summary>The trust material the hub has and how each piece stands: what the console's trust page and
/// overview show. Reads the directory's trust records and judges them at the clock's now.</summary>
/// <param name="directory">The directory store.</param>
/// <param name="clock">Now.</param>
/// <param name="crlGrace">How long a CRL is still used past its next update (<c>Hub:CrlGrace</c>).</param>
public sealed class TrustStatus(IDirectoryStore directory, TimeProvider clock, TimeSpan crlGrace)
{
    /// <summary>What "soon" means: thirty days.</summary>
    public static readonly TimeSpan Soon = TimeSpan.FromDays(30);

    /// <summary>The roots, intermediates and CRLs with their health.</summary>
    public async Task<(IReadOnlyList<TrustAnchorStatus> Anchors, IReadOnlyList<CrlStatus> Crls)> ReadAsync(CancellationToken ct = default)
    {
        var records = await directory.LoadTrustAsync(ct);
        var now = clock.GetUtcNow();
        var anchors = records.Roots.Select(r => Anchor(r, true, now)).Concat(records.Intermediates.Select(r => Anchor(r, false, now)))
            .OrderBy(a => a.NotAfter).ToList();
        var crls = records.Crls.Select(bytes => Crl(bytes, now)).OrderBy(c => c.NextUpdate ?? DateTimeOffset.MaxValue).ToList();
        return (anchors, crls);
    }

    private static TrustAnchorStatus Anchor(byte[] der, bool root, DateTimeOffset now)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        var health = notAfter <= now ? TrustHealth.Failing : notAfter - now <= Soon ? TrustHealth.Soon : TrustHealth.Fine;
        return new TrustAnchorStatus(root, certificate.Subject, certificate.Issuer, new DateTimeOffset(certificate.NotBefore.ToUniversalTime()), notAfter,
            Convert.ToHexStringLower(SHA256.HashData(der)), health);
    }

    private CrlStatus Crl(byte[] bytes, DateTimeOffset now)
    {
        var crl = RevocationList.Load(bytes);
        var health = crl.IsStaleAt(now, crlGrace) ? TrustHealth.Failing
            : crl.NextUpdate is { } next && next - now <= Soon ? TrustHealth.Soon
            : TrustHealth.Fine;
        return new CrlStatus(crl.Issuer.Name, crl.ThisUpdate, crl.NextUpdate, crl.Entries.Count, health, crl.UnsupportedReason);
    }
}
