using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;

namespace Lgsp.Edxml.Validation;

/// <summary>Everything found about one package: all errors and warnings, not just the first.</summary>
/// <param name="Package">The package as read, or null when it could not be read at all.
/// The caller owns it (dispose it: it may hold attachments in temporary files).</param>
/// <param name="Findings">Errors and warnings, in the order: reading, schema, rules.</param>
public sealed record ValidationResult(EdxmlPackage? Package, IReadOnlyList<EdxmlError> Findings)
{
    /// <summary>True when no finding is an error.</summary>
    public bool IsValid => Findings.All(f => !f.IsError);

    /// <summary>The findings that are errors.</summary>
    public IEnumerable<EdxmlError> Errors => Findings.Where(f => f.IsError);

    /// <summary>The findings that are warnings.</summary>
    public IEnumerable<EdxmlError> Warnings => Findings.Where(f => !f.IsError);
}
