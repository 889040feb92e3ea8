using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Tests.Pki;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Trust;
using static Lgsp.Edxml.Tests.Signatures.SignedPackages;

namespace Lgsp.Edxml.Tests.Signatures;

public sealed class PackageSignatureVerifierTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private TestPki Pki => fixture.Pki;

    private CertificateTrust Trust(ValidityTime validity = ValidityTime.Now) => new(new TrustOptions
    {
        Roots = [Pki.Root],
        Intermediates = [Pki.Intermediate],
        Crls = [RevocationList.Load(Pki.CreateCrl([])), RevocationList.Load(Pki.CreateRootCrl([]))],
        Validity = validity,
    });

    private PackageSignatureVerifier Verifier(SignaturePolicy? policy = null) => new(policy ?? SignaturePolicy.Default, Trust());

    private X509Certificate2 Signer(KeyKind kind = KeyKind.Rsa) => Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ", kind);

    private static string[] Codes(SignatureVerdict verdict) => [.. verdict.Errors.Select(e => e.Code)];

    public static TheoryData<string> SdkSamples()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(Repository.Root, "samples", "vxp-sdk"), "*.edxml").Order())
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SdkSamples))]
    public void No_sdk_sample_carries_a_real_signature(string sample)
    {
        var verdict = Verifier().Verify(Sample(sample));

        Assert.False(verdict.IsValid);
        Assert.False(verdict.IsTrusted);
        Assert.DoesNotContain(verdict.Errors, e => e.IsError);
        if (sample.StartsWith("edoc_", StringComparison.Ordinal))
        {
            // The SDK writes a Signature block in the edXML namespace that does not verify.
            Assert.Equal(SignatureStatus.Placeholder, verdict.Status);
            var warning = Assert.Single(verdict.Errors);
            Assert.Equal(ErrorCode.SignaturePlaceholder, warning.Code);
            Assert.Equal("Signature", warning.Field);
            Assert.Contains("edXML namespace", warning.Message, StringComparison.Ordinal);
        }
        else
        {
            // The status samples carry no signature element at all.
            Assert.Equal(SignatureStatus.Unsigned, verdict.Status);
            Assert.Empty(verdict.Errors);
        }
    }

    [Fact]
    public void A_required_signature_is_reported_missing_for_a_placeholder_and_for_nothing()
    {
        var verifier = Verifier(new SignaturePolicy { RequireSignature = true });

        var placeholder = verifier.Verify(Sample("edoc_new.edxml"));
        var unsigned = verifier.Verify(Sample("status_inbox_01.edxml"));

        Assert.Equal([ErrorCode.SignaturePlaceholder, ErrorCode.SignatureRequired], Codes(placeholder));
        Assert.Equal([ErrorCode.SignatureRequired], Codes(unsigned));
        Assert.True(unsigned.HasErrors);
    }

    [Fact]
    public void An_empty_digital_signature_element_is_a_placeholder()
    {
        var text = Text(Sample("status_inbox_01.edxml")).Replace("</edXML:MessageHeader>", "</edXML:MessageHeader><DigitalSignature/>", StringComparison.Ordinal);

        var verdict = Verifier().Verify(Bytes(text));

        Assert.Equal(SignatureStatus.Placeholder, verdict.Status);
        var warning = Assert.Single(verdict.Errors);
        Assert.Equal("DigitalSignature", warning.Field);
        Assert.Contains("empty", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<edXML:Subject>", 15, ErrorCode.SignatureDigestMismatch)] // header text
    [InlineData("<edXML:OrganId>", 15, ErrorCode.SignatureDigestMismatch)] // the sender code
    [InlineData("<edXML:edXMLManifest version=\"", 30, ErrorCode.SignatureDigestMismatch)] // an attribute value
    [InlineData("<edXML:edXMLManifest", 8, ErrorCode.MalformedXml)] // an element name (start tag only)
    [InlineData("UEsDBBQACAgIAEuSPE0", 7, ErrorCode.SignatureDigestMismatch)] // start of the attachment base64
    [InlineData("UEsDBBQACAgIAEuSPE0", 250_000, ErrorCode.SignatureDigestMismatch)] // deep in the attachment base64
    [InlineData("<SignatureValue>", 56, ErrorCode.SignatureInvalid)] // the signature value
    [InlineData("<DigestValue>", 23, ErrorCode.SignatureDigestMismatch)] // the digest value
    public void Tampering_one_byte_of_a_signed_package_is_detected(string marker, int distance, string expected)
    {
        var signed = PackageSigner.Sign(Sample("edoc_new.edxml"), Signer(), [Pki.Intermediate]);

        var verdict = Verifier().Verify(Tamper(signed, Offset(signed, marker, distance)));

        Assert.False(verdict.IsValid);
        Assert.False(verdict.IsTrusted);
        Assert.NotEqual(SignatureStatus.Valid, verdict.Status);
        Assert.Equal([expected], Codes(verdict));
    }

    [Fact]
    public void Tampering_bytes_spread_over_the_whole_attachment_is_always_detected()
    {
        var signed = PackageSigner.Sign(Sample("edoc_new.edxml"), Signer(), [Pki.Intermediate]);
        var start = Offset(signed, "UEsDBBQACAgIAEuSPE0");
        var end = Offset(signed, "</edXML:ContentTransferEncoded>");
        var verifier = Verifier();

        for (var i = start; i < end - 8; i += (end - start) / 12)
        {
            var verdict = verifier.Verify(Tamper(signed, i));
            Assert.Equal([ErrorCode.SignatureDigestMismatch], Codes(verdict));
        }
    }

    [Fact]
    public void The_untampered_package_verifies_from_a_stream_and_from_a_document()
    {
        var signed = PackageSigner.Sign(Sample("edoc_new.edxml"), Signer(), [Pki.Intermediate]);

        Assert.True(Verifier().Verify(new MemoryStream(signed)).IsTrusted);
        Assert.True(Verifier().Verify(Load(signed)).IsTrusted);
    }

    [Fact]
    public void Sha1_is_refused_by_default_and_accepted_when_the_policy_allows_it()
    {
        var document = Unsigned("edoc_new.edxml");
        SignByHand(document, Signer(), [WholeDocument(SignedXml.XmlDsigSHA1Url)], SignedXml.XmlDsigRSASHA1Url);

        var strict = Verifier().Verify(document);
        var legacy = Verifier(new SignaturePolicy { AllowSha1 = true }).Verify(document);

        Assert.Equal(SignatureStatus.Invalid, strict.Status);
        Assert.Equal([ErrorCode.SignatureAlgorithmNotAllowed, ErrorCode.SignatureAlgorithmNotAllowed], Codes(strict));
        Assert.Equal(XmlDsigAlgorithms.RsaSha1, strict.SignatureMethod);
        Assert.Equal(XmlDsigAlgorithms.Sha1, strict.DigestMethod);
        Assert.Equal(SignatureStatus.Valid, legacy.Status);
        Assert.True(legacy.IsTrusted, string.Join("; ", legacy.Errors));
    }

    [Fact]
    public void A_sha256_digest_under_an_rsa_sha1_signature_is_still_refused()
    {
        var document = Unsigned("status_inbox_01.edxml");
        SignByHand(document, Signer(), signatureMethod: SignedXml.XmlDsigRSASHA1Url);

        var verdict = Verifier().Verify(document);

        var error = Assert.Single(verdict.Errors);
        Assert.Equal(ErrorCode.SignatureAlgorithmNotAllowed, error.Code);
        Assert.Equal("Signature/SignedInfo/SignatureMethod", error.Field);
    }

    [Theory]
    [InlineData(SignedXml.XmlDsigRSASHA384Url, SignedXml.XmlDsigSHA384Url, KeyKind.Rsa)]
    [InlineData(SignedXml.XmlDsigRSASHA512Url, SignedXml.XmlDsigSHA512Url, KeyKind.Rsa)]
    [InlineData(XmlDsigAlgorithms.EcdsaSha384, SignedXml.XmlDsigSHA256Url, KeyKind.EcdsaP256)]
    [InlineData(XmlDsigAlgorithms.EcdsaSha512, SignedXml.XmlDsigSHA512Url, KeyKind.EcdsaP256)]
    public void Every_allowed_algorithm_pair_verifies(string signatureMethod, string digest, KeyKind kind)
    {
        var document = Unsigned("status_inbox_01.edxml");
        SignByHand(document, Signer(kind), [WholeDocument(digest)], signatureMethod);

        var verdict = Verifier().Verify(document);

        Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors));
        Assert.Equal(signatureMethod, verdict.SignatureMethod);
    }

    [Fact]
    public void Inclusive_canonicalization_verifies()
    {
        var document = Unsigned("status_inbox_01.edxml");
        var reference = new Reference(string.Empty) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigC14NTransform());
        SignByHand(document, Signer(), [reference]);

        Assert.True(Verifier().Verify(document).IsTrusted);
    }

    [Fact]
    public void Exclusive_canonicalization_with_inclusive_namespaces_verifies()
    {
        var document = Unsigned("status_inbox_01.edxml");
        var reference = new Reference(string.Empty) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform(includeComments: false, "edXML"));
        SignByHand(document, Signer(), [reference]);

        var verdict = Verifier().Verify(document);

        Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors));
        Assert.Contains("PrefixList=\"edXML\"", DsSignature(document).OuterXml, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signed_info_canonicalization_with_comments_is_refused()
    {
        var document = Unsigned("status_inbox_01.edxml");
        SignByHand(document, Signer(), canonicalization: SignedXml.XmlDsigExcC14NWithCommentsTransformUrl);

        var error = Assert.Single(Verifier().Verify(document).Errors);

        Assert.Equal(ErrorCode.SignatureAlgorithmNotAllowed, error.Code);
        Assert.Equal("Signature/SignedInfo/CanonicalizationMethod", error.Field);
    }

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

    [Fact]
    public void A_signature_made_with_another_key_than_the_certificate_is_invalid()
    {
        var signed = Text(PackageSigner.Sign(Sample("status_inbox_01.edxml"), Signer(), [Pki.Intermediate]));
        var other = Pki.IssueOrganization("000.00.00.H41", "UBND Tỉnh Nghệ An");
        var realCert = Load(Bytes(signed)).GetElementsByTagName("X509Certificate", Ds)[0]!.InnerText;
        var swapped = signed.Replace(realCert, Convert.ToBase64String(other.RawData), StringComparison.Ordinal);
        Assert.NotEqual(signed, swapped);

        var verdict = Verifier().Verify(Bytes(swapped));

        Assert.Equal(SignatureStatus.Invalid, verdict.Status);
        Assert.Equal([ErrorCode.SignatureInvalid], Codes(verdict));
        Assert.Equal("Signature/SignatureValue", verdict.Errors[0].Field);
        Assert.Equal(other.RawData, verdict.Signer!.RawData);
    }

    [Fact]
    public void An_ecdsa_method_over_an_rsa_certificate_is_invalid()
    {
        var signed = Text(PackageSigner.Sign(Sample("status_inbox_01.edxml"), Signer(KeyKind.EcdsaP256), [Pki.Intermediate]));
        var rsa = Pki.IssueOrganization("000.00.00.H41", "UBND Tỉnh Nghệ An");
        var ecCert = Load(Bytes(signed)).GetElementsByTagName("X509Certificate", Ds)[0]!.InnerText;

        var verdict = Verifier().Verify(Bytes(signed.Replace(ecCert, Convert.ToBase64String(rsa.RawData), StringComparison.Ordinal)));

        var error = Assert.Single(verdict.Errors);
        Assert.Equal(ErrorCode.SignatureInvalid, error.Code);
        Assert.Contains("does not fit the key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_signature_by_an_untrusted_certificate_is_valid_but_not_trusted()
    {
        using var other = TestPki.Create("Unknown CA");
        var stranger = other.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");

        var verdict = Verifier().Verify(PackageSigner.Sign(Sample("edoc_new.edxml"), stranger, [other.Intermediate]));

        Assert.Equal(SignatureStatus.Valid, verdict.Status);
        Assert.True(verdict.IsValid);
        Assert.False(verdict.IsTrusted);
        Assert.False(verdict.Chain!.IsTrusted);
        var error = Assert.Single(verdict.Errors, e => e.IsError);
        Assert.Equal(ErrorCode.CertificateUntrustedRoot, error.Code);
        Assert.Equal("Signature/KeyInfo", error.Field);
    }

    [Fact]
    public void Without_a_trust_decision_a_signature_is_valid_but_never_trusted()
    {
        var signed = PackageSigner.Sign(Sample("edoc_new.edxml"), Signer());

        var verdict = new PackageSignatureVerifier(SignaturePolicy.Default, trust: null).Verify(signed);

        Assert.Equal(SignatureStatus.Valid, verdict.Status);
        Assert.True(verdict.IsValid);
        Assert.False(verdict.IsTrusted);
        Assert.Null(verdict.Chain);
        Assert.Empty(verdict.Errors);
    }

    [Fact]
    public void A_signer_expired_now_is_trusted_at_a_trusted_signing_time_when_the_policy_says_so()
    {
        var expired = Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ", options: new CertificateOptions
        {
            NotBefore = DateTimeOffset.UtcNow.AddYears(-3),
            NotAfter = DateTimeOffset.UtcNow.AddYears(-1),
        });
        var signed = PackageSigner.Sign(Sample("edoc_new.edxml"), expired, [Pki.Intermediate]);

        var now = Verifier().Verify(signed, DateTimeOffset.UtcNow.AddYears(-2));
        var atSigning = new PackageSignatureVerifier(SignaturePolicy.Default, Trust(ValidityTime.SigningTime)).Verify(signed, DateTimeOffset.UtcNow.AddYears(-2));

        Assert.False(now.IsTrusted);
        Assert.Contains(ErrorCode.CertificateExpired, Codes(now));
        Assert.True(atSigning.IsTrusted, string.Join("; ", atSigning.Errors));
        Assert.Equal(ValidityBasis.SigningTime, atSigning.Chain!.ValidityBasis);
    }

    [Fact]
    public void Malformed_xml_gives_an_invalid_verdict_instead_of_an_exception()
    {
        var verdict = Verifier().Verify(Bytes("<?xml version=\"1.0\"?><edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"><unclosed></edXML>"));

        Assert.Equal(SignatureStatus.Invalid, verdict.Status);
        Assert.Equal([ErrorCode.MalformedXml], Codes(verdict));
    }

    [Fact]
    public void A_dtd_gives_an_invalid_verdict()
    {
        var verdict = Verifier().Verify(Bytes("<?xml version=\"1.0\"?><!DOCTYPE edXML [<!ENTITY x \"y\">]><edXML/>"));

        Assert.Equal([ErrorCode.DtdProhibited], Codes(verdict));
    }

    [Fact]
    public void A_document_loaded_without_whitespace_is_refused()
    {
        var document = new XmlDocument { PreserveWhitespace = false };
        document.LoadXml("<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"/>");

        Assert.Throws<ArgumentException>(() => Verifier().Verify(document));
    }

    [Fact]
    public void One_verifier_serves_concurrent_verifications()
    {
        var verifier = Verifier();
        var good = PackageSigner.Sign(Sample("status_inbox_01.edxml"), Signer(KeyKind.EcdsaP256), [Pki.Intermediate]);
        var bad = Tamper(good, Offset(good, "<edXML:StatusCode>", "<edXML:StatusCode>".Length + 1));

        var results = Enumerable.Range(0, 16).AsParallel().Select(i => verifier.Verify(i % 2 == 0 ? good : bad)).ToList();

        Assert.All(results.Where((_, i) => i % 2 == 0), v => Assert.True(v.IsTrusted));
        Assert.All(results.Where((_, i) => i % 2 == 1), v => Assert.Equal([ErrorCode.SignatureDigestMismatch], Codes(v)));
    }
}
