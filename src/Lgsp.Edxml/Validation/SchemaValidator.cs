using System.Globalization;
using System.Xml;
using System.Xml.Schema;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Validation;

/// <summary>
/// Checks a package against the edXML schema of its kind (<see cref="EdxmlSchemas"/>) in one
/// streaming pass, in memory that does not grow with the attachments.
/// </summary>
/// <remarks>
/// <para>The XML is opened with <see cref="SafeXml.CreateReader"/> (DTDs prohibited, no resolver,
/// limits), presented to the schema with two tolerances (elements in no namespace inside the edXML
/// root count as edXML elements; the base64 text of <c>ContentTransferEncoded</c> is not shown to
/// the schema, which types it as a string anyway) and validated by a validating
/// <see cref="XmlReader"/> that never loads schemas named by the document (no
/// <c>xsi:schemaLocation</c>, no inline schemas).</para>
/// <para>The schemas check names, placement and the integer and boolean fields, in any child order;
/// cardinality, lengths, dates and agency codes are for the business-rule validator.</para>
/// <para>Every violation is reported, not the first: a child element its parent does not allow is
/// reported and hidden from the validating reader (which would otherwise stop checking that
/// parent's remaining children), using the allowed children read from the compiled schema.</para>
/// <para>Thread safe: every call has its own readers; the compiled schemas are shared read-only.</para>
/// </remarks>
public static class SchemaValidator
{
    /// <summary>At most this many violations are listed one by one; the rest are counted in one
    /// final finding, so a hostile package cannot make the report itself large.</summary>
    public const int MaxListedViolations = 200;

    /// <summary>Validates a package against the schema of <paramref name="kind"/>.</summary>
    /// <param name="xml">The package, positioned at the start of its XML (skip any junk before it
    /// with <see cref="PackageStart.XmlOffset"/>). Read to the end, not closed.</param>
    /// <param name="kind">Which schema to apply.</param>
    /// <param name="limits">The bounds for reading untrusted XML.</param>
    /// <returns>Empty when the package conforms. Otherwise either every violation found, each an
    /// <see cref="ErrorCode.SchemaViolation"/> error on the field path of the offending element with
    /// the schema's message (after <see cref="MaxListedViolations"/>, one more finding counts the
    /// rest); or, when the root is not <c>edXML</c> in the edXML namespace, a single
    /// <see cref="ErrorCode.NotEdxml"/> error; or, when the XML is malformed or breaks a limit, the
    /// single error an <see cref="EdxmlFormatException"/> carries (findings collected before the
    /// failure are dropped: the package is unreadable).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static IReadOnlyList<EdxmlError> Validate(Stream xml, PackageKind kind, XmlLimits limits)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(limits);
        var schemas = EdxmlSchemas.For(kind);

        var violations = new List<EdxmlError>();
        var unlisted = 0;
        try
        {
            using var input = new SchemaInputReader(SafeXml.CreateReader(xml, limits), schemas, Report);
            var settings = new XmlReaderSettings
            {
                ValidationType = ValidationType.Schema,
                // Deliberately without ProcessSchemaLocation, ProcessInlineSchema and warnings.
                ValidationFlags = XmlSchemaValidationFlags.AllowXmlAttributes,
                Schemas = schemas,
                XmlResolver = null,
                DtdProcessing = DtdProcessing.Prohibit,
                CheckCharacters = false, // The inner reader already checks.
                CloseInput = false,
            };
            settings.ValidationEventHandler += (_, e) =>
            {
                if (e.Severity != XmlSeverityType.Error)
                {
                    return;
                }

                Report(input.CurrentPath, Describe(e));
            };

            using var validating = XmlReader.Create(input, settings);
            while (validating.Read())
            {
                // An undeclared root would only be validated laxly (silently): refuse it outright.
                if (input.RootSeen && !input.RootIsEdxml)
                {
                    var (local, ns) = input.Root;
                    var root = ns.Length == 0 ? $"'{local}' in no namespace" : $"'{local}' in namespace '{ns}'";
                    return [EdxmlError.Create(ErrorCode.NotEdxml, "/", root, EdxmlSchemas.TargetNamespace)];
                }
            }
        }
        catch (EdxmlFormatException ex)
        {
            return [ex.Error];
        }
        catch (XmlException ex)
        {
            return [SafeXml.Translate(ex).Error];
        }

        void Report(string field, string message)
        {
            if (violations.Count < MaxListedViolations)
            {
                violations.Add(EdxmlError.Create(ErrorCode.SchemaViolation, field, message));
            }
            else
            {
                unlisted++;
            }
        }

        if (unlisted > 0)
        {
            violations.Add(EdxmlError.Create(
                ErrorCode.SchemaViolation,
                "/",
                string.Create(CultureInfo.InvariantCulture, $"{unlisted} further violation(s) not listed.")));
        }

        return violations;
    }

    /// <summary>The schema's message, with the edXML namespace left out (every element has it), XML
    /// Schema types written <c>xs:integer</c>, and the position in the file added.</summary>
    private static string Describe(ValidationEventArgs e)
    {
        var message = e.Message
            .Replace($" in namespace '{EdxmlSchemas.TargetNamespace}'", string.Empty, StringComparison.Ordinal)
            .Replace($"'{EdxmlSchemas.TargetNamespace}:", "'", StringComparison.Ordinal)
            .Replace($"{EdxmlSchemas.TargetNamespace}:", string.Empty, StringComparison.Ordinal)
            .Replace("'http://www.w3.org/2001/XMLSchema:", "'xs:", StringComparison.Ordinal);
        var line = e.Exception?.LineNumber ?? 0;
        return line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{message} (line {line}, column {e.Exception!.LinePosition})")
            : message;
    }
}
