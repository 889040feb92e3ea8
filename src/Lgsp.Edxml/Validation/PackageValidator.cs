using System.Globalization;
using Lgsp.Edxml.Agencies;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Reading;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Validation;

/// <summary>
/// Validates edXML packages: safe parsing, the XSDs in <c>schemas/</c>, and the business rules of
/// the standard (recipients, agency codes, status codes, business types, field lengths, dates,
/// attachments, secret markings). Reports every violation, not just the first. Signatures are
/// judged separately (see the Signatures namespace).
/// </summary>
/// <remarks>Stateless and thread safe.</remarks>
public static partial class PackageValidator
{
    /// <summary>Validates a package file.</summary>
    public static ValidationResult ValidateFile(string path, ValidationOptions? options = null) =>
        Validate(File.ReadAllBytes(path), options);

    /// <summary>Validates a package held in memory (the bytes exactly as received).</summary>
    /// <returns>The findings and, when the package could be read, its model (which the caller disposes).</returns>
    public static ValidationResult Validate(ReadOnlyMemory<byte> package, ValidationOptions? options = null)
    {
        options ??= ValidationOptions.Strict;
        EdxmlPackage model;
        try
        {
            model = PackageReader.Read(package, options.Limits);
        }
        catch (EdxmlFormatException ex)
        {
            return new ValidationResult(null, [ex.Error]);
        }

        var findings = new List<EdxmlError>();
        foreach (var f in model.ReadFindings)
        {
            // Junk before the declaration makes the bytes non-well-formed XML: refused unless legacy.
            findings.Add(f.Code == ErrorCode.LeadingJunk && !options.Legacy ? f with { Severity = Severity.Error } : f);
        }

        var offset = PackageStart.XmlOffset(package.Span[..Math.Min(package.Length, 4096)]);
        using (var xml = MemoryStreams.Open(package[offset..]))
        {
            var schema = SchemaValidator.Validate(xml, model.Kind, options.Limits);
            var schemaFields = schema.Select(e => e.Field).ToHashSet(StringComparer.Ordinal);
            findings.RemoveAll(f => f.Code == ErrorCode.InvalidNumber && schemaFields.Contains(f.Field));
            findings.AddRange(schema);
        }

        findings.AddRange(CheckRules(model, options));
        return new ValidationResult(model, findings);
    }

    /// <summary>The business rules alone, on a model (for example one built in code before it is written),
    /// under the strict policy.</summary>
    public static IReadOnlyList<EdxmlError> CheckRules(EdxmlPackage package, XmlLimits? limits = null) =>
        CheckRules(package, ValidationOptions.Strict with { Limits = limits ?? XmlLimits.Default });

    /// <summary>The business rules alone, on a model, under <paramref name="options"/>' policy.</summary>
    public static IReadOnlyList<EdxmlError> CheckRules(EdxmlPackage package, ValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rules = new RuleCheck(options);
        switch (package)
        {
            case DocumentPackage d:
                rules.Document(d);
                break;
            case StatusPackage s:
                rules.Status(s);
                break;
        }

        return rules.Findings;
    }
}
