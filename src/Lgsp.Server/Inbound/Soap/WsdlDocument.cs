using System.Text;
using System.Xml;

namespace Lgsp.Server.Inbound.Soap;

/// <summary>
/// The service description as the server serves it: <c>schemas/lgsp-edoc.wsdl</c> with the types of
/// <c>schemas/lgsp-edoc.xsd</c> inlined (one download for clients), and the address of both ports
/// set to the server's real URL. Also the schema files themselves, for <c>?xsd=name</c>.
/// </summary>
/// <remarks>Immutable and thread safe: the files are read and combined once.</remarks>
public sealed class WsdlDocument
{
    /// <summary>The WSDL's file name in the schema folder.</summary>
    public const string WsdlFileName = "lgsp-edoc.wsdl";

    /// <summary>The message schema the WSDL imports.</summary>
    public const string SchemaFileName = "lgsp-edoc.xsd";

    /// <summary>The receipt schema.</summary>
    public const string ReceiptSchemaFileName = "lgsp-receipt.xsd";

    /// <summary>The address both ports have in the file; <see cref="Render"/> replaces every
    /// <c>location</c> attribute with exactly this value.</summary>
    public const string AddressToken = "http://127.0.0.1:8080/soap/edoc";

    private const string WsdlNamespace = "http://schemas.xmlsoap.org/wsdl/";
    private const string XsdNamespace = "http://www.w3.org/2001/XMLSchema";
    private const string TokenAttribute = "location=\"" + AddressToken + "\"";

    private static readonly Lazy<WsdlDocument> DefaultInstance =
        new(() => Load(Path.Combine(AppContext.BaseDirectory, "schemas")));

    private readonly string _template;
    private readonly Dictionary<string, string> _schemas;

    private WsdlDocument(string template, Dictionary<string, string> schemas)
    {
        _template = template;
        _schemas = schemas;
    }

    /// <summary>The documents of the <c>schemas</c> folder next to the application, loaded on first use.</summary>
    /// <exception cref="FileNotFoundException">On first use, when the files were not deployed.</exception>
    public static WsdlDocument Default => DefaultInstance.Value;

    /// <summary>Loads the WSDL and the schemas from <paramref name="directory"/> and inlines the
    /// message schema into the WSDL.</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidOperationException">The WSDL does not import <see cref="SchemaFileName"/>
    /// or lacks the address token.</exception>
    public static WsdlDocument Load(string directory)
    {
        var schemas = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SchemaFileName] = File.ReadAllText(Path.Combine(directory, SchemaFileName), Encoding.UTF8),
            [ReceiptSchemaFileName] = File.ReadAllText(Path.Combine(directory, ReceiptSchemaFileName), Encoding.UTF8),
        };

        var wsdl = LoadXml(File.ReadAllText(Path.Combine(directory, WsdlFileName), Encoding.UTF8));
        var xsd = LoadXml(schemas[SchemaFileName]);
        var namespaces = new XmlNamespaceManager(wsdl.NameTable);
        namespaces.AddNamespace("wsdl", WsdlNamespace);
        namespaces.AddNamespace("xs", XsdNamespace);

        var import = wsdl.SelectSingleNode($"/wsdl:definitions/wsdl:types/xs:schema[xs:import[@schemaLocation='{SchemaFileName}']]", namespaces)
            ?? throw new InvalidOperationException($"{WsdlFileName} does not import {SchemaFileName}.");
        import.ParentNode!.ReplaceChild(wsdl.ImportNode(xsd.DocumentElement!, deep: true), import);

        var template = Serialize(wsdl);
        if (!template.Contains(TokenAttribute, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{WsdlFileName} has no port at {AddressToken}.");
        }

        return new WsdlDocument(template, schemas);
    }

    /// <summary>The WSDL, self-contained, with both ports at <paramref name="address"/>.</summary>
    /// <param name="address">The absolute http or https URL of the SOAP endpoint, e.g.
    /// <c>https://lgsp.example.gov.vn/soap/edoc</c>.</param>
    /// <exception cref="ArgumentException">Not an absolute http or https URL.</exception>
    public string Render(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The address must be an absolute http or https URL.", nameof(address));
        }

        var escaped = address.AbsoluteUri
            .Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal);
        return _template.Replace(TokenAttribute, "location=\"" + escaped + "\"", StringComparison.Ordinal);
    }

    /// <summary>The text of a schema file by name (<see cref="SchemaFileName"/> or
    /// <see cref="ReceiptSchemaFileName"/>); false for any other name, so a request parameter can be
    /// passed as is.</summary>
    public bool TryGetSchema(string name, out string text)
    {
        if (name is not null && _schemas.TryGetValue(name, out var found))
        {
            text = found;
            return true;
        }

        text = "";
        return false;
    }

    private static XmlDocument LoadXml(string text)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(text), settings);
        document.Load(reader);
        return document;
    }

    private static string Serialize(XmlDocument document)
    {
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false };
        using (var writer = XmlWriter.Create(buffer, settings))
        {
            document.Save(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
