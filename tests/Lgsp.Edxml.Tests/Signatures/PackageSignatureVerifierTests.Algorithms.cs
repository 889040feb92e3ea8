using System.Security.Cryptography.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Testing.Pki;
using static Lgsp.Edxml.Tests.Signatures.SignedPackages;

namespace Lgsp.Edxml.Tests.Signatures;

// Which digest, signature and canonicalization algorithms are allowed.
public sealed partial class PackageSignatureVerifierTests
{
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
}
