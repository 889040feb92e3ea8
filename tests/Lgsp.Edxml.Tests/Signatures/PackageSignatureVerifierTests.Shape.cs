using System.Security.Cryptography.Xml;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures;
using static Lgsp.Edxml.Tests.Signatures.SignedPackages;

namespace Lgsp.Edxml.Tests.Signatures;

// The shape of the signature: transforms, references and key info refused unless exactly as edXML signs.
public sealed partial class PackageSignatureVerifierTests
{
    [Fact]
    public void An_xpath_transform_is_refused()
    {
        var document = Unsigned("edoc_new.edxml");
        var xpath = new XmlDocument();
        xpath.LoadXml("<XPath xmlns:dsig=\"http://www.w3.org/2000/09/xmldsig#\">not(ancestor-or-self::dsig:Signature)</XPath>");
        var transform = new XmlDsigXPathTransform();
        transform.LoadInnerXml(xpath.ChildNodes);
        var reference = new Reference(string.Empty) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(transform);
        reference.AddTransform(new XmlDsigExcC14NTransform());
        SignByHand(document, Signer(), [reference]);

        var verdict = Verifier().Verify(document);

        Assert.Equal(SignatureStatus.Invalid, verdict.Status);
        var error = Assert.Single(verdict.Errors);
        Assert.Equal(ErrorCode.SignatureTransformNotAllowed, error.Code);
        Assert.Contains(SignedXml.XmlDsigXPathTransformUrl, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_xslt_transform_is_refused()
    {
        var signed = Text(PackageSigner.Sign(Sample("status_inbox_01.edxml"), Signer(), [Pki.Intermediate]));
        var withXslt = signed.Replace(
            "<Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\" />",
            "<Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\" />",
            StringComparison.Ordinal);
        Assert.NotEqual(signed, withXslt);

        var verdict = Verifier().Verify(Bytes(withXslt));

        Assert.Equal([ErrorCode.SignatureTransformNotAllowed], Codes(verdict));
    }

    [Fact]
    public void Transforms_out_of_order_are_refused()
    {
        var document = Unsigned("status_inbox_01.edxml");
        var reference = new Reference(string.Empty) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigExcC14NTransform());
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        SignByHand(document, Signer(), [reference]);

        Assert.Equal([ErrorCode.SignatureTransformNotAllowed], Codes(Verifier().Verify(document)));
    }

    [Fact]
    public void Two_references_are_refused()
    {
        var document = Unsigned("edoc_new.edxml");
        SignByHand(document, Signer(), [WholeDocument(), WholeDocument()]);

        var verdict = Verifier().Verify(document);

        var error = Assert.Single(verdict.Errors);
        Assert.Equal(ErrorCode.SignatureReferenceInvalid, error.Code);
        Assert.Contains("found 2 references", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reference_to_an_element_id_is_refused()
    {
        var document = Unsigned("edoc_new.edxml");
        var messageHeader = (XmlElement)document.GetElementsByTagName("MessageHeader", SignedPackages.Edxml)[0]!;
        messageHeader.SetAttribute("Id", "x");
        var reference = new Reference("#x") { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigExcC14NTransform());
        SignByHand(document, Signer(), [reference]);

        var verdict = Verifier().Verify(document);

        var error = Assert.Single(verdict.Errors);
        Assert.Equal(ErrorCode.SignatureReferenceInvalid, error.Code);
        Assert.Contains("\"#x\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_without_key_info_is_refused()
    {
        var document = Unsigned("status_inbox_01.edxml");
        SignByHand(document, Signer(), keyInfo: false);

        var verdict = Verifier().Verify(document);

        Assert.Equal([ErrorCode.SignatureCertificateMissing], Codes(verdict));
        Assert.Null(verdict.Signer);
    }
}
