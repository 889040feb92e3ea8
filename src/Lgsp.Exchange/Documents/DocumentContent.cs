using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Pdf;
using Lgsp.Edxml.Reading;

namespace Lgsp.Exchange.Documents;

/// <summary>What a stored document package says, read back from its exact bytes for the document
/// screen: the header and each attachment with the facts of its PDF signatures.</summary>
/// <param name="Subject">Subject.</param>
/// <param name="Code">Number/notation as written (<c>12/UBND-VP</c>).</param>
/// <param name="From">The sender, code and name.</param>
/// <param name="To">The recipients, code and name.</param>
/// <param name="Promulgated">Place and promulgation date as written.</param>
/// <param name="DocumentType">The type's name (<c>Công văn</c>).</param>
/// <param name="Priority">0 normal … 4 express, when given.</param>
/// <param name="BusinessType">New, revocation, update or replacement, when given.</param>
/// <param name="Signer">Competence, position and name of the person who signed the document.</param>
/// <param name="Attachments">The attachments.</param>
public sealed record DocumentContent(
    string? Subject, string? Code, Organization? From, IReadOnlyList<Organization> To, string? Promulgated, string? DocumentType, int? Priority,
    BusinessDocType? BusinessType, string? Signer, IReadOnlyList<AttachmentFacts> Attachments)
{
    /// <summary>Reads <paramref name="package"/> (the bytes the hub stored); null when they are not a
    /// readable document package, which the accept path would not have stored.</summary>
    /// <remarks>The PDF signatures are inspected without trust: integrity, signer, signing time and
    /// whether an organisation or a person signed; the chain was the sender's to judge.</remarks>
    public static DocumentContent? Read(byte[] package, SignerKindRule? signerRule = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        DocumentPackage document;
        try
        {
            using var stream = new MemoryStream(package, writable: false);
            document = PackageReader.ReadDocument(stream);
        }
        catch (EdxmlFormatException)
        {
            return null;
        }

        var inspector = new PdfSignatureInspector(rule: signerRule);
        return new DocumentContent(
            document.Subject,
            document.Code is { } code ? string.Join('/', new[] { code.CodeNumber, code.CodeNotation }.Where(s => !string.IsNullOrEmpty(s))) : null,
            document.From,
            document.To,
            document.PromulgationInfo is { } p ? $"{p.Place} {p.PromulgationDate?.Text}".Trim() : null,
            document.DocumentType?.TypeName,
            document.OtherInfo?.Priority,
            document.Business?.BussinessDocType,
            document.SignerInfo is { } s ? $"{s.Competence} {s.Position} {s.FullName}".Trim() : null,
            [.. document.Attachments.Select(a => AttachmentFacts.Of(a, inspector))]);
    }
}

/// <summary>One attachment: its name, size and the signatures of the PDFs in it.</summary>
/// <param name="Name">The attachment's name.</param>
/// <param name="ContentType">Its declared content type.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Signatures">The signatures of the PDF files it holds (empty for none or no PDF).</param>
public sealed record AttachmentFacts(string? Name, string? ContentType, long Size, IReadOnlyList<PdfSignatureFacts> Signatures)
{
    internal static AttachmentFacts Of(Attachment attachment, PdfSignatureInspector inspector)
    {
        var signatures = new List<PdfSignatureFacts>();
        try
        {
            foreach (var file in attachment.Files())
            {
                using var stream = file.Open();
                var head = new byte[1024];
                if (!PdfSignatureInspector.LooksLikePdf(head.AsSpan(0, stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false))))
                {
                    continue;
                }

                using var whole = file.Open();
                signatures.AddRange(inspector.Inspect(whole).Signatures.Select(s => new PdfSignatureFacts(
                    file.Name, s.IsIntact && s.CoversWholeFile, s.Kind, s.SignerSubject, s.SigningTime, s.IsDocumentTimestamp)));
            }
        }
        catch (EdxmlFormatException)
        {
            // An attachment the validator let through as a warning: nothing more to show.
        }

        return new AttachmentFacts(attachment.AttachmentName, attachment.ContentType, attachment.Content.Length, signatures);
    }
}

/// <summary>One PDF signature as the document screen shows it.</summary>
/// <param name="File">The PDF file (inside a zip attachment, its name there).</param>
/// <param name="Intact">The signed bytes are unchanged and the signature covers the whole file.</param>
/// <param name="Kind">Organisation or personal signature.</param>
/// <param name="Signer">The signer certificate's subject.</param>
/// <param name="SigningTime">When it was signed, as the signature states.</param>
/// <param name="IsTimestamp">A document timestamp rather than a signature.</param>
public sealed record PdfSignatureFacts(string File, bool Intact, SignerKind Kind, string? Signer, DateTimeOffset? SigningTime, bool IsTimestamp);
