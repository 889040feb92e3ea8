using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Spooling;
using Lgsp.Edxml.Trust;

namespace Lgsp.Edxml.Validation;

/// <summary>How a package is judged as a whole: validation plus the envelope-signature policy.</summary>
/// <remarks>Immutable; share one instance.</remarks>
public sealed record CheckOptions
{
    /// <summary>Validation strictness and limits.</summary>
    public ValidationOptions Validation { get; init; } = ValidationOptions.Strict;

    /// <summary>Signature algorithms and whether a signature is required.</summary>
    public SignaturePolicy Signature { get; init; } = SignaturePolicy.Default with { RequireSignature = true };

    /// <summary>The trust the signer must chain to; without one a valid signature cannot be trusted,
    /// so the strict policy refuses every package.</summary>
    public ICertificateTrust? Trust { get; init; }

    /// <summary>The default for a network: strict validation, a trusted XML signature required.</summary>
    public static CheckOptions Strict(ICertificateTrust? trust) => new() { Trust = trust };

    /// <summary>For legacy producers, turned on explicitly per client: junk before the XML declaration,
    /// unsigned packages and the SDK's placeholder signatures are warnings. A signature that is present
    /// must still verify and chain.</summary>
    public static CheckOptions Legacy(ICertificateTrust? trust) => new()
    {
        Validation = ValidationOptions.LegacyPolicy,
        Signature = SignaturePolicy.Default with { RequireSignature = false },
        Trust = trust,
    };
}

/// <summary>The whole judgement of a package.</summary>
/// <param name="Validation">Schema and business rules (and the model, which the caller disposes).</param>
/// <param name="Signature">The envelope signature, or null when the package could not be read.</param>
/// <param name="Legacy">True when judged under the legacy policy (record it with the package).</param>
public sealed record CheckResult(ValidationResult Validation, SignatureVerdict? Signature, bool Legacy)
{
    /// <summary>All findings: validation first, then signature and chain.</summary>
    public IReadOnlyList<EdxmlError> Findings { get; } =
        [.. Validation.Findings, .. Signature?.Errors ?? []];

    /// <summary>True when the package may be accepted under the policy it was judged by.</summary>
    public bool IsAccepted => Validation.IsValid && Signature is not null && !Signature.HasErrors
        && (Signature.Status == SignatureStatus.Valid ? Signature.IsTrusted : Legacy);
}

/// <summary>Judges a package as a hub's accept path does: <see cref="PackageValidator"/> and
/// <see cref="PackageSignatureVerifier"/> under one <see cref="CheckOptions"/>.</summary>
/// <remarks>Thread safe.</remarks>
public static class PackageCheck
{
    /// <summary>Validates the package and verifies its envelope signature.</summary>
    public static CheckResult Evaluate(byte[] package, CheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(package);
        using var spool = PackageSpool.FromBytes(package);
        return Evaluate(spool, options);
    }

    /// <summary>Validates a spooled package and verifies its envelope signature, each pass streaming
    /// from the spool (the accept path's way: the package is never copied whole).</summary>
    public static CheckResult Evaluate(PackageSpool package, CheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(options);
        var validation = PackageValidator.Validate(package, options.Validation);
        if (validation.Package is null)
        {
            return new CheckResult(validation, null, options.Validation.Legacy);
        }

        var verdict = new PackageSignatureVerifier(options.Signature, options.Trust).Verify(package);
        if (verdict.Status == SignatureStatus.Valid && !verdict.IsTrusted && options.Trust is null)
        {
            verdict = verdict with { Errors = [.. verdict.Errors, EdxmlError.Create(ErrorCode.CertificateUntrustedRoot, "Signature/KeyInfo",
                verdict.Signer?.Subject ?? "the signer", verdict.Signer?.Subject ?? "the signer", verdict.Signer?.Issuer ?? "an unknown issuer")] };
        }

        return new CheckResult(validation, verdict, options.Validation.Legacy);
    }
}
