using System.Text.RegularExpressions;
using Lgsp.Exchange.Reports;
using Lgsp.Exchange.Reports.Export;
using Lgsp.Exchange.Reports.Rollups;
using Lgsp.Web.Pages;

namespace Lgsp.Web.Text;

/// <summary>The names the reports screen gives to figures, breakdowns and periods. Vietnamese headings are
/// the exports' own (<see cref="FigureLabels"/>), so the screen and the workbook say the same.</summary>
public static partial class ReportWords
{
    /// <summary>A figure's heading: the exports' Vietnamese, or its JSON name in words.</summary>
    public static string Figure(this ConsoleText t, Figure figure)
    {
        var words = CamelHumps().Replace(Figures.Name(figure), " $1").ToLowerInvariant();
        return t[FigureLabels.Of(figure), char.ToUpperInvariant(words[0]) + words[1..]];
    }

    /// <summary>A breakdown's name.</summary>
    public static string Breakdown(this ConsoleText t, ReportBreakdown by) => by switch
    {
        ReportBreakdown.Agency => t["Theo đơn vị", "By agency"],
        ReportBreakdown.Tier => t["Theo cấp", "By tier"],
        ReportBreakdown.Day => t["Theo ngày", "By day"],
        _ => t["Theo tháng", "By month"],
    };

    /// <summary>The heading of a breakdown's key column.</summary>
    public static string KeyHeading(this ConsoleText t, ReportBreakdown by) => by switch
    {
        ReportBreakdown.Agency => t[FigureLabels.KeyHeading(by), "Code"],
        ReportBreakdown.Tier => t[FigureLabels.KeyHeading(by), "Tier"],
        ReportBreakdown.Day => t[FigureLabels.KeyHeading(by), "Day"],
        _ => t[FigureLabels.KeyHeading(by), "Month"],
    };

    /// <summary>A period kind's name.</summary>
    public static string Period(this ConsoleText t, ReportPeriod period) => period switch
    {
        ReportPeriod.Day => t["Ngày", "Day"],
        ReportPeriod.Month => t["Tháng", "Month"],
        ReportPeriod.Quarter => t["Quý", "Quarter"],
        ReportPeriod.Year => t["Năm", "Year"],
        _ => t["Tùy chọn (từ ngày, đến ngày)", "Custom (from, to)"],
    };

    /// <summary>A time measure's name: the answer it times.</summary>
    public static string Measure(this ConsoleText t, TimeMeasure measure) => measure.Name switch
    {
        "pickedUp" => t["Lấy hoặc xác nhận văn bản", "Fetched or confirmed"],
        "arrived" => t["Đã đến (01)", "Arrived (01)"],
        "refused" => t["Từ chối, trả lại (02)", "Refused, returned (02)"],
        "accepted" => t["Tiếp nhận (03)", "Accepted (03)"],
        _ => t["Hoàn thành (06)", "Finished (06)"],
    };

    /// <summary>A mean in hours with two decimals in the reader's language, or a dash when nothing was answered.</summary>
    public static string Hours(this ConsoleText t, double? hours) => hours?.ToString("N2", t.Culture) ?? "—";

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex CamelHumps();
}
