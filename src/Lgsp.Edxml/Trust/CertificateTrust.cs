using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Errors;

namespace Lgsp.Edxml.Trust;

/// <summary>
/// The offline <see cref="ICertificateTrust"/>: builds the chain with <see cref="X509Chain"/>
/// against the configured roots only (<see cref="X509ChainTrustMode.CustomRootTrust"/>), never the
/// operating system store and never a download; checks revocation itself against the loaded
/// <see cref="RevocationList"/>s (whose signatures it verifies); checks the signer's key usage.
/// </summary>
/// <remarks>
/// <para>Thread safe: the configuration is copied at construction and never changes; each
/// <see cref="Check"/> builds its own chain. Share one instance.</para>
/// <para>Every certificate below the root is checked for revocation (RFC 5280 path validation); the
/// root is a trust anchor and is not. A CRL is usable for a certificate when its issuer name is the
/// certificate's issuer, it is signed by the issuing CA found in the chain, it is a complete CRL of
/// a supported kind, and the check instant is not past its <c>nextUpdate</c> plus
/// <see cref="TrustOptions.CrlGrace"/>. A certificate revoked at or before the check instant is
/// revoked; one revoked later is not (that is what checking at the signing time means). Stale CRLs
/// fail closed: when the issuer's only good CRLs are past their next update (plus grace), a
/// certificate they list is <c>CertificateRevoked</c> and any other is <c>CrlStale</c>.</para>
/// </remarks>
public sealed class CertificateTrust : ICertificateTrust
{
    private readonly X509Certificate2[] _roots;
    private readonly X509Certificate2[] _intermediates;
    private readonly RevocationList[] _crls;
    private readonly TrustOptions _options;

    /// <summary>Creates the trust decision from its configuration.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public CertificateTrust(TrustOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CrlGrace, TimeSpan.Zero, nameof(options));
        _options = options;
        _roots = [.. options.Roots];
        _intermediates = [.. options.Intermediates];
        _crls = [.. options.Crls];
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="certificate"/> or
    /// <paramref name="extraCertificates"/> is null.</exception>
    public ChainVerdict Check(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> extraCertificates, DateTimeOffset? signingTime)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(extraCertificates);

        var (checkedAt, basis) = CheckInstant(signingTime);
        var errors = new List<EdxmlError>();
        var chain = BuildChain(certificate, extraCertificates, checkedAt, errors);

        if (_options.RequireSigningKeyUsage)
        {
            CheckSigningKeyUsage(certificate, errors);
        }

        CheckRevocation(chain, checkedAt, errors);

        var distinct = errors.Distinct().ToList();
        var trusted = distinct.All(e => !e.IsError);
        return new ChainVerdict(trusted, chain, checkedAt, basis, distinct);
    }

    private (DateTimeOffset At, string Basis) CheckInstant(DateTimeOffset? signingTime)
    {
        var now = _options.Clock.GetUtcNow();
        return _options.Validity switch
        {
            ValidityTime.SigningTime when signingTime is { } t => (t.ToUniversalTime(), ValidityBasis.SigningTime),
            ValidityTime.SigningTime => (now, ValidityBasis.NowNoSigningTime),
            _ => (now, ValidityBasis.Now),
        };
    }

    private List<X509Certificate2> BuildChain(
        X509Certificate2 leaf,
        IReadOnlyCollection<X509Certificate2> extras,
        DateTimeOffset checkedAt,
        List<EdxmlError> errors)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(_roots);
        policy.ExtraStore.AddRange(_intermediates);
        policy.ExtraStore.AddRange(extras.ToArray());
        policy.DisableCertificateDownloads = true;
        policy.RevocationMode = X509RevocationMode.NoCheck; // revocation is ours: CheckRevocation
        policy.VerificationTime = checkedAt.UtcDateTime;
        policy.VerificationTimeIgnored = false;

        try
        {
            chain.Build(leaf);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            // The contract is a verdict, never an exception, for a bad certificate.
            errors.Add(EdxmlError.Create(ErrorCode.CertificateChainInvalid, Field, Name(leaf), ex.Message));
            return [leaf];
        }

        // Where the chain stops names what is missing: an intermediate nobody gave, or a root nobody trusts.
        var top = chain.ChainElements.Count > 0 ? chain.ChainElements[^1].Certificate : leaf;
        var untrusted = EdxmlError.Create(ErrorCode.CertificateUntrustedRoot, Field, Name(leaf), Name(top), top.Issuer);
        var built = new List<X509Certificate2>(chain.ChainElements.Count);
        foreach (var element in chain.ChainElements)
        {
            var cert = Known(element.Certificate, leaf, extras);
            built.Add(cert);
            MapStatus(cert, element.ChainElementStatus, checkedAt, untrusted, errors);
        }

        // A partial chain is sometimes reported only on the chain as a whole.
        if (chain.ChainStatus.Any(s => (s.Status & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0))
        {
            errors.Add(untrusted);
        }

        if (built.Count == 0)
        {
            built.Add(leaf);
        }

        return built;
    }

    /// <summary>Returns the caller's or the configuration's instance for a chain element, so the
    /// verdict never hands out certificates the disposed chain owned.</summary>
    private X509Certificate2 Known(X509Certificate2 element, X509Certificate2 leaf, IReadOnlyCollection<X509Certificate2> extras)
    {
        var raw = element.RawData;
        foreach (var candidate in Enumerable.Concat([leaf], extras).Concat(_intermediates).Concat(_roots))
        {
            if (candidate.RawData.AsSpan().SequenceEqual(raw))
            {
                return candidate;
            }
        }

        return X509CertificateLoader.LoadCertificate(raw);
    }

    private static void MapStatus(
        X509Certificate2 cert,
        X509ChainStatus[] statuses,
        DateTimeOffset checkedAt,
        EdxmlError untrusted,
        List<EdxmlError> errors)
    {
        foreach (var status in statuses)
        {
            var flag = status.Status;
            if (flag == X509ChainStatusFlags.NoError)
            {
                continue;
            }

            if ((flag & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
            {
                errors.Add(untrusted);
                flag &= ~(X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain);
            }

            if ((flag & X509ChainStatusFlags.NotTimeValid) != 0)
            {
                var notBefore = new DateTimeOffset(cert.NotBefore.ToUniversalTime());
                errors.Add(checkedAt < notBefore
                    ? EdxmlError.Create(ErrorCode.CertificateNotYetValid, Field, Name(cert), Date(notBefore))
                    : EdxmlError.Create(ErrorCode.CertificateExpired, Field, Name(cert), Date(new DateTimeOffset(cert.NotAfter.ToUniversalTime()))));
                flag &= ~X509ChainStatusFlags.NotTimeValid;
            }

            if ((flag & X509ChainStatusFlags.NotValidForUsage) != 0)
            {
                errors.Add(EdxmlError.Create(ErrorCode.CertificateWrongKeyUsage, Field, Name(cert), status.StatusInformation.Trim()));
                flag &= ~X509ChainStatusFlags.NotValidForUsage;
            }

            // Revocation is checked by CheckRevocation; NotTimeNested is obsolete and informational.
            flag &= ~(X509ChainStatusFlags.Revoked | X509ChainStatusFlags.RevocationStatusUnknown
                      | X509ChainStatusFlags.OfflineRevocation | X509ChainStatusFlags.NotTimeNested);

            if (flag != X509ChainStatusFlags.NoError)
            {
                errors.Add(EdxmlError.Create(ErrorCode.CertificateChainInvalid, Field, Name(cert), $"{flag}: {status.StatusInformation.Trim()}"));
            }
        }
    }

    private static void CheckSigningKeyUsage(X509Certificate2 leaf, List<EdxmlError> errors)
    {
        var keyUsage = leaf.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (keyUsage is null)
        {
            return;
        }

        const X509KeyUsageFlags signing = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation;
        if ((keyUsage.KeyUsages & signing) == 0)
        {
            errors.Add(EdxmlError.Create(
                ErrorCode.CertificateWrongKeyUsage,
                Field,
                Name(leaf),
                $"its key usage is {keyUsage.KeyUsages}; digitalSignature or nonRepudiation is required"));
        }
    }

    private void CheckRevocation(List<X509Certificate2> chain, DateTimeOffset checkedAt, List<EdxmlError> errors)
    {
        // Every certificate that has its issuer in the built chain; the anchor (last) has none.
        for (var i = 0; i + 1 < chain.Count; i++)
        {
            var cert = chain[i];
            var issuer = chain[i + 1];
            var rejected = new List<string>();
            RevocationList? usable = null;
            var stale = new List<RevocationList>();

            foreach (var crl in _crls)
            {
                if (!crl.CoversIssuerOf(cert))
                {
                    continue;
                }

                var label = crl.Source is null ? "the CRL" : $"the CRL {Path.GetFileName(crl.Source)}";
                if (crl.UnsupportedReason is { } unsupported)
                {
                    rejected.Add($"{label} was ignored: {unsupported}");
                }
                else if (!crl.VerifySignature(issuer, out var problem))
                {
                    rejected.Add($"{label} was ignored: {problem}");
                }
                else if (crl.IsStaleAt(checkedAt, _options.CrlGrace))
                {
                    stale.Add(crl);
                }
                else if (usable is null || crl.ThisUpdate > usable.ThisUpdate)
                {
                    usable = crl; // the freshest usable CRL decides
                }
            }

            if (usable is not null)
            {
                CheckAgainst(usable, cert, issuer, checkedAt, Severity.Warning, errors);
            }
            else if (stale.Count > 0)
            {
                // Fail closed: an out-of-date list cannot clear a certificate, but what it revokes stays revoked.
                var revoking = stale.FirstOrDefault(c => c.Find(cert) is { } e && e.RevokedAt <= checkedAt);
                CheckAgainst(revoking ?? stale.MaxBy(c => c.ThisUpdate)!, cert, issuer, checkedAt, Severity.Error, errors);
            }
            else
            {
                var why = rejected.Count > 0
                    ? string.Join("; ", rejected)
                    : $"no CRL from {issuer.Subject} is loaded";
                errors.Add(_options.Revocation == RevocationPolicy.Require
                    ? EdxmlError.Create(ErrorCode.CertificateRevocationUnknown, Field, Name(cert), why)
                    : EdxmlError.Warn(ErrorCode.CertificateRevocationUnknown, Field, Name(cert), why));
            }
        }
    }

    /// <summary>Decides <paramref name="cert"/> by <paramref name="crl"/>: revoked when listed at or
    /// before the check instant; otherwise, when the CRL is past its next update, a
    /// <c>CrlStale</c> finding of <paramref name="staleSeverity"/> (a warning within the grace).</summary>
    private static void CheckAgainst(
        RevocationList crl,
        X509Certificate2 cert,
        X509Certificate2 issuer,
        DateTimeOffset checkedAt,
        Severity staleSeverity,
        List<EdxmlError> errors)
    {
        if (crl.Find(cert) is { } entry && entry.RevokedAt <= checkedAt)
        {
            errors.Add(EdxmlError.Create(ErrorCode.CertificateRevoked, Field, Name(cert), Date(entry.RevokedAt)));
        }
        else if (crl.IsStaleAt(checkedAt) && crl.NextUpdate is { } next)
        {
            object[] args = [issuer.Subject, Date(next), Date(checkedAt), Name(cert)];
            errors.Add(staleSeverity == Severity.Error
                ? EdxmlError.Create(ErrorCode.CrlStale, Field, args)
                : EdxmlError.Warn(ErrorCode.CrlStale, Field, args));
        }
    }

    /// <summary>The field of every finding: this type does not know where the certificate came
    /// from; callers re-anchor it (<c>error with { Field = ... }</c>).</summary>
    private const string Field = "/";

    private static string Name(X509Certificate2 cert) => cert.Subject;

    private static string Date(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
