using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Validation;

/// <summary>How strictly a package is judged.</summary>
/// <remarks>Immutable; share one instance freely.</remarks>
public sealed record ValidationOptions
{
    /// <summary>Strict, default limits.</summary>
    public static ValidationOptions Strict { get; } = new();

    /// <summary>Legacy producers: junk bytes before the XML declaration, an agency code that follows neither
    /// form but is a plain token (<see cref="Agencies.AgencyCode.IsNonStandard"/>) and a <c>CodeNumber</c>
    /// longer than the standard's 11 characters are warnings, not errors. Nothing else the standard
    /// requires is relaxed. Record the policy with every package it let through.</summary>
    public static ValidationOptions LegacyPolicy { get; } = new() { Legacy = true };

    /// <summary>True for the legacy policy (see <see cref="LegacyPolicy"/>).</summary>
    public bool Legacy { get; init; }

    /// <summary>Codes that follow neither agency-code form and are accepted anyway under the strict policy:
    /// the exceptions a hub's directory lists (<c>lgsp agencies add CODE --nonstandard</c>). Compared
    /// exactly as written, trimmed. Null: none.</summary>
    public IReadOnlySet<string>? AcceptedNonStandardCodes { get; init; }

    /// <summary>Bounds on the input.</summary>
    public XmlLimits Limits { get; init; } = XmlLimits.Default;
}
