using System.Globalization;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Reports.Export;
using Microsoft.AspNetCore.Mvc;

namespace Lgsp.Web.Pages;

// The exports: the same exporters as `lgsp report --format csv|xlsx` (one implementation).
public sealed partial class ReportsModel
{
    /// <summary>The workbook: the summary, every breakdown (this page's first), the ranking, the
    /// not-received list and the failures by code.</summary>
    public async Task<IActionResult> OnGetXlsxAsync(CancellationToken ct)
    {
        try
        {
            var breakdowns = await reports.BreakdownsAsync(Asked(), ct);
            return File(ReportXlsx.ToBytes(breakdowns), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", FileName("xlsx"));
        }
        catch (ExchangeException)
        {
            // The page itself says why; a download has nowhere to say it.
            return BadRequest();
        }
    }

    /// <summary>The breakdown and a total row as CSV, UTF-8 with a byte-order mark.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        try
        {
            var report = await reports.ReportAsync(Asked(), ct);
            return File(ReportCsv.ToBytes(report), "text/csv; charset=utf-8", FileName("csv"));
        }
        catch (ExchangeException)
        {
            return BadRequest();
        }
    }

    private string FileName(string extension)
    {
        var (from, to) = Range();
        var unit = string.IsNullOrWhiteSpace(Unit) ? "toan-tinh" : Unit.Trim();
        return string.Create(CultureInfo.InvariantCulture, $"bao-cao-{unit}-{from:yyyyMMdd}-{to:yyyyMMdd}.{extension}");
    }
}
