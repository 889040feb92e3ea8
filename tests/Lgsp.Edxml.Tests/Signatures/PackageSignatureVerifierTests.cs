using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Tests.Pki;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Trust;
using static Lgsp.Edxml.Tests.Signatures.SignedPackages;

namespace Lgsp.Edxml.Tests.Signatures;

public sealed partial class PackageSignatureVerifierTests(PkiFixture fixture) : IClassFixture<PkiFixture>
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
