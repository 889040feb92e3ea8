using System.Formats.Asn1;
using System.Security.Cryptography;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Pdf;
using Lgsp.Edxml.Pdf.Cms;
using Lgsp.Edxml.Testing.Pdf;
using Lgsp.Edxml.Testing.Pdf.Cms;

namespace Lgsp.Edxml.Tests.Pdf;

/// <summary>The sub-filters besides the two detached CMS profiles (document timestamps,
/// adbe.pkcs7.sha1, unsupported ones) and CMS shapes a PDF signature must not have.</summary>
public class PdfSignatureInspectorSubFilterTests
{
    private static readonly DateTimeOffset StampTime = new(2025, 3, 14, 3, 10, 0, TimeSpan.Zero);
    private static readonly PdfSignatureInspector Inspector = new(new X509ChainTestTrust(PdfTestCertificates.Root));

    [Fact]
    public void A_document_timestamp_is_verified_against_its_message_imprint_and_is_neither_organisation_nor_personal()
    {
        var pdf = AddDocumentTimestamp(PdfSamples.TwiceSignedPdf);

        var result = Inspector.Inspect(pdf);

        Assert.Empty(result.AllErrors);
        Assert.Equal(3, result.Signatures.Count);
        var stamp = result.Signatures[2];
        Assert.True(stamp.IsDocumentTimestamp);
        Assert.Equal(PdfSubFilters.Rfc3161, stamp.SubFilter);
        Assert.True(stamp.IsIntact);
        Assert.True(stamp.CoversWholeFile);
        Assert.Equal(StampTime, stamp.SigningTime);
        Assert.Equal(SignerKind.Unknown, stamp.Kind);
        Assert.Equal(PdfTestCertificates.TimestampAuthority.Thumbprint, stamp.SignerCertificate!.Thumbprint);
        Assert.True(stamp.Chain!.IsTrusted);
        Assert.True(result.Signatures[0].IsIntact && result.Signatures[1].IsIntact);
    }

    [Fact]
    public void A_document_timestamp_over_changed_bytes_is_invalid()
    {
        var pdf = AddDocumentTimestamp(PdfSamples.SealedPdf);
        pdf[PdfSamples.IndexOf(pdf, "Noi dung")] ^= 1;

        var stamp = Inspector.Inspect(pdf).Signatures[1];

        Assert.False(stamp.IsIntact);
        Assert.Contains(stamp.Errors, e => e.Code == ErrorCode.PdfSignatureInvalid && e.Message.Contains("imprint", StringComparison.Ordinal));
    }

    [Fact]
    public void An_adbe_pkcs7_sha1_signature_is_verified_and_reported_with_a_warning()
    {
        var pdf = AddSha1Signature(PdfSamples.Unsigned);

        var s = Assert.Single(Inspector.Inspect(pdf).Signatures);

        Assert.Equal(PdfSubFilters.Pkcs7Sha1, s.SubFilter);
        Assert.True(s.IsIntact);
        Assert.Equal(SignerKind.Organization, s.Kind);
        Assert.Equal(PdfSamples.SealTime, s.SigningTime);
        var warning = Assert.Single(s.Errors);
        Assert.Equal((ErrorCode.Tolerated, Severity.Warning), (warning.Code, warning.Severity));
    }

    [Fact]
    public void An_adbe_pkcs7_sha1_signature_over_changed_bytes_is_invalid()
    {
        var pdf = AddSha1Signature(PdfSamples.Unsigned);
        pdf[PdfSamples.IndexOf(pdf, "Noi dung")] ^= 1;

        var s = Assert.Single(Inspector.Inspect(pdf).Signatures);

        Assert.False(s.IsIntact);
        Assert.Contains(s.Errors, e => e.Code == ErrorCode.PdfSignatureInvalid);
    }

    [Fact]
    public void An_unsupported_sub_filter_is_reported_as_invalid_without_failing_the_others()
    {
        var result = Inspector.Inspect(AddUnsupportedSubFilter(PdfSamples.SealedPdf));

        Assert.True(result.Signatures[0].IsIntact);
        var legacy = result.Signatures[1];
        Assert.Equal("adbe.x509.rsa_sha1", legacy.SubFilter);
        Assert.False(legacy.IsIntact);
        Assert.Contains(legacy.Errors, e => e.Code == ErrorCode.PdfSignatureInvalid && e.Message.Contains("not supported", StringComparison.Ordinal));
    }

    [Fact]
    public void A_detached_signature_that_encapsulates_content_is_invalid()
    {
        var s = Assert.Single(Inspector.Inspect(AddEncapsulatingDetachedSignature(PdfSamples.Unsigned)).Signatures);

        Assert.False(s.IsIntact);
        Assert.Contains(s.Errors, e => e.Code == ErrorCode.PdfSignatureInvalid && e.Message.Contains("encapsulate", StringComparison.Ordinal));
    }

    private static byte[] DetachedCms(byte[] content) => CmsSignedDataWriter.Sign(
        PdfTestCertificates.Organization, CmsOids.Data, SHA256.HashData(content), [], encapsulate: false, [],
        [PdfTestCertificates.Organization]);

    /// <summary>A detached CMS under the sub-filter adbe.x509.rsa_sha1, which the inspector does not support.</summary>
    internal static byte[] AddUnsupportedSubFilter(byte[] pdf) => PdfSigning.AppendSignatureDictionary(
        pdf,
        new PdfSigning.SignatureDictionary("Sig", "adbe.x509.rsa_sha1", "Legacy", StampTime, null, null),
        DetachedCms,
        4096);

    /// <summary>adbe.pkcs7.detached whose CMS encapsulates the signed bytes, which a detached signature must not.</summary>
    internal static byte[] AddEncapsulatingDetachedSignature(byte[] pdf) => PdfSigning.AppendSignatureDictionary(
        pdf,
        new PdfSigning.SignatureDictionary("Sig", PdfSubFilters.Pkcs7Detached, null, StampTime, null, null),
        content => CmsSignedDataWriter.Sign(
            PdfTestCertificates.Organization, CmsOids.Data, SHA256.HashData(content), content, encapsulate: true, [],
            [PdfTestCertificates.Organization]),
        24_000);

    /// <summary>adbe.pkcs7.detached whose CMS carries its SignerInfo twice.</summary>
    internal static byte[] AddTwoSignerSignature(byte[] pdf) => PdfSigning.AppendSignatureDictionary(
        pdf,
        new PdfSigning.SignatureDictionary("Sig", PdfSubFilters.Pkcs7Detached, null, null, null, null),
        content => DuplicateSignerInfo(DetachedCms(content)),
        8192);

    /// <summary>An ETSI.RFC3161 document timestamp: a TSTInfo whose message imprint is the SHA-256 of
    /// the byte range, signed by the test TSA.</summary>
    internal static byte[] AddDocumentTimestamp(byte[] pdf) => PdfSigning.AppendSignatureDictionary(
        pdf,
        new PdfSigning.SignatureDictionary("DocTimeStamp", PdfSubFilters.Rfc3161, null, null, null, null),
        content =>
        {
            var tstInfo = TstInfo(SHA256.HashData(content));
            return CmsSignedDataWriter.Sign(
                PdfTestCertificates.TimestampAuthority, CmsOids.TstInfo, SHA256.HashData(tstInfo), tstInfo, encapsulate: true,
                [(CmsOids.SigningCertificateV2, CmsSignedDataWriter.SigningCertificateV2(PdfTestCertificates.TimestampAuthority))],
                [PdfTestCertificates.TimestampAuthority, PdfTestCertificates.Intermediate]);
        },
        8192);

    /// <summary>adbe.pkcs7.sha1: CMS encapsulating the SHA-1 digest of the byte range.</summary>
    internal static byte[] AddSha1Signature(byte[] pdf) => PdfSigning.AppendSignatureDictionary(
        pdf,
        new PdfSigning.SignatureDictionary("Sig", PdfSubFilters.Pkcs7Sha1, "Sha1", PdfSamples.SealTime, null, null),
        content =>
        {
            var digest = SHA1.HashData(content);
            return CmsSignedDataWriter.Sign(
                PdfTestCertificates.Organization, CmsOids.Data, SHA256.HashData(digest), digest, encapsulate: true,
                [(CmsOids.SigningTime, CmsSignedDataWriter.SigningTime(PdfSamples.SealTime))],
                [PdfTestCertificates.Organization]);
        },
        8192);

    private static byte[] TstInfo(byte[] imprint)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(1);
            w.WriteObjectIdentifier("1.3.6.1.4.1.99999.1");
            using (w.PushSequence())
            {
                using (w.PushSequence())
                {
                    w.WriteObjectIdentifier(CmsOids.Sha256);
                }

                w.WriteOctetString(imprint);
            }

            w.WriteInteger(42);
            w.WriteGeneralizedTime(StampTime, omitFractionalSeconds: true);
        }

        return w.Encode();
    }

    [Fact]
    public void A_cms_with_more_than_one_signer_is_invalid()
    {
        var s = Assert.Single(new PdfSignatureInspector().Inspect(AddTwoSignerSignature(PdfSamples.Unsigned)).Signatures);

        Assert.False(s.IsIntact);
        Assert.Contains(s.Errors, e => e.Code == ErrorCode.PdfSignatureInvalid && e.Message.Contains("2 signers", StringComparison.Ordinal));
    }

    /// <summary>Re-encodes a SignedData with its SignerInfo repeated.</summary>
    private static byte[] DuplicateSignerInfo(byte[] der)
    {
        var contentInfo = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        contentInfo.ReadObjectIdentifier();
        var signedData = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(CmsOids.SignedData);
            using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            using (w.PushSequence())
            {
                for (var i = 0; i < 4; i++)
                {
                    w.WriteEncodedValue(signedData.ReadEncodedValue().Span);
                }

                var signerInfo = signedData.ReadSetOf().ReadEncodedValue();
                using (w.PushSetOf())
                {
                    w.WriteEncodedValue(signerInfo.Span);
                    w.WriteEncodedValue(signerInfo.Span);
                }
            }
        }

        return w.Encode();
    }
}
