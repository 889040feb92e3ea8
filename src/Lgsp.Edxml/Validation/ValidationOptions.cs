using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Validation;

/// <summary>How strictly a package is judged.</summary>
/// <remarks>Immutable; share one instance freely.</remarks>
public sealed record ValidationOptions
{
    /// <summary>Strict, default limits.</summary>
    public static ValidationOptions Strict { get; } = new();

    /// <summary>Legacy producers: junk bytes before the XML declaration are a warning, not an error.
    /// Nothing else the standard requires is relaxed. Record the policy with every package it let through.</summary>
    public static ValidationOptions LegacyPolicy { get; } = new() { Legacy = true };

    /// <summary>True for the legacy policy (see <see cref="LegacyPolicy"/>).</summary>
    public bool Legacy { get; init; }

    /// <summary>Bounds on the input.</summary>
    public XmlLimits Limits { get; init; } = XmlLimits.Default;
}
