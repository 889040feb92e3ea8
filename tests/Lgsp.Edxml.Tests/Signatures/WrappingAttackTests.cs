using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Tests.Pki;
using Lgsp.Edxml.Trust;
using static Lgsp.Edxml.Tests.Signatures.SignedPackages;

namespace Lgsp.Edxml.Tests.Signatures;

/// <summary>Signature wrapping: keep a valid signature, change what a reader would use.</summary>
public sealed class WrappingAttackTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private PackageSignatureVerifier Verifier() => new(SignaturePolicy.Default, new CertificateTrust(new TrustOptions
    {
        Roots = [fixture.Pki.Root],
        Intermediates = [fixture.Pki.Intermediate],
    }));

    private XmlDocument SignedDocument(string sample = "edoc_new.edxml") =>
        Load(PackageSigner.Sign(Sample(sample), fixture.Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ"), [fixture.Pki.Intermediate]));

    private static XmlElement First(XmlDocument document, string localName) =>
        (XmlElement)document.GetElementsByTagName(localName, SignedPackages.Edxml)[0]!;

    private static string[] Codes(SignatureVerdict verdict) => [.. verdict.Errors.Where(e => e.IsError).Select(e => e.Code)];

    [Fact]
    public void The_untouched_signed_document_is_trusted()
    {
        Assert.True(Verifier().Verify(SignedDocument()).IsTrusted);
    }

    [Fact]
    public void Moving_signed_content_breaks_the_digest()
    {
        var document = SignedDocument();
        var from = First(document, "From");
        var to = First(document, "To");
        from.ParentNode!.InsertAfter(from, to); // same elements, other order

        Assert.Equal([ErrorCode.SignatureDigestMismatch], Codes(Verifier().Verify(document)));
    }

    [Fact]
    public void Duplicating_signed_content_breaks_the_digest()
    {
        var document = SignedDocument();
        var to = First(document, "To");
        to.ParentNode!.InsertAfter(to.CloneNode(deep: true), to); // a second recipient

        Assert.Equal([ErrorCode.SignatureDigestMismatch], Codes(Verifier().Verify(document)));
    }

    [Fact]
    public void A_second_signature_is_refused_even_if_both_verify()
    {
        var document = SignedDocument();
        var copy = DsSignature(document).CloneNode(deep: true);
        First(document, "edXMLBody").AppendChild(copy);

        var verdict = Verifier().Verify(document);

        Assert.Equal([ErrorCode.SignatureMisplaced], Codes(verdict));
        Assert.Contains("2 XML signatures", verdict.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_outside_the_header_is_refused_although_it_still_verifies()
    {
        var document = SignedDocument();
        var signature = DsSignature(document);
        signature.ParentNode!.RemoveChild(signature);
        document.DocumentElement!.AppendChild(signature); // enveloped: the digest is unchanged

        var verdict = Verifier().Verify(document);

        Assert.Equal(SignatureStatus.Invalid, verdict.Status);
        Assert.Equal([ErrorCode.SignatureMisplaced], Codes(verdict));
        Assert.Contains("edXML", verdict.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signed_package_wrapped_in_another_root_is_refused()
    {
        var document = SignedDocument();
        var wrapper = document.CreateElement("Wrapper", SignedPackages.Edxml);
        var original = document.DocumentElement!;
        document.ReplaceChild(wrapper, original);
        wrapper.AppendChild(original);

        Assert.Equal([ErrorCode.SignatureMisplaced], Codes(Verifier().Verify(document)));
    }

    [Fact]
    public void Content_hidden_in_an_object_inside_the_signature_is_refused()
    {
        // Nothing inside an enveloped signature is signed: an Object carrying a forged recipient
        // would leave the digest intact and fool a reader that searches by element name.
        var document = SignedDocument();
        var forged = (XmlElement)First(document, "To").CloneNode(deep: true);
        forged.GetElementsByTagName("OrganId", SignedPackages.Edxml)[0]!.InnerText = "000.00.00.G99";
        var dsObject = document.CreateElement("Object", Ds);
        dsObject.AppendChild(forged);
        DsSignature(document).AppendChild(dsObject);

        var verdict = Verifier().Verify(document);

        Assert.Equal(SignatureStatus.Invalid, verdict.Status);
        Assert.Equal([ErrorCode.SignatureInvalid], Codes(verdict));
        Assert.Contains("Object", verdict.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Edxml_content_hidden_in_key_info_is_refused()
    {
        var document = SignedDocument();
        var forged = First(document, "To").CloneNode(deep: true);
        document.GetElementsByTagName("KeyInfo", Ds)[0]!.AppendChild(forged);

        var verdict = Verifier().Verify(document);

        Assert.Equal([ErrorCode.SignatureInvalid], Codes(verdict));
        Assert.Contains("edXML:To", verdict.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_nested_in_the_signature_is_refused()
    {
        var document = SignedDocument();
        var signature = DsSignature(document);
        var dsObject = document.CreateElement("Object", Ds);
        dsObject.AppendChild(signature.CloneNode(deep: true));
        signature.AppendChild(dsObject);

        Assert.Equal([ErrorCode.SignatureMisplaced], Codes(Verifier().Verify(document)));
    }

    [Fact]
    public void A_signature_moved_into_a_placeholder_position_of_another_document_does_not_verify()
    {
        // The signature of one package pasted into another package's header.
        var donor = SignedDocument("status_inbox_01.edxml");
        var target = Unsigned("status_finish_06.edxml");
        Header(target).AppendChild(target.ImportNode(DsSignature(donor), deep: true));

        Assert.Equal([ErrorCode.SignatureDigestMismatch], Codes(Verifier().Verify(target)));
    }
}
