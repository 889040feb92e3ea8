using System.Globalization;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.People;
using Lgsp.Exchange.Reports;
using Lgsp.Exchange.Reports.Rollups;
using Lgsp.Web.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Lgsp.Web.Pages;

/// <summary>The drill-down of the reports (docs/reports.md#drill-down): the documents or deliveries behind
/// one figure of an agency, a unit or the whole hub over a period, recounted from the raw rows by the
/// predicates of the rollups, each linking to its document's page. An agency clerk sees only the
/// documents its agencies sent or were sent.</summary>
[Requires(ConsoleRight.ReadOwnDocuments)]
public sealed class ReportDocumentsModel(ReportService reports) : ConsolePageModel
{
    /// <summary>Rows on a page.</summary>
    public const int PageSize = 50;

    /// <summary>The figure's name (camelCase, as in JSON).</summary>
    [BindProperty(SupportsGet = true, Name = "figure")]
    public string? FigureName { get; set; }

    /// <summary>The first local day.</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    /// <summary>The last local day.</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    /// <summary>A unit: the agency and its subtree.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    /// <summary>One agency alone (a row of the agency breakdown).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Agency { get; set; }

    /// <summary>An error code of the failed deliveries.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    /// <summary>The page, from 1.</summary>
    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    /// <summary>The figure asked for, when its name is known.</summary>
    public Figure? Figure { get; private set; }

    /// <summary>What lies behind the figure; null when the request was refused.</summary>
    public DrillDownPage? Result { get; private set; }

    /// <summary>Why the list could not be made.</summary>
    public Lgsp.Edxml.Errors.EdxmlError? Refusal { get; private set; }

    /// <summary>Shows a page of the documents or deliveries behind the figure.</summary>
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Figure = Figures.All.Cast<Figure?>().FirstOrDefault(f => Figures.Name(f!.Value) == FigureName);
        var today = ReportsModel.Today;
        try
        {
            if (Figure is not { } figure)
            {
                throw ExchangeException.Of(HubErrorCode.InvalidRequest, "figure", "no such figure");
            }

            PageNumber = Math.Max(1, PageNumber);
            Result = await reports.DrillDownAsync(new DrillDownRequest(figure, From ?? new DateOnly(today.Year, today.Month, 1), To ?? today,
                Blank(Unit), Blank(Agency), Blank(Code), DocumentScope, (PageNumber - 1) * PageSize, PageSize), ct);
        }
        catch (ExchangeException refused)
        {
            Refusal = refused.Error;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        return Page();
    }

    /// <summary>True for a receiver figure: the rows are deliveries.</summary>
    public bool Deliveries => Figure is { } f && !Figures.IsSender(f);

    /// <summary>This list's address on another page.</summary>
    public string PageUrl(int page) => Address(FigureName, From, To, Unit, Agency, Code, page);

    /// <summary>The address of the drill-down of a figure.</summary>
    public static string Address(string? figure, DateOnly? from, DateOnly? to, string? unit = null, string? agency = null, string? code = null, int page = 1)
    {
        var values = new (string Name, string? Value)[]
        {
            ("figure", figure), ("from", from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("to", to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("unit", unit), ("agency", agency), ("code", code), ("page", page > 1 ? page.ToString(CultureInfo.InvariantCulture) : null),
        };
        return "/console/reports/documents?" + string.Join('&', values.Where(v => !string.IsNullOrWhiteSpace(v.Value))
            .Select(v => v.Name + "=" + Uri.EscapeDataString(v.Value!)));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
