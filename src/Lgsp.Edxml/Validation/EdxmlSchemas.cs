using System.Xml;
using System.Xml.Schema;
using Lgsp.Edxml.Model;

namespace Lgsp.Edxml.Validation;

/// <summary>
/// The compiled edXML schemas (<c>schemas/edxml-document.xsd</c>, <c>schemas/edxml-status.xsd</c>,
/// embedded in this assembly). Each is compiled once, on first use, from the embedded resource, with
/// no resolver (no file or network access, no includes) and DTDs prohibited.
/// </summary>
/// <remarks>
/// Thread safe: initialisation is lazy and runs once. The returned sets are shared by every
/// validation in the process: use them read-only (never <c>Add</c>, <c>Remove</c> or
/// <c>Reprocess</c>), or validations elsewhere change behaviour. Run-time validation should go through
/// <see cref="SchemaValidator"/>, which also applies the producer tolerances the schemas rely on.
/// </remarks>
public static class EdxmlSchemas
{
    /// <summary>The target namespace of both schemas, the edXML namespace.</summary>
    public const string TargetNamespace = Reading.PackageReader.Namespace;

    /// <summary>The manifest resource name of the document schema.</summary>
    public const string DocumentResource = "Lgsp.Edxml.Schemas.edxml-document.xsd";

    /// <summary>The manifest resource name of the status schema.</summary>
    public const string StatusResource = "Lgsp.Edxml.Schemas.edxml-status.xsd";

    private static readonly Lazy<XmlSchemaSet> DocumentSet = new(() => Compile(DocumentResource), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<XmlSchemaSet> StatusSet = new(() => Compile(StatusResource), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The compiled schema of a document package (messagetype <c>edoc</c>).</summary>
    /// <exception cref="InvalidOperationException">The embedded schema is missing or does not compile (a build defect).</exception>
    public static XmlSchemaSet Document => DocumentSet.Value;

    /// <summary>The compiled schema of a status package (messagetype <c>status</c>).</summary>
    /// <exception cref="InvalidOperationException">The embedded schema is missing or does not compile (a build defect).</exception>
    public static XmlSchemaSet Status => StatusSet.Value;

    /// <summary>The compiled schema for a package kind.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static XmlSchemaSet For(PackageKind kind) => kind switch
    {
        PackageKind.Document => Document,
        PackageKind.Status => Status,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown package kind."),
    };

    private static XmlSchemaSet Compile(string resource)
    {
        using var stream = typeof(EdxmlSchemas).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded schema {resource} is missing.");

        var readerSettings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(stream, readerSettings);
        var schema = XmlSchema.Read(reader, Fail)
            ?? throw new InvalidOperationException($"The embedded schema {resource} could not be read.");

        var set = new XmlSchemaSet { XmlResolver = null };
        set.ValidationEventHandler += Fail;
        set.Add(schema);
        set.Compile();
        set.ValidationEventHandler -= Fail;
        return set;

        void Fail(object? sender, ValidationEventArgs e) =>
            throw new InvalidOperationException($"The embedded schema {resource} is invalid: {e.Message}", e.Exception);
    }
}
