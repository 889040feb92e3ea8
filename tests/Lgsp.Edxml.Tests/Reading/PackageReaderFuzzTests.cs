using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Reading;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Tests.Pki;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Testing.Pdf;
using Lgsp.Edxml.Trust;
using Lgsp.Edxml.Validation;
using Lgsp.Edxml.Writing;
using Lgsp.TestSupport.Fuzzing;
using Xunit.Abstractions;

namespace Lgsp.Edxml.Tests.Reading;

/// <summary>
/// Mutation fuzzing of what a client's package meets first: the reader, validation and the envelope
/// signature's verification, judged as the accept path judges it (<see cref="PackageCheck"/>), over
/// mutants of the SDK's samples, the hostile samples and packages signed by the test PKI
/// (docs/security.md, "Fuzzing").
/// </summary>
public sealed class PackageReaderFuzzTests(PkiFixture fixture, ITestOutputHelper output) : IClassFixture<PkiFixture>
{
    private static readonly FuzzBounds Bounds = new(TimeSpan.FromSeconds(10), BytesPerInputByte: 48, FixedBytes: 24L * 1024 * 1024);

    [Fact]
    public void Mutated_packages_are_judged_with_catalogued_findings_within_bounds_and_a_valid_signature_covers_what_is_read()
    {
        var signer = fixture.Pki.IssueOrganization("000.00.01.H56", "Sở Tài chính tỉnh Thanh Hóa");
        var corpus = Corpus(signer);
        var trust = new CertificateTrust(new TrustOptions
        {
            Roots = [fixture.Pki.Root],
            Intermediates = [fixture.Pki.Intermediate],
            Crls = [RevocationList.Load(fixture.Pki.CreateCrl([]))],
        });
        var policies = new[] { CheckOptions.Strict(trust), CheckOptions.Legacy(trust) };
        var signedMeanings = corpus.Select(bytes => SignedMeaning(bytes, policies[0])).OfType<EdxmlPackage>().ToList();
        Assert.NotEmpty(signedMeanings);

        var report = FuzzCampaign.Run("package reader", 0x5EED0001, corpus, new Mutator(ByteMutations.All, XmlMutations.All, Base64Mutations.All), Bounds, mutant =>
        {
            var result = PackageCheck.Evaluate(mutant.Bytes, policies[mutant.Source % 2]);
            using var package = result.Validation.Package;
            foreach (var finding in result.Findings)
            {
                Catalogued(finding);
            }

            // A signature that verifies vouches for what the hub reads: a mutant may keep a valid
            // signature only if it still reads as one of the signed originals.
            if (result.Signature is { Status: SignatureStatus.Valid } && package is not null)
            {
                var meaning = Meaning(package);
                Assert.True(signedMeanings.Any(m => m.Equals(meaning)), "a mutant that reads differently from every signed original kept a valid signature");
            }

            return result.IsAccepted ? FuzzCampaign.Accepted : result.Findings.FirstOrDefault(f => f.IsError)?.Code ?? "refused by policy";
        });

        output.WriteLine(report.ToString());
        Assert.True(report.Outcomes.ContainsKey(FuzzCampaign.Accepted), "some mutants (damage outside what is read) are still accepted");
    }

    internal static void Catalogued(EdxmlError finding)
    {
        if (!ErrorCatalog.Contains(finding.Code) || string.IsNullOrWhiteSpace(finding.Field) || string.IsNullOrWhiteSpace(finding.Message) || string.IsNullOrWhiteSpace(finding.MessageVi))
        {
            throw new InvalidOperationException($"Finding outside the catalogue or without field and sentences: {finding.Code} '{finding.Field}'.");
        }
    }

    /// <summary>The SDK's samples (one large document whole, the others with a small PDF in place of their
    /// attachment), the same packages signed, signed statuses, and the hostile samples.</summary>
    private static IReadOnlyList<byte[]> Corpus(X509Certificate2 signer)
    {
        var pdf = TestPdf.Create("Công văn thử nghiệm", "Nội dung thử nghiệm");
        var corpus = new List<byte[]> { File.ReadAllBytes(Repository.Sample("edoc_new.edxml")) };
        foreach (var path in Directory.GetFiles(Repository.Path_("samples", "vxp-sdk"), "*.edxml").Order(StringComparer.Ordinal))
        {
            using var package = PackageReader.ReadFile(path);
            var small = package is DocumentPackage document
                ? document with
                {
                    References = [new ManifestReference("cid:1", "application/pdf", "Văn bản", "van-ban.pdf")],
                    Attachments = [Attachment.FromBytes("van-ban.pdf", pdf, "application/pdf", "cid:1", description: "Văn bản")],
                }
                : package;
            var bytes = PackageWriter.ToBytes(small);
            corpus.Add(bytes);
            corpus.Add(PackageSigner.Sign(bytes, signer, []));
        }

        corpus.AddRange(Directory.GetFiles(Repository.Path_("samples", "hostile"), "*.edxml").Order(StringComparer.Ordinal).Select(File.ReadAllBytes));
        return corpus;
    }

    private static EdxmlPackage? SignedMeaning(byte[] bytes, CheckOptions policy)
    {
        var result = PackageCheck.Evaluate(bytes, policy);
        return result.Signature is { Status: SignatureStatus.Valid } && result.Validation.Package is { } package ? Meaning(package) : null;
    }

    /// <summary>What the hub acts on: the model without the reader's notes on how it was written.</summary>
    private static EdxmlPackage Meaning(EdxmlPackage package) =>
        package with { ReadFindings = ValueList<EdxmlError>.Empty, SignatureKind = default };
}
