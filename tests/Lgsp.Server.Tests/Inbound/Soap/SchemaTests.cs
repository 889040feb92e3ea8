using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Xml;
using System.Xml.Schema;
using Lgsp.Server.Inbound.Soap;
using static Lgsp.Server.Tests.Inbound.Soap.SoapSamples;

namespace Lgsp.Server.Tests.Inbound.Soap;

/// <summary>The WSDL and the XSDs are well-formed, compile, agree with each other and with the
/// reader's contract table, and accept what the codec reads and writes.</summary>
public class SchemaTests
{
    private const string Wsdl = "http://schemas.xmlsoap.org/wsdl/";
    private const string Soap11Binding = "http://schemas.xmlsoap.org/wsdl/soap/";
    private const string Soap12Binding = "http://schemas.xmlsoap.org/wsdl/soap12/";
    private const string Xsd = "http://www.w3.org/2001/XMLSchema";

    [Theory]
    [InlineData("lgsp-edoc.wsdl")]
    [InlineData("lgsp-edoc.xsd")]
    [InlineData("lgsp-receipt.xsd")]
    [InlineData("lgsp-ledger.xsd")]
    public void Each_schema_file_is_well_formed_xml(string name)
    {
        Assert.NotNull(LoadFile(name).DocumentElement);
    }

    [Fact]
    public void Both_xsds_compile_without_a_resolver()
    {
        var set = Compile("lgsp-edoc.xsd", "lgsp-receipt.xsd");

        Assert.True(set.IsCompiled);
        Assert.Contains(set.GlobalElements.Names.Cast<XmlQualifiedName>(), n => n == new XmlQualifiedName("Error", Ns));
        Assert.Contains(set.GlobalElements.Names.Cast<XmlQualifiedName>(), n => n == new XmlQualifiedName("Receipt", "urn:lgsp:receipt:1"));
    }

    [Fact]
    public void The_wsdl_declares_exactly_the_operations_of_the_contract_with_their_messages_and_the_Error_fault()
    {
        var (wsdl, ns) = LoadWsdl();

        var operations = wsdl.SelectNodes("/wsdl:definitions/wsdl:portType[@name='Edoc']/wsdl:operation", ns)!.OfType<XmlElement>().ToList();
        Assert.Equal(EdocContract.Operations, operations.Select(o => o.GetAttribute("name")));
        foreach (var operation in operations)
        {
            var name = operation.GetAttribute("name");
            Assert.Equal(name, PartElement(wsdl, ns, operation, "input"));
            Assert.Equal(name + "Response", PartElement(wsdl, ns, operation, "output"));
            var fault = Assert.Single(operation.SelectNodes("wsdl:fault", ns)!.OfType<XmlElement>());
            Assert.Equal("Error", fault.GetAttribute("name"));
            Assert.Equal("Error", PartElement(wsdl, ns, operation, "fault"));
        }
    }

    [Theory]
    [InlineData("EdocSoap11", "soap")]
    [InlineData("EdocSoap12", "soap12")]
    public void Each_binding_is_document_literal_with_the_contract_actions_and_a_literal_fault(string binding, string prefix)
    {
        var (wsdl, ns) = LoadWsdl();

        var element = (XmlElement)wsdl.SelectSingleNode($"/wsdl:definitions/wsdl:binding[@name='{binding}']", ns)!;
        Assert.Equal("tns:Edoc", element.GetAttribute("type"));
        var soapBinding = (XmlElement)element.SelectSingleNode($"{prefix}:binding", ns)!;
        Assert.Equal("document", soapBinding.GetAttribute("style"));
        Assert.Equal("http://schemas.xmlsoap.org/soap/http", soapBinding.GetAttribute("transport"));
        var operations = element.SelectNodes("wsdl:operation", ns)!.OfType<XmlElement>().ToList();
        Assert.Equal(EdocContract.Operations, operations.Select(o => o.GetAttribute("name")));
        foreach (var operation in operations)
        {
            var name = operation.GetAttribute("name");
            Assert.Equal(EdocContract.ActionOf(name), ((XmlElement)operation.SelectSingleNode($"{prefix}:operation", ns)!).GetAttribute("soapAction"));
            Assert.Equal("literal", ((XmlElement)operation.SelectSingleNode($"wsdl:input/{prefix}:body", ns)!).GetAttribute("use"));
            Assert.Equal("literal", ((XmlElement)operation.SelectSingleNode($"wsdl:output/{prefix}:body", ns)!).GetAttribute("use"));
            var fault = (XmlElement)operation.SelectSingleNode($"wsdl:fault[@name='Error']/{prefix}:fault", ns)!;
            Assert.Equal(("Error", "literal"), (fault.GetAttribute("name"), fault.GetAttribute("use")));
        }
    }

    [Fact]
    public void The_service_has_a_port_per_binding_at_the_address_token()
    {
        var (wsdl, ns) = LoadWsdl();

        var ports = wsdl.SelectNodes("/wsdl:definitions/wsdl:service[@name='EdocService']/wsdl:port", ns)!.OfType<XmlElement>().ToList();

        Assert.Equal(["tns:EdocSoap11", "tns:EdocSoap12"], ports.Select(p => p.GetAttribute("binding")));
        Assert.Equal(WsdlDocument.AddressToken, ((XmlElement)ports[0].SelectSingleNode("soap:address", ns)!).GetAttribute("location"));
        Assert.Equal(WsdlDocument.AddressToken, ((XmlElement)ports[1].SelectSingleNode("soap12:address", ns)!).GetAttribute("location"));
    }

    [Fact]
    public void The_xsd_request_elements_match_the_readers_contract_table()
    {
        var set = Compile("lgsp-edoc.xsd");

        foreach (var operation in EdocContract.Operations)
        {
            var children = SequenceOf(set, operation);
            var expected = EdocContract.RequestFields(operation);
            Assert.Equal(expected.Select(f => f.Name), children.Select(c => c.QualifiedName.Name));
            Assert.Equal(expected.Select(f => f.Required), children.Select(c => c.MinOccurs > 0));
            Assert.All(children.Where(c => c.MinOccurs == 0), c => Assert.True(c.IsNillable, $"{operation}/{c.Name} is optional and so must be nillable"));
            Assert.NotNull(set.GlobalElements[new XmlQualifiedName(EdocContract.ResponseOf(operation), Ns)]);
        }
    }

    [Theory]
    [InlineData(SoapVersion.Soap11)]
    [InlineData(SoapVersion.Soap12)]
    public async Task Each_sample_request_is_valid_against_the_xsd_and_read_by_the_codec(SoapVersion version)
    {
        var set = Compile("lgsp-edoc.xsd");
        var nil = $"<GetPendingDocuments xmlns=\"{Ns}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><Agency xsi:nil=\"true\"/><MaxCount xsi:nil=\"true\"/></GetPendingDocuments>";

        foreach (var (operation, body) in OperationSamples.Append(new(EdocContract.GetPendingDocuments, nil)))
        {
            Validate(set, body);
            var request = await ReadAsync(version, Envelope(version, body), EdocContract.ActionOf(operation));
            Assert.Equal(operation, request.Operation);
        }
    }

    [Fact]
    public void The_served_wsdl_inlines_the_message_schema_and_points_both_ports_at_the_real_address()
    {
        var served = WsdlDocument.Load(SchemaPath("")).Render(new Uri("https://lgsp.example.gov.vn/soap/edoc?x=1&y=2"));

        var document = new XmlDocument { XmlResolver = null };
        document.LoadXml(served);
        var ns = Namespaces(document);
        Assert.DoesNotContain(WsdlDocument.AddressToken, served, StringComparison.Ordinal);
        Assert.DoesNotContain("schemaLocation", served, StringComparison.Ordinal);
        var locations = document.SelectNodes("//soap:address/@location | //soap12:address/@location", ns)!.OfType<XmlAttribute>().Select(a => a.Value);
        Assert.Equal(["https://lgsp.example.gov.vn/soap/edoc?x=1&y=2", "https://lgsp.example.gov.vn/soap/edoc?x=1&y=2"], locations);

        var schema = (XmlElement)document.SelectSingleNode("/wsdl:definitions/wsdl:types/xs:schema", ns)!;
        Assert.Equal(Ns, schema.GetAttribute("targetNamespace"));
        var set = new XmlSchemaSet { XmlResolver = null };
        set.Add(null, new XmlNodeReader(schema));
        set.Compile();
        Assert.Equal(Compile("lgsp-edoc.xsd").GlobalElements.Count, set.GlobalElements.Count);
    }

    [Fact]
    public void The_default_document_is_deployed_next_to_the_application()
    {
        var served = WsdlDocument.Default.Render(new Uri("http://127.0.0.1:5000/soap/edoc"));

        Assert.Contains("location=\"http://127.0.0.1:5000/soap/edoc\"", served, StringComparison.Ordinal);
        Assert.True(WsdlDocument.Default.TryGetSchema("lgsp-edoc.xsd", out var xsd));
        Assert.Equal(File.ReadAllText(SchemaPath("lgsp-edoc.xsd")), xsd);
        Assert.True(WsdlDocument.Default.TryGetSchema("lgsp-receipt.xsd", out _));
        Assert.False(WsdlDocument.Default.TryGetSchema("../appsettings.json", out _));
        Assert.False(WsdlDocument.Default.TryGetSchema("lgsp-edoc.wsdl", out _));
    }

    [Theory]
    [InlineData("/soap/edoc")]
    [InlineData("ftp://example/soap/edoc")]
    public void Only_an_absolute_http_address_can_be_served(string address)
    {
        Assert.Throws<ArgumentException>(() => WsdlDocument.Default.Render(new Uri(address, UriKind.RelativeOrAbsolute)));
    }

    [Fact]
    public void A_receipt_signed_with_an_enveloped_xml_signature_is_valid_and_one_without_is_not()
    {
        var set = Compile("lgsp-receipt.xsd");
        var receipt = Receipt("document");
        using var key = RSA.Create(2048);
        var signed = new SignedXml(receipt) { SigningKey = key };
        var reference = new Reference("");
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signed.AddReference(reference);
        signed.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signed.ComputeSignature();

        var unsigned = receipt.OuterXml;
        receipt.DocumentElement!.AppendChild(receipt.ImportNode(signed.GetXml(), true));

        Validate(set, receipt.OuterXml, laxWarningsAllowed: true);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Validate(set, unsigned, laxWarningsAllowed: true));
        var wrongKind = Receipt("package");
        wrongKind.DocumentElement!.AppendChild(wrongKind.ImportNode(signed.GetXml(), true));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Validate(set, wrongKind.OuterXml, laxWarningsAllowed: true));
    }

    [Fact]
    public void A_checkpoint_as_the_sealer_signs_it_is_valid_against_the_ledger_schema_and_an_unsigned_one_is_not()
    {
        var set = Compile("lgsp-ledger.xsd");
        using var pki = Lgsp.Edxml.Testing.Pki.TestPki.Create("Schema");
        var hub = new Lgsp.Exchange.Receipts.HubIdentity("000.00.00.H56", pki.IssueOrganization("000.00.00.H56", "LGSP"), [pki.Intermediate]);
        var entries = new[] { new Lgsp.Exchange.Ledger.LedgerEntry(7, DateTimeOffset.UtcNow, "package.received", "qlvb", 1, "doc-1", null, "{}") };
        var (checkpoint, _) = Lgsp.Exchange.Ledger.Checkpoint.Seal(hub.Id, Lgsp.Exchange.Ledger.LedgerChain.Genesis, entries, DateTimeOffset.UtcNow);

        Validate(set, System.Text.Encoding.UTF8.GetString(checkpoint.Sign(hub)), laxWarningsAllowed: true);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Validate(set, checkpoint.ToXml().OuterXml, laxWarningsAllowed: true));
    }

    [Fact]
    public void An_evidence_export_statement_as_the_exporter_signs_it_is_valid_against_the_ledger_schema()
    {
        var set = Compile("lgsp-ledger.xsd");
        using var pki = Lgsp.Edxml.Testing.Pki.TestPki.Create("Schema");
        var hub = new Lgsp.Exchange.Receipts.HubIdentity("hub-h56", pki.IssueOrganization("000.00.00.H56", "LGSP"), [pki.Intermediate]);
        var statement = new Lgsp.Exchange.Evidence.EvidenceStatement("hub-h56", "000.00.01.H56,2026/01/15,7/STC", DateTimeOffset.UtcNow, 18, new string('a', 64), [1], [11, 12, 16]);

        Validate(set, System.Text.Encoding.UTF8.GetString(statement.Sign(hub)), laxWarningsAllowed: true);
    }

    [Fact]
    public void A_countersignature_as_a_parent_hub_signs_it_is_valid_against_the_ledger_schema_and_an_unsigned_one_is_not()
    {
        var set = Compile("lgsp-ledger.xsd");
        using var pki = Lgsp.Edxml.Testing.Pki.TestPki.Create("Schema");
        var child = new Lgsp.Exchange.Receipts.HubIdentity("hub-child", pki.IssueOrganization("000.00.00.H56", "LGSP"), [pki.Intermediate]);
        var parent = new Lgsp.Exchange.Receipts.HubIdentity("hub-parent", pki.IssueOrganization("000.00.00.G22", "LGSP"), [pki.Intermediate]);
        var entries = new[] { new Lgsp.Exchange.Ledger.LedgerEntry(7, DateTimeOffset.UtcNow, "package.received", "qlvb", 1, "doc-1", null, "{}") };
        var (checkpoint, _) = Lgsp.Exchange.Ledger.Checkpoint.Seal(child.Id, Lgsp.Exchange.Ledger.LedgerChain.Genesis, entries, DateTimeOffset.UtcNow);
        var witness = Lgsp.Exchange.Ledger.Witness.Of(checkpoint, checkpoint.Sign(child), parent.Id, DateTimeOffset.UtcNow);

        Validate(set, System.Text.Encoding.UTF8.GetString(witness.Sign(parent)), laxWarningsAllowed: true);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Validate(set, witness.ToXml().OuterXml, laxWarningsAllowed: true));
    }

    private static XmlDocument Receipt(string kind)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(
            "<Receipt xmlns=\"urn:lgsp:receipt:1\"><Hub>000.00.00.H56</Hub><Kind>" + kind + "</Kind><From>000.00.01.H56</From>"
            + "<DocumentId>doc-1</DocumentId><Sha256>" + Convert.ToHexStringLower(SHA256.HashData(RandomBytes(3))) + "</Sha256><Size>3</Size>"
            + "<ReceivedAt>2026-01-31T08:00:00Z</ReceivedAt><LedgerSeq>17</LedgerSeq></Receipt>");
        return document;
    }

    private static List<XmlSchemaElement> SequenceOf(XmlSchemaSet set, string element)
    {
        var declaration = (XmlSchemaElement)set.GlobalElements[new XmlQualifiedName(element, Ns)]!;
        var type = Assert.IsType<XmlSchemaComplexType>(declaration.ElementSchemaType);
        var sequence = Assert.IsType<XmlSchemaSequence>(type.ContentTypeParticle);
        return sequence.Items.Cast<XmlSchemaElement>().ToList();
    }

    private static string PartElement(XmlDocument wsdl, XmlNamespaceManager ns, XmlElement operation, string direction)
    {
        var message = ((XmlElement)operation.SelectSingleNode($"wsdl:{direction}", ns)!).GetAttribute("message");
        var part = (XmlElement)wsdl.SelectSingleNode($"/wsdl:definitions/wsdl:message[@name='{message["tns:".Length..]}']/wsdl:part", ns)!;
        var element = part.GetAttribute("element");
        Assert.StartsWith("tns:", element, StringComparison.Ordinal);
        return element["tns:".Length..];
    }

    private static (XmlDocument Document, XmlNamespaceManager Namespaces) LoadWsdl()
    {
        var document = LoadFile("lgsp-edoc.wsdl");
        return (document, Namespaces(document));
    }

    private static XmlNamespaceManager Namespaces(XmlDocument document)
    {
        var ns = new XmlNamespaceManager(document.NameTable);
        ns.AddNamespace("wsdl", Wsdl);
        ns.AddNamespace("soap", Soap11Binding);
        ns.AddNamespace("soap12", Soap12Binding);
        ns.AddNamespace("xs", Xsd);
        ns.AddNamespace("tns", Ns);
        return ns;
    }

    private static XmlDocument LoadFile(string name)
    {
        var document = new XmlDocument { XmlResolver = null };
        using var reader = XmlReader.Create(SchemaPath(name), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        document.Load(reader);
        return document;
    }
}
