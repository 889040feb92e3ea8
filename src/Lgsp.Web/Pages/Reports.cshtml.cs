using System.Globalization;
using System.Text.Json;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.People;
using Lgsp.Exchange.Reports;
using Lgsp.Exchange.Reports.Rollups;
using Lgsp.Exchange.Storage;
using Lgsp.Web.Auth;
using Lgsp.Web.Text;
using Microsoft.AspNetCore.Mvc;

namespace Lgsp.Web.Pages;

/// <summary>How a report's period is chosen on the page.</summary>
public enum ReportPeriod
{
    /// <summary>One day.</summary>
    Day,

    /// <summary>The calendar month of the day given.</summary>
    Month,

    /// <summary>Its quarter.</summary>
    Quarter,

    /// <summary>Its year.</summary>
    Year,

    /// <summary>From and to as given.</summary>
    Custom,
}

/// <summary>The exchange reports (docs/reports.md): every figure of <see cref="ReportService"/> for a
/// period and unit, its breakdown, the ranking, failures by code and the not-received list, with charts,
/// drill-down to the documents, and the shared CSV and XLSX exports.</summary>
[Requires(ConsoleRight.ReadAll)]
public sealed partial class ReportsModel(ReportService reports, IDirectoryStore directory) : ConsolePageModel
{
    /// <summary>The period's kind.</summary>
    [BindProperty(SupportsGet = true)]
    public ReportPeriod Period { get; set; } = ReportPeriod.Month;

    /// <summary>A day inside the period (day, month, quarter, year); today when empty.</summary>
    [BindProperty(SupportsGet = true, Name = "date")]
    public DateOnly? Anchor { get; set; }

    /// <summary>The first day of a custom period.</summary>
    [BindProperty(SupportsGet = true, Name = "from")]
    public DateOnly? CustomFrom { get; set; }

    /// <summary>The last day of a custom period.</summary>
    [BindProperty(SupportsGet = true, Name = "to")]
    public DateOnly? CustomTo { get; set; }

    /// <summary>An agency code (it and its subtree); empty: every agency of the hub.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    /// <summary>The breakdown.</summary>
    [BindProperty(SupportsGet = true)]
    public ReportBreakdown By { get; set; } = ReportBreakdown.Agency;

    /// <summary>The agencies to choose a unit from.</summary>
    public IReadOnlyList<Agency> Agencies { get; private set; } = [];

    /// <summary>The report; null when the request was refused (<see cref="Refusal"/>).</summary>
    public Report? Result { get; private set; }

    /// <summary>Why the report could not be made.</summary>
    public Lgsp.Edxml.Errors.EdxmlError? Refusal { get; private set; }

    /// <summary>Shows the report.</summary>
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Agencies = [.. (await directory.ListAgenciesAsync(null, ct)).OrderBy(a => a.Code, StringComparer.Ordinal)];
        try
        {
            Result = await reports.ReportAsync(Asked(), ct);
        }
        catch (ExchangeException refused)
        {
            Refusal = refused.Error;
        }

        return Page();
    }

    /// <summary>Today in the province.</summary>
    public static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, ConsoleText.Zone).DateTime);

    /// <summary>The period asked for, as first and last local day.</summary>
    public (DateOnly From, DateOnly To) Range()
    {
        var day = Anchor ?? Today;
        return Period switch
        {
            ReportPeriod.Day => (day, day),
            ReportPeriod.Quarter => (new DateOnly(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1), new DateOnly(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1).AddMonths(3).AddDays(-1)),
            ReportPeriod.Year => (new DateOnly(day.Year, 1, 1), new DateOnly(day.Year, 12, 31)),
            ReportPeriod.Custom => (CustomFrom ?? day, CustomTo ?? CustomFrom ?? day),
            _ => (new DateOnly(day.Year, day.Month, 1), new DateOnly(day.Year, day.Month, 1).AddMonths(1).AddDays(-1)),
        };
    }

    private ReportRequest Asked()
    {
        var (from, to) = Range();
        return new ReportRequest(from, to, string.IsNullOrWhiteSpace(Unit) ? null : Unit.Trim(), By);
    }

    /// <summary>The address of this report with <paramref name="extra"/> (e.g. an export handler).</summary>
    public string Link(params (string Name, string Value)[] extra)
    {
        var values = new List<(string, string?)>
        {
            ("period", Period.ToString().ToLowerInvariant()), ("date", Day(Anchor)), ("from", Day(CustomFrom)), ("to", Day(CustomTo)),
            ("unit", Unit), ("by", By.ToString().ToLowerInvariant()),
        };
        values.AddRange(extra.Select(e => (e.Name, (string?)e.Value)));
        return "/console/reports?" + string.Join('&', values.Where(v => !string.IsNullOrWhiteSpace(v.Item2))
            .Select(v => v.Item1 + "=" + Uri.EscapeDataString(v.Item2!)));
    }

    /// <summary>The figures the document search expresses (an agency's documents sent, received): their
    /// drill-down is the search; every other figure drills down to <see cref="ReportDocumentsModel"/>.</summary>
    public static readonly IReadOnlySet<Figure> Searchable = new HashSet<Figure> { Figure.Sent, Figure.Received };

    /// <summary>The documents behind <paramref name="figure"/> of one agency's row.</summary>
    public string? DocumentsUrl(string agency, Figure figure)
    {
        if (Result is null)
        {
            return null;
        }

        var (from, to) = (Result.Request.From, Result.Request.To);
        if (Searchable.Contains(figure))
        {
            var side = figure == Figure.Sent ? "from" : "to";
            return $"/console/documents?{side}={Uri.EscapeDataString(agency)}&since={Day(from)}&until={Day(to)}";
        }

        return ReportDocumentsModel.Address(Figures.Name(figure), from, to, agency: agency);
    }

    /// <summary>The documents behind a figure of the whole unit (the headline figures, the total row, a
    /// failure code).</summary>
    public string? UnitDocumentsUrl(Figure figure, string? code = null) =>
        Result is null ? null : ReportDocumentsModel.Address(Figures.Name(figure), Result.Request.From, Result.Request.To, Result.Request.Unit, code: code);

    /// <summary>The chart's data: one point per breakdown row (bar for agencies and tiers, line over days
    /// and months) for the main figures.</summary>
    public string ChartJson(ConsoleText t)
    {
        var rows = Result?.Rows ?? [];
        Figure[] shown = [Figure.Sent, Figure.Received, Figure.NotReceived, Figure.FailedDeliveries];
        return JsonSerializer.Serialize(new
        {
            type = By is ReportBreakdown.Day or ReportBreakdown.Month ? "line" : "bar",
            labels = rows.Select(r => r.Key),
            datasets = shown.Select(f => new { label = t.Figure(f), data = rows.Select(r => r.Figures[f]) }),
        });
    }

    private static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
