using System.Globalization;
using Lgsp.Exchange.People;
using Lgsp.Exchange.Storage;
using Lgsp.Web.Auth;
using Lgsp.Web.Text;
using Microsoft.AspNetCore.Mvc;

namespace Lgsp.Web.Pages;

/// <summary>Document search: by DocumentId, number/notation or words of the subject (without regard
/// to accents), sender, recipient, dates and delivery state; newest first, a page at a time (keyset),
/// and the whole result as CSV. An agency clerk searches only its agencies' documents.</summary>
[Requires(ConsoleRight.ReadOwnDocuments)]
public sealed partial class DocumentsModel(IDocumentStore documents, ConsoleText text) : ConsolePageModel
{
    /// <summary>Rows on a page unless the address asks for another number.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The most rows one CSV export holds.</summary>
    public const int CsvLimit = 100_000;

    /// <summary>The search box: DocumentId, number/notation or words of the subject.</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Text { get; set; }

    /// <summary>Sender's code.</summary>
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    /// <summary>Recipient's code.</summary>
    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    /// <summary>Received on or after this day (the province's calendar).</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? Since { get; set; }

    /// <summary>Received on or before this day.</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? Until { get; set; }

    /// <summary>A delivery state some recipient is in.</summary>
    [BindProperty(SupportsGet = true)]
    public DeliveryState? State { get; set; }

    /// <summary>Where this page starts (the previous page's <see cref="DocumentPage.Next"/>).</summary>
    [BindProperty(SupportsGet = true)]
    public string? After { get; set; }

    /// <summary>Rows per page (1 to 200).</summary>
    [BindProperty(SupportsGet = true, Name = "n")]
    public int? Size { get; set; }

    /// <summary>The page found.</summary>
    public DocumentPage Result { get; private set; } = new([], null);

    /// <summary>Shows a page of results.</summary>
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (After is not null && Cursor(After) is null)
        {
            return BadRequest();
        }

        Result = await documents.SearchAsync(Query(), DocumentScope, Cursor(After), Math.Clamp(Size ?? DefaultPageSize, 1, 200), ct);
        return Page();
    }

    /// <summary>The address of the page after this one, with the same search.</summary>
    public string NextUrl(DocumentCursor next) => Link(("after", $"{next.ReceivedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}-{next.PackageId.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>The address of this search's first page.</summary>
    public string FirstUrl => Link();

    /// <summary>The address of the CSV export of this search.</summary>
    public string CsvUrl => Link(("handler", "Csv"));

    /// <summary>The address of a document's page.</summary>
    public static string DocumentUrl(string documentId) => "/console/documents/" + Uri.EscapeDataString(documentId);

    private DocumentQuery Query() => new()
    {
        Text = Text,
        From = From,
        To = To,
        Since = Since is { } since ? Midnight(since) : null,
        Until = Until is { } until ? Midnight(until.AddDays(1)) : null,
        State = State,
    };

    // Days are the province's: a search for 06/12 means from 06/12 00:00 to 07/12 00:00 in Hanoi.
    private static DateTimeOffset Midnight(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, ConsoleText.Zone.GetUtcOffset(local));
    }

    private static DocumentCursor? Cursor(string? after)
    {
        var parts = after?.Split('-');
        return parts is [var ticks, var id]
            && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t is >= 0 and <= 3155378975999999999
            && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            ? new DocumentCursor(new DateTimeOffset(t, TimeSpan.Zero), i)
            : null;
    }

    private string Link(params (string Name, string Value)[] extra)
    {
        var values = new List<(string, string?)>
        {
            ("q", Text), ("from", From), ("to", To), ("since", Since?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("until", Until?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("state", State?.ToString()),
            ("n", Size?.ToString(CultureInfo.InvariantCulture)),
        };
        values.AddRange(extra.Select(e => (e.Name, (string?)e.Value)));
        return "/console/documents?" + string.Join('&', values.Where(v => !string.IsNullOrWhiteSpace(v.Item2))
            .Select(v => v.Item1 + "=" + Uri.EscapeDataString(v.Item2!)));
    }
}
