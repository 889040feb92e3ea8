using Lgsp.Exchange.Reports.Rollups;
using MiniExcelLibs;

namespace Lgsp.Exchange.Reports.Export;

/// <summary>
/// The report as an Excel workbook with Vietnamese headings: a summary sheet (every figure of the
/// unit), a sheet per breakdown (agency, tier, day, month, each with a total row), the ranking, the
/// recipients that did not receive electronically and the failed deliveries by error code, and a
/// chart sheet: bars by agency and a line over time, drawn from the breakdown sheets' cells
/// (docs/adr/0010-xlsx-library.md).
/// </summary>
public static partial class ReportXlsx
{
    /// <summary>The summary sheet's name.</summary>
    public const string SummarySheet = "Tổng hợp";

    /// <summary>The ranking sheet's name.</summary>
    public const string RankingSheet = "Xếp hạng";

    /// <summary>The not-received sheet's name.</summary>
    public const string NotReceivedSheet = "Không nhận điện tử";

    /// <summary>The failures sheet's name.</summary>
    public const string FailuresSheet = "Chuyển phát lỗi";

    /// <summary>Writes the workbook to <paramref name="output"/> (left open).</summary>
    /// <param name="breakdowns">The same period and unit broken down each way (one sheet each, in the order given).</param>
    /// <param name="output">Where to write.</param>
    public static void Write(IReadOnlyList<Report> breakdowns, Stream output)
    {
        ArgumentNullException.ThrowIfNull(breakdowns);
        ArgumentOutOfRangeException.ThrowIfZero(breakdowns.Count);
        var report = breakdowns[0];
        var sheets = new Dictionary<string, object>
        {
            [SummarySheet] = Summary(report),
        };
        foreach (var breakdown in breakdowns)
        {
            sheets[FigureLabels.SheetName(breakdown.Request.By)] = Rows(breakdown);
        }

        sheets[RankingSheet] = report.Ranking.Select(r => new Dictionary<string, object?>
        {
            ["Hạng"] = r.Rank,
            ["Mã định danh"] = r.Agency,
            [FigureLabels.NameHeading] = r.Name,
            [FigureLabels.Of(Figure.ReceivedDue)] = r.Due,
            [FigureLabels.Of(Figure.ReceivedOnTime)] = r.OnTime,
            ["Tỷ lệ nhận đúng hạn"] = Math.Round(r.Share, 4),
        }).ToList();
        sheets[NotReceivedSheet] = report.NotReceived.Select(n => new Dictionary<string, object?>
        {
            ["Mã định danh"] = n.Agency,
            [FigureLabels.NameHeading] = n.Name,
            [FigureLabels.Of(Figure.NotReceived)] = n.Count,
        }).ToList();
        sheets[FailuresSheet] = report.FailuresByCode.Select(f => new Dictionary<string, object?>
        {
            ["Mã lỗi"] = f.Key,
            ["Số lượng"] = f.Value,
        }).ToList();
        // MiniExcel writes the sheets; the Open XML SDK adds the chart sheet over them.
        using var workbook = new MemoryStream();
        workbook.SaveAs(sheets);
        AddCharts(workbook, breakdowns);
        workbook.Position = 0;
        workbook.CopyTo(output);
    }

    /// <summary>The workbook bytes.</summary>
    public static byte[] ToBytes(IReadOnlyList<Report> breakdowns)
    {
        using var buffer = new MemoryStream();
        Write(breakdowns, buffer);
        return buffer.ToArray();
    }

    private static List<Dictionary<string, object?>> Summary(Report report)
    {
        var rows = new List<Dictionary<string, object?>>
        {
            Pair("Đơn vị", report.UnitName),
            Pair("Từ ngày", report.Request.From.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture)),
            Pair("Đến ngày", report.Request.To.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture)),
        };
        rows.AddRange(Figures.All.Select(f => Pair(FigureLabels.Of(f), report.Total[f])));
        foreach (var measure in TimeMeasure.All)
        {
            rows.Add(Pair(FigureLabels.MeanHours(measure), measure.MeanHours(report.Total)));
            rows.Add(Pair(FigureLabels.MeanWorkingHours(measure), measure.MeanWorkingHours(report.Total)));
        }

        return rows;
    }

    private static Dictionary<string, object?> Pair(string label, object? value) => new() { ["Chỉ tiêu"] = label, ["Giá trị"] = value };

    private static List<Dictionary<string, object?>> Rows(Report report)
    {
        var by = report.Request.By;
        return [.. report.Rows.Append(new ReportRow(ReportCsv.TotalKey, null, report.Total)).Select(row =>
        {
            var cells = new Dictionary<string, object?> { [FigureLabels.KeyHeading(by)] = row.Key };
            if (by == ReportBreakdown.Agency)
            {
                cells[FigureLabels.NameHeading] = row.Name;
            }

            foreach (var figure in Figures.All)
            {
                cells[FigureLabels.Of(figure)] = row.Figures[figure];
            }

            foreach (var measure in TimeMeasure.All)
            {
                cells[FigureLabels.MeanHours(measure)] = measure.MeanHours(row.Figures);
                cells[FigureLabels.MeanWorkingHours(measure)] = measure.MeanWorkingHours(row.Figures);
            }

            return cells;
        })];
    }
}
