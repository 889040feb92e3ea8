using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Signatures;

/// <summary>What <see cref="PackageSignatureVerifier"/> accepts.</summary>
/// <remarks>Immutable; share one instance.</remarks>
public sealed record SignaturePolicy
{
    /// <summary>The strict defaults: no SHA-1, a signature not required.</summary>
    public static SignaturePolicy Default { get; } = new();

    /// <summary>Accept <c>rsa-sha1</c> signatures and SHA-1 digests (legacy producers). Default false.</summary>
    public bool AllowSha1 { get; init; }

    /// <summary>When true, an unsigned package or one with only a placeholder gets a
    /// <c>SignatureRequired</c> error. Default false: whether a signature is required is the
    /// caller's decision, and the verdict's <see cref="SignatureVerdict.Status"/> says what was found.</summary>
    public bool RequireSignature { get; init; }

    /// <summary>Bounds for parsing packages given as bytes or streams; default <see cref="XmlLimits.Default"/>.</summary>
    public XmlLimits Limits { get; init; } = XmlLimits.Default;
}
