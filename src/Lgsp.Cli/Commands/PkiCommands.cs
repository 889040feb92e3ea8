using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Testing.Pdf;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Writing;

namespace Lgsp.Cli.Commands;

/// <summary><c>lgsp pki demo --out DIR</c>: throwaway test certificates and signed sample packages.</summary>
internal static class PkiCommands
{
    public const string SenderCode = "000.00.01.H56";
    public const string RecipientCode = "000.00.00.H56";

    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "The folder to write into (created).", Required = true };
        var demo = new Command("demo", "Make a throwaway test PKI (root, intermediate, agency seals, personal certificates, a CRL) and signed sample packages with signed PDF attachments. TEST MATERIAL ONLY.") { output };
        demo.SetAction(parse =>
        {
            var dir = parse.GetValue(output)!;
            var written = Write(dir.FullName);
            parse.InvocationConfiguration.Output.WriteLine($"Test PKI and sample packages written to {dir.FullName} (TEST ONLY - NOT FOR PRODUCTION):");
            foreach (var file in written)
            {
                parse.InvocationConfiguration.Output.WriteLine("  " + Path.GetRelativePath(dir.FullName, file));
            }

            return LgspCommand.Ok;
        });
        return new Command("pki", "Test certificates for demos and tests.") { demo };
    }

    /// <summary>Writes the PKI and the packages; returns the files written.</summary>
    public static IReadOnlyList<string> Write(string directory)
    {
        using var pki = TestPki.Create("LGSP Demo");
        var sender = pki.IssueOrganization(SenderCode, "Sở Tài chính tỉnh Thanh Hóa");
        var recipient = pki.IssueOrganization(RecipientCode, "UBND tỉnh Thanh Hóa");
        var director = pki.IssuePersonal("Nguyễn Văn An", "038090000001", "Sở Tài chính tỉnh Thanh Hóa", "Phó Giám đốc");
        var revoked = pki.IssuePersonal("Trần Văn Bình", "038090000002", "Sở Tài chính tỉnh Thanh Hóa", "Chuyên viên");
        pki.CreateCrl([revoked]);
        pki.WriteTo(directory);

        var packages = Directory.CreateDirectory(Path.Combine(directory, "packages")).FullName;
        var now = DateTimeOffset.Now;
        var pdf = TestPdf.Create("Cong van so 123/STC-NS", "V/v trien khai lien thong van ban dien tu. TEST ONLY - NOT FOR PRODUCTION.");
        pdf = PdfSigning.AppendSignature(pdf, director, new PdfSignatureRequest
        {
            FieldName = "PersonalSignature", Reason = "Ký duyệt", Location = "Thanh Hóa", SigningTime = now, ExtraCertificates = [pki.Intermediate],
        });
        pdf = PdfSigning.AppendSignature(pdf, sender, new PdfSignatureRequest
        {
            FieldName = "OrganizationSeal", Reason = "Ban hành", Location = "Thanh Hóa", SigningTime = now.AddMinutes(1), ExtraCertificates = [pki.Intermediate],
        });
        var pdfPath = Path.Combine(packages, "cong-van-123.pdf");
        File.WriteAllBytes(pdfPath, pdf);

        var date = DateOnly.FromDateTime(now.Date);
        using var document = new DocumentPackage
        {
            From = new Organization(SenderCode, "Sở Tài chính tỉnh Thanh Hóa"),
            To = [new Organization(RecipientCode, "UBND tỉnh Thanh Hóa")],
            Code = new DocumentCode("123", "STC-NS"),
            PromulgationInfo = new PromulgationInfo("Thanh Hóa", EdxmlDate.From(date)),
            DocumentType = new DocumentType("2", "1", "Công văn"),
            Subject = "V/v triển khai liên thông văn bản điện tử (TÀI LIỆU THỬ NGHIỆM)",
            SignerInfo = new SignerInfo("KT. GIÁM ĐỐC", "Phó Giám đốc", "Nguyễn Văn An"),
            DocumentId = DocumentIds.Compose(SenderCode, date, "123", "STC-NS"),
            TraceHeaders = [new TraceHeader(SenderCode, EdxmlTimestamp.From(now.DateTime))],
            Business = new Business { BussinessDocType = BusinessDocType.New, BussinessDocTypeText = "0", Paper = 0 },
            References = [new ManifestReference("cid:1", "application/pdf", "Công văn 123", "cong-van-123.pdf")],
            Attachments = [Attachment.FromBytes("cong-van-123.pdf", pdf, "application/pdf", "cid:1", description: "Công văn 123")],
        };
        var unsigned = PackageWriter.ToBytes(document);
        var status = PackageWriter.ToBytes(new StatusPackage
        {
            From = new Organization(RecipientCode, "UBND tỉnh Thanh Hóa"),
            ResponseFor = new ResponseFor(SenderCode, "123/STC-NS", EdxmlDate.From(date), document.DocumentId),
            StatusCode = "03",
            Description = "Đã vào sổ văn bản đến",
            Timestamp = EdxmlTimestamp.From(now.DateTime),
        });

        var files = new List<string> { pdfPath };
        void Save(string name, byte[] bytes)
        {
            var path = Path.Combine(packages, name);
            File.WriteAllBytes(path, bytes);
            files.Add(path);
        }

        Save("document.edxml", unsigned);
        Save("document-signed.edxml", PackageSigner.Sign(unsigned, sender, [pki.Intermediate]));
        Save("document-signed-ecdsa.edxml", PackageSigner.Sign(unsigned, pki.IssueOrganization(SenderCode, "Sở Tài chính tỉnh Thanh Hóa", KeyKind.EcdsaP256), [pki.Intermediate]));
        Save("document-signed-by-revoked.edxml", PackageSigner.Sign(unsigned, revoked, [pki.Intermediate]));
        Save("status-03-signed.edxml", PackageSigner.Sign(status, recipient, [pki.Intermediate]));
        pki.WriteTo(directory); // again: the ECDSA certificate was issued after the first write
        // The root's (empty) CRL, so that the intermediate's revocation status is known too.
        File.WriteAllText(Path.Combine(directory, "root-crl.pem"), System.Security.Cryptography.PemEncoding.WriteString("X509 CRL", pki.CreateRootCrl([])) + "\n");
        files.InsertRange(0, Directory.GetFiles(directory).Order());
        return files;
    }

    /// <summary>The demo sender's certificate as written by <see cref="Write"/>.</summary>
    public static X509Certificate2 LoadSender(string directory) =>
        X509Certificate2.CreateFromPemFile(Path.Combine(directory, $"org-{SenderCode}.pem"), Path.Combine(directory, $"org-{SenderCode}.key.pem"));
}
