using System.Globalization;
using Lgsp.Edxml.Agencies;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Reading;
using Lgsp.Edxml.Spooling;
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
    public static ValidationResult Validate(ReadOnlyMemory<byte> package, ValidationOptions? options = null) =>
        Validate(() => MemoryStreams.Open(package), options);

    /// <summary>Validates a spooled package (the bytes exactly as received), streaming it twice: once
    /// into the model, once through the schema; nothing of it is copied whole.</summary>
    /// <inheritdoc cref="Validate(ReadOnlyMemory{byte}, ValidationOptions?)"/>
    public static ValidationResult Validate(PackageSpool package, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        return Validate(package.OpenRead, options);
    }

    private static ValidationResult Validate(Func<Stream> open, ValidationOptions? options)
    {
        options ??= ValidationOptions.Strict;
        EdxmlPackage model;
        try
        {
            using var input = open();
            model = PackageReader.Read(input, options.Limits);
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

        using (var xml = open())
        {
            var head = new byte[4096];
            var n = xml.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            var offset = PackageStart.XmlOffset(head.AsSpan(0, n));
            using var fromXml = new PrefixedStream(head.AsMemory(offset, n - offset), xml);
            var schema = SchemaValidator.Validate(fromXml, model.Kind, options.Limits);
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
