using Lgsp.Edxml.Model;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Documents;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Evidence;
using Lgsp.Exchange.People;
using Lgsp.Exchange.Storage;
using Lgsp.Web.Auth;
using Lgsp.Web.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Lgsp.Web.Pages;

/// <summary>One document: its header and attachments read back from the stored package, the envelope
/// signature as judged at accept, a timeline per recipient, hops across hubs and the ledger entries;
/// downloads of the exact package and of the evidence bundle (<see cref="ConsoleRight.Download"/>), and
/// replay of a failed delivery (<see cref="ConsoleRight.Replay"/>). An agency clerk opens only its
/// agencies' documents: any other DocumentId is not found, by link or typed.</summary>
[Requires(ConsoleRight.ReadOwnDocuments)]
public sealed partial class DocumentModel(IDocumentStore documents, IPackageStore packages, ReplayService replay, IEvidenceExport evidence, ConsoleText text,
    Lgsp.Edxml.Pdf.SignerKindRule? signerRule = null)
    : ConsolePageModel
{
    private const string Prefix = "/console/documents/";

    /// <summary>The document's file (packages, deliveries, ledger entries), cut to the reader's scope.</summary>
    public DocumentFile Record { get; private set; } = null!;

    /// <summary>The latest document package (the newest update or replacement, else the document).</summary>
    public StoredPackage Latest { get; private set; } = null!;

    /// <summary>What the latest document package says; null when its bytes cannot be read back.</summary>
    public DocumentContent? Said { get; private set; }

    /// <summary>One timeline per recipient.</summary>
    public IReadOnlyList<RecipientTimeline> Timelines { get; private set; } = [];

    /// <summary>A sentence about what the last action did.</summary>
    public string? Message { get; private set; }

    /// <summary>True when <see cref="Message"/> reports a failure.</summary>
    public bool MessageIsError { get; private set; }

    /// <summary>This page's address.</summary>
    public string Self => Prefix + Uri.EscapeDataString(Record.DocumentId);

    /// <summary>Shows the document.</summary>
    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    /// <summary>The exact bytes of one of the document's packages, as the sender sent them.</summary>
    public async Task<IActionResult> OnGetPackageAsync(long package, CancellationToken ct)
    {
        if (!Can(ConsoleRight.Download))
        {
            return Forbid();
        }

        if (!await LoadAsync(ct, readContent: false) || Record.Packages.All(p => p.Id != package))
        {
            return NotFound();
        }

        // Streamed from the store; the body (and the connection it holds) goes with the response.
        var body = await packages.OpenBodyAsync(package, ct);
        Response.RegisterForDisposeAsync(body);
        Response.ContentLength = body.Length;
        return File(body.Content, "application/xml", $"package-{package}.edxml");
    }

    /// <summary>The document's evidence bundle (docs/audit.md), the same export as <c>lgsp audit evidence</c>.</summary>
    public async Task<IActionResult> OnGetEvidenceAsync(CancellationToken ct)
    {
        if (!Can(ConsoleRight.Download))
        {
            return Forbid();
        }

        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        try
        {
            var bundle = await evidence.ExportAsync(Record.DocumentId, includeContent: true, ct);
            return File(bundle.Write(), "application/zip", $"evidence-{Latest.Id}.zip");
        }
        catch (EntriesNotSealedException)
        {
            Report(text["Một số mục sổ cái của văn bản chưa được niêm phong; trục niêm phong trong vài giây, hãy tải lại sau.",
                "Some of the document's ledger entries are not sealed yet; the hub seals them within seconds, download again shortly."], error: true);
            Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status409Conflict;
            return Page();
        }
    }

    /// <summary>Replays one recipient's failed delivery through the hub's replay, with a reason recorded
    /// in the ledger under <c>user:NAME</c>.</summary>
    public async Task<IActionResult> OnPostReplayAsync(long delivery, string? reason, CancellationToken ct)
    {
        if (!Can(ConsoleRight.Replay))
        {
            return Forbid();
        }

        if (!await LoadAsync(ct) || Timelines.All(t => t.Delivery.Id != delivery))
        {
            return NotFound();
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            Report(text["Cần nhập lý do gửi lại; lý do được ghi vào sổ cái.", "A replay needs a reason; it is recorded in the ledger."], error: true);
            Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest;
            return Page();
        }

        var item = (await replay.RunAsync(ReplayRequest.Single(delivery, Actor, reason), ct: ct)).Items.Single();
        await LoadAsync(ct);
        Report(item.Outcome switch
        {
            ReplayOutcome.Replayed => text["Đã gửi lại chuyển phát.", "The delivery was replayed."],
            ReplayOutcome.AlreadyDelivered => text["Đơn vị nhận đã có văn bản; không gửi lại.", "The recipient already has it; nothing was replayed."],
            ReplayOutcome.NotFailed => text["Chuyển phát chưa lỗi; không gửi lại.", "The delivery has not failed; nothing was replayed."],
            ReplayOutcome.NoRoute => text["Không có đường chuyển tới đơn vị nhận; chuyển phát vẫn lỗi.", "The recipient has no route; the delivery stays failed."],
            _ => text["Không tìm thấy chuyển phát.", "No such delivery."],
        }, error: item.Outcome != ReplayOutcome.Replayed);
        return Page();
    }

    private void Report(string message, bool error)
    {
        Message = message;
        MessageIsError = error;
    }

    private async Task<bool> LoadAsync(CancellationToken ct, bool readContent = true)
    {
        if (DocumentId() is not { Length: > 0 } id || await documents.FindAsync(id, DocumentScope, ct) is not { } file)
        {
            return false;
        }

        Record = file;
        Latest = file.Packages.Last(p => p.Kind == PackageKind.Document);
        if (readContent)
        {
            // The screen parses the package whole (attachments and their PDF signatures): a whole copy is
            // inherent here, unlike the download, which streams.
            await using var body = await packages.OpenBodyAsync(Latest.Id, ct);
            Said = DocumentContent.Read(await body.ToArrayAsync(ct), signerRule);
        }

        Timelines = RecipientTimeline.Of(file);
        return true;
    }

    // A DocumentId may hold '/', ',', '%', '?' or '#': links escape it whole, and it is read back from the
    // raw request target, since the server leaves an escaped '/' escaped in the decoded path.
    private string? DocumentId()
    {
        var raw = HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is null || !raw.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return RouteData.Values["documentId"] as string;
        }

        var path = raw[Prefix.Length..];
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return Uri.UnescapeDataString(query < 0 ? path : path[..query]);
    }
}
