using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Tests.Pki;
using Lgsp.Edxml.Trust;
using static Lgsp.Edxml.Tests.Signatures.SignedPackages;

namespace Lgsp.Edxml.Tests.Signatures;

public sealed partial class PackageSignerTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private TestPki Pki => fixture.Pki;

    private PackageSignatureVerifier Verifier() => new(SignaturePolicy.Default, new CertificateTrust(new TrustOptions
    {
        Roots = [Pki.Root],
        Crls = [RevocationList.Load(Pki.CreateCrl([])), RevocationList.Load(Pki.CreateRootCrl([]))],
    }));

    [Theory]
    [InlineData(KeyKind.Rsa, XmlDsigAlgorithms.RsaSha256)]
    [InlineData(KeyKind.EcdsaP256, XmlDsigAlgorithms.EcdsaSha256)]
    public void A_signed_sdk_package_verifies_and_is_trusted(KeyKind kind, string expectedMethod)
    {
        var signer = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ", kind);

        var signed = PackageSigner.Sign(Sample("edoc_new.edxml"), signer, [Pki.Intermediate]);
        var verdict = Verifier().Verify(signed);

        Assert.Equal(SignatureStatus.Valid, verdict.Status);
        Assert.True(verdict.IsValid);
        Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors));
        Assert.Empty(verdict.Errors);
        Assert.Equal(expectedMethod, verdict.SignatureMethod);
        Assert.Equal(XmlDsigAlgorithms.Sha256, verdict.DigestMethod);
        Assert.Equal(signer.RawData, verdict.Signer!.RawData);
        Assert.Equal([signer.RawData, Pki.Intermediate.RawData], verdict.KeyInfoCertificates.Select(c => c.RawData));
    }

    [Theory]
    [InlineData("status_acceptance_03.edxml")]
    [InlineData("status_change-rejection_16.edxml")]
    public void A_signed_status_package_verifies_and_is_trusted(string sample)
    {
        var signer = Pki.IssueOrganization("000.00.00.H41", "UBND Tỉnh Nghệ An");

        var verdict = Verifier().Verify(PackageSigner.Sign(Sample(sample), signer, [Pki.Intermediate]));

        Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors));
    }

    [Fact]
    public void The_signature_is_the_last_child_of_the_header_and_the_placeholder_is_gone()
    {
        var signer = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");

        var document = Load(PackageSigner.Sign(Sample("edoc_new.edxml"), signer));

        var header = Header(document);
        var last = Assert.IsType<XmlElement>(header.LastChild);
        Assert.Equal(("Signature", Ds), (last.LocalName, last.NamespaceURI));
        Assert.Single(document.GetElementsByTagName("Signature", Ds).Cast<XmlNode>());
        Assert.Empty(document.GetElementsByTagName("Signature", SignedPackages.Edxml).Cast<XmlNode>());
    }

    [Fact]
    public void The_signed_package_uses_exclusive_canonicalization_and_one_whole_document_reference()
    {
        var signer = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");

        var signature = DsSignature(Load(PackageSigner.Sign(Sample("edoc_new.edxml"), signer)));

        var ns = new XmlNamespaceManager(new NameTable());
        ns.AddNamespace("ds", Ds);
        Assert.Equal(XmlDsigAlgorithms.ExclusiveC14N, signature.SelectSingleNode("ds:SignedInfo/ds:CanonicalizationMethod/@Algorithm", ns)!.Value);
        var reference = Assert.Single(signature.SelectNodes("ds:SignedInfo/ds:Reference", ns)!.Cast<XmlElement>());
        Assert.Equal("", reference.GetAttribute("URI"));
        Assert.Equal(
            [XmlDsigAlgorithms.EnvelopedSignature, XmlDsigAlgorithms.ExclusiveC14N],
            reference.SelectNodes("ds:Transforms/ds:Transform/@Algorithm", ns)!.Cast<XmlNode>().Select(a => a.Value));
    }

    [Fact]
    public void Everything_but_the_junk_and_the_placeholder_is_kept_byte_for_byte()
    {
        var original = Text(Sample("edoc_new.edxml"));
        var signer = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");

        var signed = Text(PackageSigner.Sign(Bytes(original), signer));

        // Expected: junk dropped, the placeholder cut out with the indentation before it.
        var xml = original[original.IndexOf("<?xml", StringComparison.Ordinal)..];
        var placeholderStart = xml.IndexOf("<Signature>", StringComparison.Ordinal);
        var placeholderEnd = xml.IndexOf("</Signature>", StringComparison.Ordinal) + "</Signature>".Length;
        var indentStart = placeholderStart;
        while (char.IsWhiteSpace(xml[indentStart - 1]))
        {
            indentStart--;
        }

        var expected = xml[..indentStart] + xml[placeholderEnd..];
        var withoutSignature = DsSignatureText().Replace(signed, "");

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<edXML ", signed);
        Assert.Equal(expected, withoutSignature);
        Assert.Contains("\r\n", signed);
    }

    [Fact]
    public void A_package_without_a_header_is_refused()
    {
        var signer = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");
        var headerless = "<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"><edXMLEnvelope><edXMLBody/></edXMLEnvelope></edXML>";

        var ex = Assert.Throws<EdxmlFormatException>(() => PackageSigner.Sign(Bytes(headerless), signer));

        Assert.Equal(ErrorCode.MissingField, ex.Error.Code);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r")]
    public void Astral_characters_tabs_comments_and_any_line_ending_keep_the_edit_in_place(string newline)
    {
        // Characters outside the basic plane count twice in the parser's columns, and every kind
        // of line ending counts once: the byte offsets must still land on the placeholder.
        var lines = new[]
        {
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">",
            "\t<edXMLEnvelope>",
            "\t\t<edXMLHeader>",
            "\t\t\t<MessageHeader><Subject>Ký 😀 𝒜 văn bản</Subject><!-- 🎉 --></MessageHeader>\t😀",
            "\t\t\t<Note>a</Note><Signature><SignedInfo>😀</SignedInfo></Signature><!-- after -->",
            "\t\t\t<DigitalSignature a='>' b=\"'\"/>",
            "\t\t</edXMLHeader>",
            "\t</edXMLEnvelope>",
            "</edXML>",
        };
        var original = string.Join(newline, lines) + newline;
        var expected = original
            .Replace("<Signature><SignedInfo>😀</SignedInfo></Signature>", "", StringComparison.Ordinal)
            .Replace(newline + "\t\t\t<DigitalSignature a='>' b=\"'\"/>", "", StringComparison.Ordinal);
        var signer = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ", KeyKind.EcdsaP256);

        var signed = PackageSigner.Sign(Bytes(original), signer, [Pki.Intermediate]);

        Assert.Equal(expected, DsSignatureText().Replace(Text(signed), ""));
        Assert.Contains(newline + "\t\t<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">", Text(signed), StringComparison.Ordinal);
        Assert.Contains("</Signature></edXMLHeader>", Text(signed), StringComparison.Ordinal);
        Assert.True(Verifier().Verify(signed).IsTrusted);
    }

    [Fact]
    public void A_byte_order_mark_is_dropped()
    {
        var signer = Pki.IssueOrganization("000.00.00.H41", "UBND Tỉnh Nghệ An");
        var withBom = (byte[])[0xEF, 0xBB, 0xBF, .. Sample("status_inbox_01.edxml")];

        var signed = PackageSigner.Sign(withBom, signer);

        Assert.Equal((byte)'<', signed[0]);
        Assert.True(Verifier().Verify(signed).IsValid);
    }

    [Theory]
    [InlineData("<DigitalSignature/>")]
    [InlineData("<DigitalSignature></DigitalSignature>")]
    [InlineData("<edXML:DigitalSignature attr=\"a > b\"/>")]
    [InlineData("<Signature xmlns=\"\"><SignatureValue>x</SignatureValue></Signature>")]
    public void Placeholders_of_other_producers_are_removed_too(string placeholder)
    {
        var text = Text(Sample("status_inbox_01.edxml"));
        var withPlaceholder = text.Replace("</edXML:MessageHeader>", "</edXML:MessageHeader>\r\n      " + placeholder, StringComparison.Ordinal);
        Assert.NotEqual(text, withPlaceholder);
        var signer = Pki.IssueOrganization("000.00.00.H41", "UBND Tỉnh Nghệ An");

        var signed = PackageSigner.Sign(Bytes(withPlaceholder), signer, [Pki.Intermediate]);
        var verdict = Verifier().Verify(signed);

        Assert.DoesNotContain("DigitalSignature", Text(signed), StringComparison.Ordinal);
        Assert.DoesNotContain("xmlns=\"\"", Text(signed), StringComparison.Ordinal);
        Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors));
    }

    [Fact]
    public void A_self_signed_root_in_the_chain_is_left_out_of_key_info()
    {
        var signer = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");

        var verdict = Verifier().Verify(PackageSigner.Sign(Sample("edoc_new.edxml"), signer, [signer, Pki.Intermediate, Pki.Root]));

        Assert.Equal([signer.RawData, Pki.Intermediate.RawData], verdict.KeyInfoCertificates.Select(c => c.RawData));
    }

    [Fact]
    public void A_stream_is_signed_like_bytes()
    {
        var signer = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");
        using var stream = new MemoryStream(Sample("edoc_update.edxml"));

        Assert.True(Verifier().Verify(PackageSigner.Sign(stream, signer, [Pki.Intermediate])).IsTrusted);
    }

    [Fact]
    public void An_already_signed_package_is_refused()
    {
        var signer = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");
        var signed = PackageSigner.Sign(Sample("edoc_new.edxml"), signer);

        Assert.Throws<ArgumentException>(() => PackageSigner.Sign(signed, signer));
    }

    [Fact]
    public void A_certificate_without_a_private_key_cannot_sign()
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ").RawData);

        Assert.Throws<ArgumentException>(() => PackageSigner.Sign(Sample("edoc_new.edxml"), publicOnly));
    }

    [Fact]
    public void A_document_that_is_not_edxml_is_refused()
    {
        var signer = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");

        var ex = Assert.Throws<EdxmlFormatException>(() => PackageSigner.Sign(Bytes("<?xml version=\"1.0\"?><other><x/></other>"), signer));

        Assert.Equal(ErrorCode.NotEdxml, ex.Error.Code);
    }

    [Fact]
    public void A_package_in_another_encoding_is_refused()
    {
        var signer = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");
        var latin1 = Text(Sample("status_inbox_01.edxml")).Replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"", StringComparison.Ordinal);

        Assert.Throws<NotSupportedException>(() => PackageSigner.Sign(System.Text.Encoding.Latin1.GetBytes(latin1.Replace("ỉ", "i").Replace("ệ", "e")), signer));
    }

    [GeneratedRegex("<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">.*?</Signature>", RegexOptions.Singleline)]
    private static partial Regex DsSignatureText();
}
