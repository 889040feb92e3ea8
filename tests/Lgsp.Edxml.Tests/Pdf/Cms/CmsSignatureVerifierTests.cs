using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Lgsp.Edxml.Pdf;
using Lgsp.Edxml.Pdf.Cms;
using Lgsp.Edxml.Testing.Pdf.Cms;

namespace Lgsp.Edxml.Tests.Pdf.Cms;

/// <summary>
/// Cross-checks the hand-written CMS verification (digest over the PDF byte ranges, signature over
/// the signed attributes) against <c>SignedCms</c> on the same inputs. <c>SignedCms</c> comes with the
/// System.Security.Cryptography.Pkcs package, a dependency of the XML-signature package; the library
/// itself does not use it (ADR 0001, ADR 0006).
/// </summary>
public class CmsSignatureVerifierTests
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        // sample (seal = RSA with signingTime, personal = ECDSA CAdES), damage, expected verdict
        { "seal", "none", true },
        { "seal", "content", false },
        { "seal", "signature value", false },
        { "seal", "message digest", false },
        { "seal", "signing time", false },
        { "seal", "unused certificate", true },
        { "personal", "none", true },
        { "personal", "content", false },
        { "personal", "signature value", false },
        { "personal", "message digest", false },
        { "personal", "signer public key", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_hand_verification_agrees_with_SignedCms(string sample, string damage, bool expected)
    {
        var (content, der) = Sample(sample);
        switch (damage)
        {
            case "content":
                content[content.Length / 2] ^= 1;
                break;
            case "signature value":
                der[^3] ^= 1;
                break;
            case "message digest":
                der[IndexOf(der, [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x04]) + 17] ^= 1;
                break;
            case "signing time":
                der[IndexOf(der, [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x05]) + 15] ^= 1;
                break;
            case "unused certificate":
                der[IndexOf(der, PdfTestCertificates.Intermediate.RawData) + PdfTestCertificates.Intermediate.RawData.Length - 5] ^= 1;
                break;
            case "signer public key":
                der[IndexOf(der, PdfTestCertificates.Personal.PublicKey.EncodedKeyValue.RawData) + 40] ^= 1;
                break;
        }

        var byHand = VerifyByHand(content, der);
        var bySignedCms = VerifyWithSignedCms(content, der);

        Assert.Equal(bySignedCms, byHand);
        Assert.Equal(expected, byHand);
    }

    public static TheoryData<string, string, string> ForeignSignatures => new()
    {
        // key, signer identifier, digest algorithm (SignedCms writes these, the hand verifier reads them)
        { "rsa-pkcs1", "IssuerAndSerialNumber", CmsOids.Sha256 },
        { "rsa-pss", "SubjectKeyIdentifier", CmsOids.Sha384 },
        { "rsa-pss", "IssuerAndSerialNumber", CmsOids.Sha256 },
        { "ecdsa", "SubjectKeyIdentifier", CmsOids.Sha512 },
        { "rsa-pkcs1", "IssuerAndSerialNumber", CmsOids.Sha1 },
    };

    [Theory]
    [MemberData(nameof(ForeignSignatures))]
    public void Detached_signatures_written_by_SignedCms_verify_by_hand(string key, string signerIdentifier, string digest)
    {
        var content = Encoding.UTF8.GetBytes("Nội dung văn bản được ký số");
        var certificate = key == "ecdsa" ? PdfTestCertificates.Personal : PdfTestCertificates.Organization;
        var der = SignWithSignedCms(content, certificate, signerIdentifier, digest, pss: key == "rsa-pss");

        Assert.True(VerifyByHand(content, der, CmsOids.Hash(digest)!.Value));
        content[0] ^= 1;
        Assert.False(VerifyByHand(content, der, CmsOids.Hash(digest)!.Value));
    }

    [Fact]
    public void An_encapsulated_signature_from_the_writer_verifies_with_SignedCms_and_by_hand()
    {
        var content = Encoding.ASCII.GetBytes("time-stamp token info stand-in");
        var der = CmsSignedDataWriter.Sign(
            PdfTestCertificates.Organization, CmsOids.Data, SHA256.HashData(content), content, encapsulate: true,
            [(CmsOids.SigningTime, CmsSignedDataWriter.SigningTime(PdfSamples.SealTime))], [PdfTestCertificates.Organization]);

        var cms = CmsSignedData.Decode(der);
        Assert.Equal(content, cms.EncapsulatedContent!.Value.ToArray());
        Assert.Null(CmsSignatureVerifier.Verify(cms, cms.Signers[0], SHA256.HashData(content)));
        Assert.Equal(PdfSamples.SealTime, cms.Signers[0].SigningTime);

        var signedCms = new SignedCms();
        signedCms.Decode(der);
        signedCms.CheckSignature(true);
    }

    [Fact]
    public void A_signer_without_its_certificate_in_the_cms_does_not_verify()
    {
        var content = new byte[] { 1, 2, 3 };
        var der = CmsSignedDataWriter.Sign(
            PdfTestCertificates.Organization, CmsOids.Data, SHA256.HashData(content), [], encapsulate: false, [],
            [PdfTestCertificates.Intermediate]);

        var cms = CmsSignedData.Decode(der);

        Assert.Null(cms.Signers[0].Certificate);
        Assert.Contains("no certificate", CmsSignatureVerifier.Verify(cms, cms.Signers[0], SHA256.HashData(content)));
    }

    [Fact]
    public void Bytes_that_are_not_a_cms_signed_data_are_refused_with_a_format_exception()
    {
        Assert.Throws<CmsFormatException>(() => CmsSignedData.Decode(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 }));
        Assert.Throws<CmsFormatException>(() => CmsSignedData.Decode(PdfTestCertificates.Organization.RawData));
        Assert.Throws<CmsFormatException>(() => CmsSignedData.EncodedLength(new byte[] { 0x30, 0x85 }));
    }

    private static (byte[] Content, byte[] Der) Sample(string name)
    {
        var pdf = PdfSamples.TwiceSignedPdf;
        var signature = new PdfSignatureInspector().Inspect(pdf).Signatures[name == "seal" ? 0 : 1];
        var r = signature.ByteRange;
        var content = pdf[..(int)r[1]].Concat(pdf[(int)r[2]..(int)(r[2] + r[3])]).ToArray();
        return (content, PdfSignatureInspectorTests.Contents(pdf, signature));
    }

    private static bool VerifyByHand(byte[] content, byte[] der, HashAlgorithmName? hash = null)
    {
        try
        {
            var cms = CmsSignedData.Decode(der);
            var digest = CryptographicOperations.HashData(hash ?? HashAlgorithmName.SHA256, content);
            return cms.Signers.Count > 0 && cms.Signers.All(s => CmsSignatureVerifier.Verify(cms, s, digest) is null);
        }
        catch (CmsFormatException)
        {
            return false;
        }
    }

    private static bool VerifyWithSignedCms(byte[] content, byte[] der)
    {
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        try
        {
            cms.Decode(der);
            cms.CheckSignature(true);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static byte[] SignWithSignedCms(byte[] content, X509Certificate2 certificate, string signerIdentifier, string digest, bool pss)
    {
        var signer = new CmsSigner(Enum.Parse<SubjectIdentifierType>(signerIdentifier), certificate);
        signer.DigestAlgorithm = new Oid(digest);
        signer.IncludeOption = X509IncludeOption.EndCertOnly;
        if (pss)
        {
            signer.SignaturePadding = RSASignaturePadding.Pss;
        }

        var cms = new SignedCms(new ContentInfo(content), detached: true);
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        var at = haystack.AsSpan().IndexOf(needle);
        Assert.True(at >= 0, "marker not found in the CMS");
        return at;
    }
}
