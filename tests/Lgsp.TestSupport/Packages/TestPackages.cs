using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Writing;

namespace Lgsp.TestSupport.Packages;

/// <summary>Builds valid edXML documents and statuses between demo agencies, and signs them.</summary>
public static class TestPackages
{
    private static int s_counter;

    /// <summary>A new unique number for document codes.</summary>
    public static int NextNumber() => Interlocked.Increment(ref s_counter) + (int)(DateTime.UtcNow.Ticks % 100_000) * 100;

    /// <summary>An organisation with its name.</summary>
    public static Organization Org(string code) => new(code, "Cơ quan " + code, null, null, null, null, null, null);

    /// <summary>An unsigned document from <paramref name="from"/> to <paramref name="to"/>, with a PDF
    /// attachment of <paramref name="attachmentBytes"/> random (incompressible) bytes; <paramref name="edit"/>
    /// changes the model before it is written (the defects of packages found in the wild, say).</summary>
    public static byte[] Document(string from, IEnumerable<string> to, string? documentId = null, string subject = "V/v thử nghiệm liên thông văn bản",
        int attachmentBytes = 2_000, BusinessDocType type = BusinessDocType.New, string? number = null, Func<DocumentPackage, DocumentPackage>? edit = null)
    {
        number ??= NextNumber().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var date = DateOnly.FromDateTime(DateTime.Today);
        var pdf = new byte[Math.Max(attachmentBytes, 32)];
        RandomNumberGenerator.Fill(pdf);
        Encoding.ASCII.GetBytes("%PDF-1.4\n").CopyTo(pdf, 0);
        var package = new DocumentPackage
        {
            From = Org(from),
            To = [.. to.Select(Org)],
            Code = new DocumentCode(number, "UBND-VP"),
            PromulgationInfo = new PromulgationInfo("Thanh Hóa", EdxmlDate.From(date)),
            DocumentType = new DocumentType("2", "1", "Công văn"),
            Subject = subject,
            Content = "Nội dung thử nghiệm",
            SignerInfo = new SignerInfo("KT. CHỦ TỊCH", "Phó Chủ tịch", "Nguyễn Văn An"),
            DocumentId = documentId ?? $"{from},{date:yyyy/MM/dd},{number}/UBND-VP",
            TraceHeaders = [new TraceHeader(from, EdxmlTimestamp.From(DateTime.Now))],
            Business = new Business { BussinessDocType = type, BussinessDocTypeText = ((int)type).ToString(System.Globalization.CultureInfo.InvariantCulture), Paper = 0 },
            ManifestVersion = "1.0",
            References = [new ManifestReference("cid:1", "application/pdf", "Văn bản", "van-ban.pdf")],
            Attachments = [Attachment.FromBytes("van-ban.pdf", pdf, "application/pdf", "cid:1", description: "Văn bản")],
        };
        return PackageWriter.ToBytes(edit is null ? package : edit(package));
    }

    /// <summary>An unsigned status from <paramref name="from"/> about <paramref name="documentId"/>,
    /// addressed to <paramref name="to"/> (the document's sender, or for 13 its recipient).</summary>
    public static byte[] Status(string from, string to, string documentId, StatusCode code, string? description = null) =>
        PackageWriter.ToBytes(new StatusPackage
        {
            From = Org(from),
            ResponseFor = new ResponseFor(to, "1/UBND-VP", EdxmlDate.From(DateOnly.FromDateTime(DateTime.Today)), documentId),
            StaffInfo = new StaffInfo("Văn thư", "Lê Thị Bình", "0912000001", "vanthu@example.gov.vn"),
            StatusCode = StatusCodes.ToText(code),
            Description = description ?? "Trạng thái " + StatusCodes.ToText(code),
            Timestamp = EdxmlTimestamp.From(DateTime.Now),
        });

    /// <summary>Signs a package with a certificate and key in PEM.</summary>
    public static byte[] Sign(byte[] package, string certPem, string keyPem)
    {
        using var certificate = X509Certificate2.CreateFromPem(certPem, keyPem);
        return PackageSigner.Sign(package, certificate);
    }
}
