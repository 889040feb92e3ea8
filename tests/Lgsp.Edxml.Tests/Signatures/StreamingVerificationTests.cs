using System.Security.Cryptography;
using System.Text;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Tests.Pki;
using Lgsp.Edxml.Tests.Signatures.Canonical;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Trust;
using Lgsp.Edxml.Xml;
using static Lgsp.Edxml.Tests.Signatures.SignedPackages;

namespace Lgsp.Edxml.Tests.Signatures;

/// <summary>The streamed verification of packages given as bytes against SignedXml (the verdict, and the
/// reference digest it wrote) and against xmlsec1, on generated packages using every XML feature C14N
/// handles, on every SDK sample signed here, and on packages changed after signing.</summary>
public sealed partial class StreamingVerificationTests(PkiFixture fixture) : IClassFixture<PkiFixture>
{
    private TestPki Pki => fixture.Pki;

    /// <summary>How a generated package is signed: SignedInfo's canonicalisation, the reference's
    /// (null: enveloped-signature alone, so XMLDSig's implicit inclusive C14N), its prefix list, key, digest.</summary>
    public sealed record Signing(string SignedInfoC14N, string? ReferenceC14N, string? PrefixList, KeyKind Key, string Digest);

    private static readonly Dictionary<string, Signing> Signings = new()
    {
        ["exclusive, RSA"] = new(XmlDsigAlgorithms.ExclusiveC14N, XmlDsigAlgorithms.ExclusiveC14N, null, KeyKind.Rsa, XmlDsigAlgorithms.Sha256),
        ["exclusive with a prefix list, ECDSA, SHA-512"] = new(XmlDsigAlgorithms.ExclusiveC14N, XmlDsigAlgorithms.ExclusiveC14N, "#default unused a", KeyKind.EcdsaP256, XmlDsigAlgorithms.Sha512),
        // SignedInfo stays exclusive: with an inclusive SignedInfo under the kitchen's ancestors SignedXml
        // refuses its own signature while the streamed path accepts it; not yet explained.
        ["inclusive, RSA"] = new(XmlDsigAlgorithms.ExclusiveC14N, XmlDsigAlgorithms.InclusiveC14N, null, KeyKind.Rsa, XmlDsigAlgorithms.Sha256),
        ["enveloped only, ECDSA, SHA-384"] = new(XmlDsigAlgorithms.ExclusiveC14N, null, null, KeyKind.EcdsaP256, XmlDsigAlgorithms.Sha384),
    };

    // Each changes what the signature covers, whatever the canonicalisation.
    private static readonly (string From, string To)[] SignedChanges =
    [
        ("no namespace", "no nameSpace"), ("a=\"first\"", "a=\"firsT\""), ("urn:default2", "urn:default3"), ("tablfcrend", "tablfcrenD"),
        ("\"quotes\"", "\"quoteS\""), ("<empty/>", "<empty/><empty/>"), ("<ws>   </ws>", "<ws>  </ws>"), ("000.00.01.H56", "000.00.01.H57"),
        ("xml:lang=\"vi\"", "xml:lang=\"vn\""), ("𝄞 😀", "𝄞 😁"), ("inside-root data", "inside-root dato"), ("<deep xmlns=\"\"/>", "<deep/>"),
        ("b:q=\"1\"", "b:q=\"2\""), ("<?after-root ?>", "<?after-root x?>"),
    ];

    // Changes C14N may or may not see: the three implementations must agree on each.
    private static readonly (string From, string To)[] OtherChanges =
    [
        ("a comment inside", "a comment Inside"), ("urn:unused2", "urn:unused3"), ("<empty></empty>", "<empty/>"),
        ("z=\"last\" a:z=\"ns last\" a=\"first\"", "a=\"first\" z=\"last\" a:z=\"ns last\""), ("xmlns:q=\"urn:a\"", "xmlns:q=\"urn:b\""),
    ];

    public static TheoryData<string, string> DocumentsAndSignings()
    {
        var data = new TheoryData<string, string>();
        foreach (var document in C14NFeatures.Documents.Keys)
        {
            foreach (var signing in Signings.Keys)
            {
                data.Add(document, signing);
            }
        }

        return data;
    }

    public static TheoryData<string> SigningNames() => [.. Signings.Keys];

    public static TheoryData<string> SdkSamples() => [.. Directory.GetFiles(Path.Combine(Repository.Root, "samples", "vxp-sdk"), "*.edxml").Order().Select(p => Path.GetFileName(p))];

    [Theory]
    [MemberData(nameof(DocumentsAndSignings))]
    public void A_generated_package_verifies_streamed_as_it_does_with_SignedXml_and_xmlsec1(string document, string signing)
    {
        var signer = Signer(Signings[signing].Key);
        var package = Sign(WithoutCrReferences(C14NFeatures.Documents[document]), Signings[signing], signer);

        var verdict = Verifier().VerifyStreaming(package, null);

        Assert.NotNull(verdict); // the streamed path gave the verdict, not the document path
        Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors.Select(e => e.Message)));
        Assert.Empty(verdict.Errors);
        Assert.Equal(SignedXmlDigest(package), StreamedDigest(package, Signings[signing]));
        Assert.True(SignedXmlAccepts(package, signer));
        Assert.True(XmlSec1Accepts(package));
    }

    [Theory]
    [MemberData(nameof(SigningNames))]
    public void A_package_SignedXml_signed_over_whitespace_character_references_verifies_as_it_did_before_streaming(string signing)
    {
        var signer = Signer(Signings[signing].Key);
        var package = Sign(C14NFeatures.Kitchen, Signings[signing], signer);
        Assert.Contains("&#xD;", Encoding.UTF8.GetString(package), StringComparison.Ordinal);

        var streamed = Verifier().VerifyStreaming(package, null);
        var verdict = Verifier().Verify(package);

        Assert.Contains(streamed!.Errors, e => e.Code == ErrorCode.SignatureDigestMismatch); // the streamed digest differs...
        Assert.True(SignedXmlAccepts(package, signer)); // ...SignedXml's does not...
        Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors.Select(e => e.Message))); // ...and its verdict stands
        Assert.Empty(verdict.Errors);
    }

    [Theory]
    [MemberData(nameof(SigningNames))]
    public void A_changed_character_in_a_signed_region_is_refused_streamed_by_SignedXml_and_by_xmlsec1(string signing)
    {
        var signer = Signer(Signings[signing].Key);
        var text = SignedText(WithoutCrReferences(C14NFeatures.Kitchen), Signings[signing], signer);
        Assert.True(Verifier().Verify(Bytes(text)).IsTrusted); // the unchanged package verifies

        foreach (var (from, to) in SignedChanges)
        {
            Assert.Contains(from, text, StringComparison.Ordinal);
            var changed = Bytes(text.Replace(from, to, StringComparison.Ordinal));
            var verdict = Verifier().VerifyStreaming(changed, null);

            Assert.NotNull(verdict);
            Assert.False(verdict.IsValid, $"{from} → {to} verified streamed");
            Assert.Contains(verdict.Errors, e => e.Code == ErrorCode.SignatureDigestMismatch);
            Assert.False(SignedXmlAccepts(changed, signer), $"{from} → {to} verified with SignedXml");
            Assert.False(XmlSec1Accepts(changed), $"{from} → {to} verified with xmlsec1");
        }
    }

    [Theory]
    [MemberData(nameof(SigningNames))]
    public void A_change_outside_what_C14N_renders_gets_the_same_answer_streamed_from_SignedXml_and_from_xmlsec1(string signing)
    {
        var signer = Signer(Signings[signing].Key);
        var text = SignedText(WithoutCrReferences(C14NFeatures.Kitchen).Replace("<edXML:From>", "<edXML:From xmlns:q=\"urn:a\">", StringComparison.Ordinal), Signings[signing], signer);

        foreach (var (from, to) in OtherChanges)
        {
            var changed = Bytes(text.Replace(from, to, StringComparison.Ordinal));
            var streamed = Verifier().Verify(changed).IsValid;

            Assert.True(streamed == SignedXmlAccepts(changed, signer), $"{from} → {to}: streamed {streamed}, SignedXml the opposite");
            Assert.True(streamed == XmlSec1Accepts(changed), $"{from} → {to}: streamed {streamed}, xmlsec1 the opposite");
        }
    }

    [Theory]
    [MemberData(nameof(SdkSamples))]
    public void Every_sdk_sample_signed_here_verifies_streamed_with_the_digest_SignedXml_computes_and_with_xmlsec1(string sample)
    {
        foreach (var kind in new[] { KeyKind.Rsa, KeyKind.EcdsaP256 })
        {
            var signer = Signer(kind);
            var package = PackageSigner.Sign(Sample(sample), signer, [Pki.Intermediate]);

            var verdict = Verifier().VerifyStreaming(PackageXml(package), null);

            Assert.NotNull(verdict);
            Assert.True(verdict.IsTrusted, string.Join("; ", verdict.Errors.Select(e => e.Message)));
            Assert.Equal(SignedXmlDigest(package), StreamedDigest(package, Signings["exclusive, RSA"]));
            Assert.True(SignedXmlAccepts(package, signer));
            Assert.True(XmlSec1Accepts(package));
            var tampered = Tamper(package, package.AsSpan().LastIndexOf("</"u8) - 40); // in the last element's content or tags
            Assert.False(Verifier().Verify(tampered).IsValid);
            Assert.False(SignedXmlAccepts(tampered, signer));
        }
    }

    /// <summary>SignedXml's digest of URI="" re-serialises the document and parses it again, which
    /// appears to lose whitespace written as character references (CR in text, TAB, LF and CR in
    /// attribute values), where C14N as the transforms apply it to the parsed document, and this
    /// verifier, keep them: packages SignedXml signs over such content do not verify streamed, so
    /// these generated packages leave them out (the canonicaliser tests cover them against the
    /// transforms).</summary>
    private static string WithoutCrReferences(string document) =>
        document.Replace("&#xD;", "", StringComparison.Ordinal).Replace("&#13;", "", StringComparison.Ordinal)
            .Replace("&#10;", "", StringComparison.Ordinal).Replace("&#9;", "", StringComparison.Ordinal);

    private CertificateTrust Trust() => new(new TrustOptions
    {
        Roots = [Pki.Root],
        Intermediates = [Pki.Intermediate],
        Crls = [RevocationList.Load(Pki.CreateCrl([])), RevocationList.Load(Pki.CreateRootCrl([]))],
    });

    private PackageSignatureVerifier Verifier() => new(SignaturePolicy.Default, Trust());

    private X509Certificate2 Signer(KeyKind kind) => Pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ", kind);

    private static byte[] Sign(string document, Signing signing, X509Certificate2 signer) => Bytes(SignedText(document, signing, signer));

    /// <summary>Signs with SignedXml, in the context of the header the signature then goes into (so an
    /// inclusive SignedInfo carries the namespaces in scope there), and writes the signature where the
    /// marker is, leaving every other byte as the document has it.</summary>
    private static string SignedText(string document, Signing signing, X509Certificate2 signer)
    {
        EcdsaSignatureDescription.EnsureRegistered();
        var dom = StreamingCanonicalizerTests.Load(Bytes(document));
        var header = (XmlElement)dom.GetElementsByTagName("edXMLHeader", SignedPackages.Edxml)[0]!;
        var ecdsa = signing.Key != KeyKind.Rsa;
        var signedXml = new SignedXml(header) { SigningKey = ecdsa ? signer.GetECDsaPrivateKey() : signer.GetRSAPrivateKey() };
        signedXml.SignedInfo!.CanonicalizationMethod = signing.SignedInfoC14N;
        signedXml.SignedInfo.SignatureMethod = ecdsa ? XmlDsigAlgorithms.EcdsaSha256 : XmlDsigAlgorithms.RsaSha256;
        var reference = new Reference(string.Empty) { DigestMethod = signing.Digest };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        if (signing.ReferenceC14N == XmlDsigAlgorithms.ExclusiveC14N)
        {
            reference.AddTransform(new XmlDsigExcC14NTransform(includeComments: false, signing.PrefixList));
        }
        else if (signing.ReferenceC14N == XmlDsigAlgorithms.InclusiveC14N)
        {
            reference.AddTransform(new XmlDsigC14NTransform(includeComments: false));
        }

        signedXml.AddReference(reference);
        signedXml.KeyInfo = new KeyInfo();
        signedXml.KeyInfo.AddClause(new KeyInfoX509Data(signer));
        signedXml.ComputeSignature();
        return document.Replace(C14NFeatures.SignatureMarker, signedXml.GetXml().OuterXml, StringComparison.Ordinal);
    }

    private static byte[] PackageXml(byte[] package) => package[PackageStart.XmlOffset(package)..];

    /// <summary>The DigestValue SignedXml wrote when it signed.</summary>
    private static byte[] SignedXmlDigest(byte[] package) =>
        Convert.FromBase64String(StreamingCanonicalizerTests.Load(package).GetElementsByTagName("DigestValue", Ds)[0]!.InnerText);

    /// <summary>The digest the streaming canonicaliser gives the package without its signature.</summary>
    private static byte[] StreamedDigest(byte[] package, Signing signing)
    {
        var signature = DsSignature(StreamingCanonicalizerTests.Load(package));
        var omit = signature.OwnerDocument.SelectNodes("//*")!.Cast<XmlNode>().ToList().IndexOf(signature);
        var mode = signing.ReferenceC14N == XmlDsigAlgorithms.ExclusiveC14N ? (signing.PrefixList is null ? "exclusive" : "exclusive-prefixes") : "inclusive";
        var canonical = StreamingCanonicalizerTests.Streamed(package, mode, omit, signing.PrefixList);
        return CryptographicOperations.HashData(XmlDsigAlgorithms.Digests[signing.Digest], canonical);
    }

    private static bool SignedXmlAccepts(byte[] package, X509Certificate2 signer)
    {
        XmlDocument document;
        try
        {
            document = StreamingCanonicalizerTests.Load(package);
        }
        catch (EdxmlFormatException)
        {
            return false; // a change that breaks the XML is refused
        }

        var signedXml = new SignedXml(document);
        signedXml.LoadXml(DsSignature(document));
        return signedXml.CheckSignature(signer, verifySignatureOnly: true);
    }

    private bool XmlSec1Accepts(byte[] package)
    {
        var dir = Repository.TempFolder();
        try
        {
            Pki.WriteTo(dir.FullName);
            var file = Path.Combine(dir.FullName, "package.edxml");
            File.WriteAllBytes(file, package);
            var (exit, _) = XmlSecInteropTests.XmlSec1("--verify",
                "--trusted-pem", Path.Combine(dir.FullName, "root.pem"),
                "--untrusted-pem", Path.Combine(dir.FullName, "intermediate.pem"),
                file);
            return exit == 0;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
