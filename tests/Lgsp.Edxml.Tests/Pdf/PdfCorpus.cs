using System.Security.Cryptography;
using System.Text;
using System.Xml;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Pdf;
using Lgsp.Edxml.Reading;
using Lgsp.Edxml.Testing.Pdf;
using Lgsp.Edxml.Tests.Pdf.Syntax;
using Lgsp.Edxml.Tests.Support;

namespace Lgsp.Edxml.Tests.Pdf;

/// <summary>
/// Every PDF the test suite reads, by name: the documents the tests build or carry (generated,
/// hand-written, and the signed PDF inside the national SDK's sample packages), and the damaged and
/// hostile files the tests make from them on purpose.
/// </summary>
internal static class PdfCorpus
{
    private static readonly Lazy<IReadOnlyList<(string Name, byte[] Pdf)>> AllDocuments = new(ListDocuments);
    private static readonly Lazy<IReadOnlyList<(string Name, byte[] Pdf)>> AllDamaged = new(ListDamaged);

    /// <summary>Well-formed files, signed or not: what the mutation corpus starts from.</summary>
    public static IReadOnlyList<(string Name, byte[] Pdf)> Documents => AllDocuments.Value;

    /// <summary>The tests' deliberate damage to signed files, and their hostile input.</summary>
    public static IReadOnlyList<(string Name, byte[] Pdf)> DamagedAndHostile => AllDamaged.Value;

    /// <summary>The PDFs inside the SDK's sample packages, each distinct file once. The SDK zips a
    /// whole package into each sample's attachment; that inner package declares no namespace for a
    /// prefix it uses, so it is read without namespaces.</summary>
    public static IReadOnlyList<byte[]> SdkSamplePdfs()
    {
        var found = new List<byte[]>();
        foreach (var path in Directory.GetFiles(Repository.Path_("samples", "vxp-sdk"), "edoc_*.edxml").Order(StringComparer.Ordinal))
        {
            using var package = (DocumentPackage)PackageReader.ReadFile(path);
            foreach (var file in package.Attachments.SelectMany(a => a.Files()))
            {
                using var inner = file.Open();
                found.AddRange(AttachedPdfs(inner));
            }
        }

        return found.DistinctBy(pdf => Convert.ToHexString(SHA256.HashData(pdf))).ToList();
    }

    private static IEnumerable<byte[]> AttachedPdfs(Stream package)
    {
        using var reader = new XmlTextReader(package) { Namespaces = false, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        var pdfs = new List<byte[]>();
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Name.EndsWith("ContentTransferEncoded", StringComparison.Ordinal))
            {
                var attachment = Attachment.FromBytes("attachment", Convert.FromBase64String(reader.ReadElementContentAsString()), "application/octet-stream", "cid:1");
                pdfs.AddRange(attachment.Files().Select(f => ReadAll(f.Open())).Where(b => PdfSignatureInspector.LooksLikePdf(b)));
            }
        }

        return pdfs;
    }

    private static byte[] ReadAll(Stream stream)
    {
        using (stream)
        {
            var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            return bytes.ToArray();
        }
    }

    private static IReadOnlyList<(string, byte[])> ListDocuments()
    {
        var unnamedOnce = PdfSigning.AppendSignature(PdfSamples.Unsigned, PdfTestCertificates.Organization, new PdfSignatureRequest());
        var documents = new List<(string, byte[])>
        {
            ("unsigned", PdfSamples.Unsigned),
            ("sealed", PdfSamples.SealedPdf),
            ("twice signed", PdfSamples.TwiceSignedPdf),
            ("hand-written, twice signed", PdfSamples.HandWrittenTwiceSignedPdf),
            ("twice signed, default field names", PdfSigning.AppendSignature(unnamedOnce, PdfTestCertificates.Personal, new PdfSignatureRequest())),
            ("twice signed, then a document timestamp", PdfSignatureInspectorSubFilterTests.AddDocumentTimestamp(PdfSamples.TwiceSignedPdf)),
            ("adbe.pkcs7.sha1", PdfSignatureInspectorSubFilterTests.AddSha1Signature(PdfSamples.Unsigned)),
            ("sealed, then an unsupported sub-filter", PdfSignatureInspectorSubFilterTests.AddUnsupportedSubFilter(PdfSamples.SealedPdf)),
            ("detached signature encapsulating content", PdfSignatureInspectorSubFilterTests.AddEncapsulatingDetachedSignature(PdfSamples.Unsigned)),
            ("CMS with two signers", PdfSignatureInspectorSubFilterTests.AddTwoSignerSignature(PdfSamples.Unsigned)),
            ("direct AcroForm, indirect /Annots", HandWrittenPdf.WithDirectAcroFormAndIndirectAnnots()),
            ("cross-reference stream", HandWrittenPdf.WithCrossReferenceStream()),
            ("hybrid reference", HandWrittenPdf.OnePage(" /XRefStm 9")),
            ("encryption dictionary", HandWrittenPdf.OnePage(" /Encrypt 9 0 R")),
            ("field under a parent", PdfSignatureScannerTests.FieldUnderAParent),
            ("signature held by its field", PdfSignatureScannerTests.SignatureHeldByItsField),
            ("signature without a field", PdfSignatureScannerTests.SignatureWithoutField),
            ("signature redefined, no cross-reference table", PdfSignatureScannerTests.SignatureRedefined),
            ("signature look-alikes in streams", PdfSignatureScannerTests.SignatureLookalikesInStreams),
            ("comments and whitespace, no cross-reference table", PdfSignatureScannerTests.SignaturesAmidCommentsAndWhitespace),
            ("header and end marker only", Encoding.ASCII.GetBytes("%PDF-1.4\n% test body\n%%EOF\n")),
        };
        documents.AddRange(SdkSamplePdfs().Select((pdf, i) => ($"SDK sample PDF {i + 1}", pdf)));
        return documents;
    }

    private static IReadOnlyList<(string, byte[])> ListDamaged()
    {
        var damaged = new List<(string, byte[])> { ("damaged signature dictionary", PdfSignatureScannerTests.DamagedSignature) };
        foreach (var row in PdfSignatureInspectorTests.SignedBytes)
        {
            var (marker, last, offset) = ((string)row[1], (bool)row[2], (int)row[3]);
            var pdf = PdfSamples.Copy(PdfSamples.TwiceSignedPdf);
            pdf[(last ? PdfSamples.LastIndexOf(pdf, marker) : PdfSamples.IndexOf(pdf, marker)) + offset] ^= 0x01;
            damaged.Add(("flipped: " + row[0], pdf));
        }

        damaged.Add(("byte range beyond the end", PdfSignatureInspectorTests.RewriteByteRange(PdfSamples.SealedPdf, r => [r[0], r[1], r[2], r[3] + 1000])));
        damaged.Add(("byte range not from zero", PdfSignatureInspectorTests.RewriteByteRange(PdfSamples.SealedPdf, r => [1, r[1] - 1, r[2], r[3]])));
        damaged.Add(("byte range gap off by one", PdfSignatureInspectorTests.RewriteByteRange(PdfSamples.SealedPdf, r => [r[0], r[1] + 1, r[2], r[3]])));
        damaged.Add(("bytes appended", [.. PdfSamples.SealedPdf, .. "% appended later\n%%EOF\n"u8]));
        damaged.Add(("a letter in /Contents", Changed(PdfSamples.SealedPdf, "/Contents <", 100, (byte)'x')));
        damaged.Add(("/M year changed", Changed(PdfSamples.SealedPdf, "/M (D:2025", 9, (byte)'3')));
        var cuts = new (string, int)[]
        {
            ("after the header", 9), ("inside the first revision's objects", 400), ("inside the seal's /Contents", 3000),
            ("just after the seal's revision", PdfSamples.SealedPdf.Length + 40),
            ("before the last %%EOF", PdfSamples.LastIndexOf(PdfSamples.TwiceSignedPdf, "%%EOF") + 2),
        };
        damaged.AddRange(cuts.Select(cut => ("twice signed, cut " + cut.Item1, PdfSamples.TwiceSignedPdf[..cut.Item2])));

        foreach (var row in PdfSignatureInspectorHostileInputTests.Hostile)
        {
            damaged.Add(("hostile: " + row[0], (byte[])row[1]));
        }

        foreach (var seed in new[] { 1, 2 })
        {
            var garbage = new byte[500_000];
            new Random(seed).NextBytes(garbage);
            "%PDF-1.7\n"u8.CopyTo(garbage);
            damaged.Add(($"random bytes behind a header, seed {seed}", garbage));
        }

        return damaged;
    }

    private static byte[] Changed(byte[] source, string marker, int offset, byte value)
    {
        var pdf = PdfSamples.Copy(source);
        pdf[PdfSamples.IndexOf(pdf, marker) + offset] = value;
        return pdf;
    }
}
