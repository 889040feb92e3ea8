using System.Security.Cryptography.X509Certificates;

namespace Lgsp.Edxml.Trust;

/// <summary>At which instant certificate validity (and revocation) is evaluated.</summary>
public enum ValidityTime
{
    /// <summary>The moment of the check (the default).</summary>
    Now,

    /// <summary>The signing time the caller passes; falls back to now when none is given, and the
    /// verdict says so (<see cref="ValidityBasis.NowNoSigningTime"/>). Pass only a time the caller
    /// trusts (a timestamp, or when the hub received the package), never a time the signer merely
    /// claims.</summary>
    SigningTime,
}

/// <summary>What happens when revocation cannot be decided.</summary>
public enum RevocationPolicy
{
    /// <summary>Check revocation wherever a CRL from the issuer is loaded; where none is, add a
    /// <c>CertificateRevocationUnknown</c> warning and still trust the chain (the default). A loaded
    /// CRL past its next update (plus <see cref="TrustOptions.CrlGrace"/>) is never a reason to trust:
    /// it makes its issuer's certificates fail with <c>CrlStale</c> under either policy.</summary>
    IfCrlLoaded,

    /// <summary>Every certificate below the root must be covered by a usable CRL from its issuer;
    /// otherwise <c>CertificateRevocationUnknown</c> is an error.</summary>
    Require,
}

/// <summary>The values <see cref="ChainVerdict.ValidityBasis"/> takes.</summary>
public static class ValidityBasis
{
    /// <summary>Validity was evaluated at the moment of the check.</summary>
    public const string Now = "now";

    /// <summary>Validity was evaluated at the signing time the caller gave.</summary>
    public const string SigningTime = "signing-time";

    /// <summary>The policy asked for the signing time but none was given, so the moment of the
    /// check was used.</summary>
    public const string NowNoSigningTime = "now-no-signing-time";
}

/// <summary>The configuration of a <see cref="CertificateTrust"/>.</summary>
/// <remarks>Immutable once built; <see cref="CertificateTrust"/> copies the collections.</remarks>
public sealed record TrustOptions
{
    /// <summary>The trust anchors. Only these end a trusted chain; the operating system store is
    /// never consulted.</summary>
    public IReadOnlyList<X509Certificate2> Roots { get; init; } = [];

    /// <summary>Intermediate CA certificates that may be used to build chains (in addition to the
    /// untrusted certificates a signature carries).</summary>
    public IReadOnlyList<X509Certificate2> Intermediates { get; init; } = [];

    /// <summary>The CRLs to check revocation against. Each is used only for certificates whose
    /// issuer signed it; see <see cref="RevocationList"/>.</summary>
    public IReadOnlyList<RevocationList> Crls { get; init; } = [];

    /// <summary>At which instant validity is evaluated (default <see cref="ValidityTime.Now"/>).</summary>
    public ValidityTime Validity { get; init; } = ValidityTime.Now;

    /// <summary>What an undecidable revocation status means (default
    /// <see cref="RevocationPolicy.IfCrlLoaded"/>).</summary>
    public RevocationPolicy Revocation { get; init; } = RevocationPolicy.IfCrlLoaded;

    /// <summary>How long past its <c>nextUpdate</c> a CRL is still used (default zero). Within the
    /// grace the CRL decides revocation and the verdict carries a <c>CrlStale</c> warning; beyond it
    /// every certificate of its issuer fails with <c>CrlStale</c>, or <c>CertificateRevoked</c> when
    /// the stale CRL lists it. Never negative.</summary>
    public TimeSpan CrlGrace { get; init; } = TimeSpan.Zero;

    /// <summary>When true (the default), a signer certificate that has a key usage extension must
    /// allow <c>digitalSignature</c> or <c>nonRepudiation</c>.</summary>
    public bool RequireSigningKeyUsage { get; init; } = true;

    /// <summary>The clock that says what "now" is (default the system clock).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
