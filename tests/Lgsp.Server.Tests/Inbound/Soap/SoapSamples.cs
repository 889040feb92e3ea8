using System.Text;
using System.Xml;
using System.Xml.Schema;
using Lgsp.Server.Inbound.Soap;
using Lgsp.Server.Tests.Support;

namespace Lgsp.Server.Tests.Inbound.Soap;

/// <summary>Requests written by hand, the repository's schema files, and schema validation.</summary>
internal static class SoapSamples
{
    public const string Ns = EdocContract.Namespace;

    /// <summary>A file of the repository's schemas folder.</summary>
    public static string SchemaPath(string name) => Repository.File("schemas", name);

    /// <summary>One request body per operation, with every element the XSD allows.</summary>
    public static IReadOnlyDictionary<string, string> OperationSamples { get; } = new Dictionary<string, string>
    {
        [EdocContract.SendDocument] = $"<SendDocument xmlns=\"{Ns}\"><Package>PGVkWE1MLz4=</Package></SendDocument>",
        [EdocContract.SendStatus] = $"<SendStatus xmlns=\"{Ns}\"><Package>PGVkWE1MLz4=</Package></SendStatus>",
        [EdocContract.GetPendingDocuments] = $"<GetPendingDocuments xmlns=\"{Ns}\"><Agency>000.00.01.H56</Agency><MaxCount>50</MaxCount></GetPendingDocuments>",
        [EdocContract.GetPendingStatuses] = $"<GetPendingStatuses xmlns=\"{Ns}\"><Agency>000.00.01.H56</Agency><MaxCount>50</MaxCount></GetPendingStatuses>",
        [EdocContract.GetDocument] = $"<GetDocument xmlns=\"{Ns}\"><Id>42</Id></GetDocument>",
        [EdocContract.ConfirmReceived] = $"<ConfirmReceived xmlns=\"{Ns}\"><Id>42</Id><Outcome>fail</Outcome><Reason>Không đọc được tệp</Reason></ConfirmReceived>",
        [EdocContract.GetDeliveries] = $"<GetDeliveries xmlns=\"{Ns}\"><DocumentId>5f0c2d1e-0000-4000-8000-000000000001</DocumentId></GetDeliveries>",
        [EdocContract.GetTrace] = $"<GetTrace xmlns=\"{Ns}\"><DocumentId>5f0c2d1e-0000-4000-8000-000000000001</DocumentId></GetTrace>",
        [EdocContract.GetAgencies] = $"<GetAgencies xmlns=\"{Ns}\"><ChangedSince>2026-01-31T08:00:00Z</ChangedSince></GetAgencies>",
    };

    /// <summary>An envelope of <paramref name="version"/> around <paramref name="body"/>.</summary>
    public static byte[] Envelope(SoapVersion version, string body, string? header = null)
    {
        var headerXml = header is null ? "" : $"<s:Header>{header}</s:Header>";
        return Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"{version.EnvelopeNamespace()}\">{headerXml}<s:Body>{body}</s:Body></s:Envelope>");
    }

    /// <summary>The Content-Type a client of <paramref name="version"/> sends.</summary>
    public static string ContentType(SoapVersion version, string? action = null) => version == SoapVersion.Soap11
        ? "text/xml; charset=utf-8"
        : "application/soap+xml; charset=utf-8" + (action is null ? "" : $"; action=\"{action}\"");

    /// <summary>Reads <paramref name="body"/> as a client of <paramref name="version"/> would send it.</summary>
    public static Task<SoapRequest> ReadAsync(SoapVersion version, byte[] body, string? action = null, SoapLimits? limits = null) =>
        SoapRequestReader.ReadAsync(
            new MemoryStream(body),
            ContentType(version, action),
            version == SoapVersion.Soap11 && action is not null ? $"\"{action}\"" : null,
            limits ?? SoapLimits.Default);

    /// <summary>Reads an envelope around <paramref name="body"/> and returns the fault it raises.</summary>
    public static async Task<SoapFaultException> RefuseAsync(SoapVersion version, byte[] body, string? action = null, SoapLimits? limits = null)
    {
        var fault = await Assert.ThrowsAsync<SoapFaultException>(() => ReadAsync(version, body, action, limits));
        Assert.True(fault.IsClientFault, "the reader raises client faults only");
        return fault;
    }

    /// <summary>Compiles a schema file of the repository, with no resolver.</summary>
    public static XmlSchemaSet Compile(params string[] names)
    {
        var set = new XmlSchemaSet { XmlResolver = null };
        foreach (var name in names)
        {
            using var reader = XmlReader.Create(SchemaPath(name), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            set.Add(null, reader);
        }

        set.Compile();
        return set;
    }

    /// <summary>Validates <paramref name="xml"/> against <paramref name="schemas"/>; warnings (such as
    /// an element no schema declares) count as errors unless <paramref name="laxWarningsAllowed"/>
    /// (content a schema admits with processContents="lax").</summary>
    public static void Validate(XmlSchemaSet schemas, string xml, bool laxWarningsAllowed = false)
    {
        var problems = new List<string>();
        var settings = new XmlReaderSettings
        {
            ValidationType = ValidationType.Schema,
            Schemas = schemas,
            ValidationFlags = XmlSchemaValidationFlags.ReportValidationWarnings,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
        };
        settings.ValidationEventHandler += (_, e) =>
        {
            if (e.Severity == XmlSeverityType.Error || !laxWarningsAllowed)
            {
                problems.Add($"{e.Severity}: {e.Message}");
            }
        };
        using (var reader = XmlReader.Create(new StringReader(xml), settings))
        {
            while (reader.Read())
            {
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Prepend(xml.Length > 2000 ? xml[..2000] : xml)));
    }

    /// <summary>The element inside the SOAP Body of an envelope.</summary>
    public static XmlElement BodyChild(byte[] envelope)
    {
        var document = Load(envelope);
        var body = document.DocumentElement!.ChildNodes.OfType<XmlElement>().Single(e => e.LocalName == "Body");
        return body.ChildNodes.OfType<XmlElement>().Single();
    }

    /// <summary>Parses bytes the codec wrote, refusing DTDs.</summary>
    public static XmlDocument Load(byte[] xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(new MemoryStream(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        document.Load(reader);
        return document;
    }

    /// <summary>Deterministic pseudo-random bytes.</summary>
    public static byte[] RandomBytes(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
