using System.Reflection;
using System.ServiceModel.Description;
using System.Xml;
using System.Xml.Schema;
using System.Xml.Serialization;
using Lgsp.Server.Inbound.Soap;
using static Lgsp.Server.Tests.Inbound.Soap.SoapSamples;

namespace Lgsp.Server.Tests.Inbound.Soap;

/// <summary>The hand-written WCF contract and the WSDL/XSD cannot drift apart.</summary>
public class EdocClientContractTests
{
    private static readonly ContractDescription Contract = ContractDescription.GetContract(typeof(IEdoc));

    [Fact]
    public void The_contract_is_the_wsdl_portType()
    {
        var wsdl = Wsdl();

        Assert.Equal(wsdl.DocumentElement!.GetAttribute("targetNamespace"), Contract.Namespace);
        Assert.Equal(PortType(wsdl).GetAttribute("name"), Contract.Name);
    }

    [Fact]
    public void Every_wsdl_operation_has_an_operation_contract_with_its_name_and_action_and_vice_versa()
    {
        var wsdl = Wsdl();
        var wsdlActions = new Dictionary<string, HashSet<string>>();
        foreach (var binding in wsdl.DocumentElement!.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == "binding"))
        {
            foreach (var operation in binding.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == "operation"))
            {
                var soapOperation = operation.ChildNodes.OfType<XmlElement>().Single(e => e.LocalName == "operation");
                wsdlActions.TryAdd(operation.GetAttribute("name"), []);
                wsdlActions[operation.GetAttribute("name")].Add(soapOperation.GetAttribute("soapAction"));
            }
        }

        var portTypeOperations = PortType(wsdl).ChildNodes.OfType<XmlElement>().Select(e => e.GetAttribute("name")).ToHashSet();
        var contractOperations = Contract.Operations.ToDictionary(o => o.Name, o => o.Messages[0].Action);

        Assert.Equal(portTypeOperations.Order(), contractOperations.Keys.Order());
        Assert.Equal(portTypeOperations.Order(), wsdlActions.Keys.Order());
        foreach (var (name, action) in contractOperations)
        {
            Assert.Equal([action], wsdlActions[name]);
        }
    }

    [Fact]
    public void Every_message_contract_wraps_its_body_like_the_xsd_in_the_same_order()
    {
        var set = Compile("lgsp-edoc.xsd");

        foreach (var operation in Contract.Operations)
        {
            var request = operation.Messages[0].Body;
            var response = operation.Messages[1].Body;
            Assert.Equal((operation.Name, Ns), (request.WrapperName, request.WrapperNamespace));
            Assert.Equal((operation.Name + "Response", Ns), (response.WrapperName, response.WrapperNamespace));
            Assert.Equal(Sequence(set, request.WrapperName), request.Parts.OrderBy(p => p.Index).Select(p => p.Name));
            Assert.Equal(Sequence(set, response.WrapperName), response.Parts.OrderBy(p => p.Index).Select(p => p.Name));
            Assert.All(request.Parts.Concat(response.Parts), p => Assert.Equal(Ns, p.Namespace));
        }
    }

    [Fact]
    public void Every_operation_declares_the_Error_fault()
    {
        Assert.All(Contract.Operations, operation =>
        {
            var fault = Assert.Single(operation.Faults);
            Assert.Equal((typeof(Error), "Error", Ns), (fault.DetailType, fault.Name, fault.Namespace));
        });
        Assert.Equal(Sequence(Compile("lgsp-edoc.xsd"), "Error"), ElementOrder(typeof(Error)));
    }

    [Theory]
    [InlineData(typeof(PendingDocument), "PendingDocument")]
    [InlineData(typeof(PendingStatus), "PendingStatus")]
    [InlineData(typeof(Delivery), "Delivery")]
    [InlineData(typeof(TraceEvent), "TraceEvent")]
    [InlineData(typeof(Agency), "Agency")]
    public void Every_item_class_has_the_elements_of_its_xsd_type_in_order(Type type, string xsdType)
    {
        var set = Compile("lgsp-edoc.xsd");
        var complexType = (XmlSchemaComplexType)set.GlobalTypes[new XmlQualifiedName(xsdType, Ns)]!;
        var sequence = (XmlSchemaSequence)complexType.ContentTypeParticle;

        Assert.Equal(sequence.Items.Cast<XmlSchemaElement>().Select(e => e.Name), ElementOrder(type));
        Assert.Equal(Ns, type.GetCustomAttribute<XmlTypeAttribute>()!.Namespace);
    }

    [Fact]
    public void The_client_enumerates_the_same_outcomes_as_the_xsd()
    {
        var outcome = (XmlSchemaSimpleType)Compile("lgsp-edoc.xsd").GlobalTypes[new XmlQualifiedName("Outcome", Ns)]!;
        var facets = ((XmlSchemaSimpleTypeRestriction)outcome.Content!).Facets.OfType<XmlSchemaEnumerationFacet>().Select(f => f.Value);

        Assert.Equal(facets, typeof(Outcome).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.GetCustomAttribute<XmlEnumAttribute>()!.Name));
        Assert.Equal(facets, EdocContract.Outcomes);
    }

    private static IEnumerable<string> ElementOrder(Type type) => type.GetProperties()
        .Select(p => (p.Name, p.GetCustomAttribute<XmlElementAttribute>()!.Order))
        .OrderBy(p => p.Order)
        .Select(p => p.Name);

    private static IEnumerable<string> Sequence(XmlSchemaSet set, string element)
    {
        var declaration = (XmlSchemaElement)set.GlobalElements[new XmlQualifiedName(element, Ns)]!;
        var type = (XmlSchemaComplexType)declaration.ElementSchemaType!;
        return ((XmlSchemaSequence)type.ContentTypeParticle).Items.Cast<XmlSchemaElement>().Select(e => e.QualifiedName.Name);
    }

    private static XmlElement PortType(XmlDocument wsdl) =>
        wsdl.DocumentElement!.ChildNodes.OfType<XmlElement>().Single(e => e.LocalName == "portType");

    private static XmlDocument Wsdl()
    {
        var document = new XmlDocument { XmlResolver = null };
        using var reader = XmlReader.Create(SchemaPath("lgsp-edoc.wsdl"), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        document.Load(reader);
        return document;
    }
}
