using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Tests.Pki;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Trust;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Tests.Signatures;

/// <summary>
/// A <c>SignatureValue</c> that is not base64 is an invalid signature, never an exception: SignedXml
/// decodes it while loading the signature and lets the decoder's <see cref="FormatException"/> out, which
/// the fuzz tests found escaping the verifiers (docs/security.md, "Fuzzing").
/// </summary>
public sealed class MalformedSignatureValueTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private X509Certificate2 Signer() => fixture.Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");

    private PackageSignatureVerifier Verifier() => new(SignaturePolicy.Default, new CertificateTrust(new TrustOptions
    {
        Roots = [fixture.Pki.Root],
        Intermediates = [fixture.Pki.Intermediate],
    }));

    /// <summary>The first <c>SignatureValue</c> start tag followed by a character outside the base64 alphabet.</summary>
    private static string Damaged(byte[] signed)
    {
        var text = Encoding.UTF8.GetString(signed);
        var at = text.IndexOf("SignatureValue>", StringComparison.Ordinal) + "SignatureValue>".Length;
        return text.Insert(at, "!");
    }

    private static byte[] SignedStatus(X509Certificate2 signer, X509Certificate2 intermediate) =>
        PackageSigner.Sign(File.ReadAllBytes(Repository.Sample("status_inbox_01.edxml")), signer, [intermediate]);

    [Fact]
    public void A_package_whose_signature_value_is_not_base64_has_an_invalid_signature()
    {
        var damaged = Damaged(SignedStatus(Signer(), fixture.Pki.Intermediate));

        var verdict = Verifier().Verify(Encoding.UTF8.GetBytes(damaged));

        Assert.Equal(SignatureStatus.Invalid, verdict.Status);
        Assert.False(verdict.IsValid);
        var error = Assert.Single(verdict.Errors, e => e.IsError);
        Assert.Equal(ErrorCode.SignatureInvalid, error.Code);
        Assert.Equal("Signature", error.Field);
        Assert.Contains("not valid base64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parsed_package_whose_signature_value_is_not_base64_has_an_invalid_signature()
    {
        // Loaded as the verifier loads bytes itself, so that only the signature value is wrong.
        var document = SafeXml.LoadDocument(new MemoryStream(Encoding.UTF8.GetBytes(Damaged(SignedStatus(Signer(), fixture.Pki.Intermediate)))), XmlLimits.Default);

        var verdict = Verifier().Verify(document);

        Assert.Equal(SignatureStatus.Invalid, verdict.Status);
        var error = Assert.Single(verdict.Errors, e => e.IsError);
        Assert.Equal(ErrorCode.SignatureInvalid, error.Code);
        Assert.Contains("not valid base64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signed_document_whose_signature_value_is_not_base64_is_not_valid()
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        document.AppendChild(document.CreateElement("Statement", "urn:test:statement"))!.InnerText = "head 00ff";
        var signed = SignedXmlDocument.Sign(document, Signer(), [fixture.Pki.Intermediate]);

        var verdict = SignedXmlDocument.Verify(Encoding.UTF8.GetBytes(Damaged(signed)), new SignerCheck(new CertificateTrust(new TrustOptions { Roots = [fixture.Pki.Root] })), DateTimeOffset.UtcNow);

        Assert.False(verdict.IsValid);
        Assert.False(verdict.IsTrusted);
        Assert.StartsWith("the signature cannot be read: ", verdict.Problem, StringComparison.Ordinal);
    }
}
