using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures;
using static Lgsp.Edxml.Tests.Signatures.SignedPackages;

namespace Lgsp.Edxml.Tests.Signatures;

// A changed byte anywhere in a signed package is detected; the untouched package verifies.
public sealed partial class PackageSignatureVerifierTests
{
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
}
