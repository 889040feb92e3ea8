using System.Globalization;
using System.Text.Json;
using Lgsp.Exchange.Reports.Rollups;

namespace Lgsp.Exchange.Reports.Export;

/// <summary>The report as JSON: the shape of <c>GET /admin/api/reports</c> and <c>lgsp report --format json</c> (docs/api.md).</summary>
public static class ReportJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The object serialised.</summary>
    public static object View(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new
        {
            from = Day(report.Request.From),
            to = Day(report.Request.To),
            unit = report.Request.Unit,
            unitName = report.UnitName,
            by = report.Request.By.ToString().ToLowerInvariant(),
            asOf = report.AsOf,
            total = report.Total.ByName(),
            times = Times(report.Total),
            failuresByCode = report.FailuresByCode,
            rows = report.Rows.Select(r => new { key = r.Key, name = r.Name, figures = r.Figures.ByName(), times = Times(r.Figures) }),
            ranking = report.Ranking.Select(r => new { rank = r.Rank, agency = r.Agency, name = r.Name, due = r.Due, onTime = r.OnTime, share = Math.Round(r.Share, 4) }),
            notReceived = report.NotReceived.Select(n => new { agency = n.Agency, name = n.Name, count = n.Count }),
        };
    }

    /// <summary>The JSON text (UTF-8, indented).</summary>
    public static string Serialize(Report report) => JsonSerializer.Serialize(View(report), Options);

    // The mean of each time measure in hours (null when no delivery got the answer), beside the sums it is made of.
    private static Dictionary<string, object> Times(FigureCounts counts) => TimeMeasure.All.ToDictionary(m => m.Name, m => (object)new
    {
        count = counts[m.Count],
        meanHours = m.MeanHours(counts),
        meanWorkingHours = m.MeanWorkingHours(counts),
    });

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The figure names in order (for readers that want the columns).</summary>
    public static IReadOnlyList<string> FigureNames => Figures.Names;
}
