using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Pdf;

namespace Lgsp.Exchange.Reports.Facts;

/// <summary>
/// Takes a package's report facts on the accept path: what the model says (priority, paper,
/// promulgation date), whose certificate signed the envelope, and what the PDF inspector finds in
/// each PDF attachment. The directory's part (tiers, scopes) is the caller's, which routed the
/// recipients already.
/// </summary>
/// <remarks>A PDF the inspector cannot read is a fact (<see cref="PdfVerdict.Unreadable"/>), never a
/// refusal: the package was judged before this runs. Each PDF is read through the inspector's
/// stream overload, within <see cref="PdfLimits.MaxBytes"/>. Thread safe.</remarks>
public sealed class FactsReader
{
    private readonly SignerKindRule _rule;
    private readonly PdfSignatureInspector _inspector;

    /// <summary>Creates a reader.</summary>
    /// <param name="rule">Classifies signer certificates, for the envelope and the PDFs alike; null:
    /// <see cref="SignerKindRule.Default"/>.</param>
    /// <param name="limits">Bounds on each PDF; null: <see cref="PdfLimits.Default"/>.</param>
    public FactsReader(SignerKindRule? rule = null, PdfLimits? limits = null)
    {
        _rule = rule ?? SignerKindRule.Default;
        _inspector = new PdfSignatureInspector(trust: null, _rule, limits);
    }

    /// <summary>The facts the package itself gives; <see cref="PackageFacts.FromScope"/>,
    /// <see cref="PackageFacts.FromTier"/> and <see cref="PackageFacts.Recipients"/> are left for the caller.</summary>
    /// <param name="package">The judged package.</param>
    /// <param name="envelopeSigner">The envelope's signer when the signature is valid, else null.</param>
    public PackageFacts Read(EdxmlPackage package, X509Certificate2? envelopeSigner)
    {
        ArgumentNullException.ThrowIfNull(package);
        var signer = Classify(envelopeSigner);
        if (package is not DocumentPackage document)
        {
            return new PackageFacts { FromScope = ExchangeScope.Internal, EnvelopeSigner = signer };
        }

        return new PackageFacts
        {
            FromScope = ExchangeScope.Internal,
            EnvelopeSigner = signer,
            Priority = document.OtherInfo?.Priority,
            Paper = document.Business?.Paper == 1,
            PromulgationDate = document.PromulgationInfo?.PromulgationDate?.Value,
            Attachments = Attachments(document),
        };
    }

    /// <summary>The class of a signer certificate by the rule; <see cref="SignerClass.Unsigned"/> for null.</summary>
    public SignerClass Classify(X509Certificate2? certificate) => certificate is null
        ? SignerClass.Unsigned
        : _rule.Classify(certificate.SubjectName) switch
        {
            SignerKind.Organization => SignerClass.Organization,
            SignerKind.Personal => SignerClass.Personal,
            _ => SignerClass.Unknown,
        };

    private List<AttachmentFact> Attachments(DocumentPackage document)
    {
        var facts = new List<AttachmentFact>();
        for (var i = 0; i < document.Attachments.Count; i++)
        {
            var attachment = document.Attachments[i];
            if (!IsPdf(attachment))
            {
                continue;
            }

            PdfInspection inspection;
            using (var content = attachment.Content.OpenRead())
            {
                inspection = _inspector.Inspect(content);
            }

            facts.Add(Judge(i + 1, attachment.AttachmentName, inspection));
        }

        return facts;
    }

    // A PDF by its name, its declared type or its first bytes: an attachment called .pdf that is no
    // PDF is counted (unreadable), as the sender meant it to be one.
    private static bool IsPdf(Attachment attachment) =>
        attachment.AttachmentName?.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase) == true
        || string.Equals(attachment.ContentType?.Split(';')[0].Trim(), "application/pdf", StringComparison.OrdinalIgnoreCase)
        || PdfSignatureInspector.LooksLikePdf(attachment.Content.Head(1024));

    /// <summary>The verdict on one inspected PDF (see <see cref="PdfVerdict"/>).</summary>
    public static AttachmentFact Judge(int ordinal, string? name, PdfInspection inspection)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        var signatures = inspection.Signatures.Where(s => !s.IsDocumentTimestamp).ToList();
        var intact = signatures.Where(s => s.IsIntact).ToList();
        var verdict = !inspection.IsPdf || (signatures.Count == 0 && inspection.Errors.Any(e => e.IsError))
            ? PdfVerdict.Unreadable
            : signatures.Count == 0
                ? PdfVerdict.Unsigned
                : intact.Count < signatures.Count ? PdfVerdict.Broken : PdfVerdict.Signed;
        return new AttachmentFact(ordinal, name, verdict,
            intact.Count(s => s.Kind == SignerKind.Organization), intact.Count(s => s.Kind == SignerKind.Personal));
    }
}
