using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Lgsp.Exchange.Reports;
using Lgsp.Exchange.Reports.Export;
using Lgsp.Exchange.Reports.Rollups;
using MiniExcelLibs;
using C = DocumentFormat.OpenXml.Drawing.Charts;

namespace Lgsp.Exchange.Tests.Reports.Export;

/// <summary>The workbook's chart sheet: real Excel charts (bars by agency, a line over time) whose
/// series point at the breakdown sheets' cells, opened with the Open XML SDK.</summary>
public sealed class ReportXlsxChartTests
{
    private static FigureCounts Counts(long sent, long received)
    {
        var counts = new FigureCounts();
        counts[Figure.Sent] = sent;
        counts[Figure.Received] = received;
        return counts;
    }

    private static Report Breakdown(ReportBreakdown by, DateOnly from, DateOnly to, params (string Key, long Sent, long Received)[] rows)
    {
        var total = new FigureCounts();
        foreach (var row in rows)
        {
            total.Add(Counts(row.Sent, row.Received));
        }

        return new Report(new ReportRequest(from, to, By: by), "all agencies", null, total,
            [.. rows.Select(r => new ReportRow(r.Key, by == ReportBreakdown.Agency ? "Cơ quan " + r.Key : null, Counts(r.Sent, r.Received)))],
            [], new Dictionary<string, long>(), []);
    }

    // A year: three agencies, twelve months (so the line runs over the months), and 300 days.
    private static byte[] YearWorkbook()
    {
        var (from, to) = (new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31));
        return ReportXlsx.ToBytes(
        [
            Breakdown(ReportBreakdown.Agency, from, to, ("000.00.01.H56", 7, 2), ("000.00.02.H56", 3, 5), ("000.00.03.H56", 0, 4)),
            Breakdown(ReportBreakdown.Tier, from, to, ("department", 10, 11)),
            Breakdown(ReportBreakdown.Day, from, to, [.. Enumerable.Range(0, 300).Select(d => (from.AddDays(d).ToString("yyyy-MM-dd"), 1L, 1L))]),
            Breakdown(ReportBreakdown.Month, from, to, [.. Enumerable.Range(1, 12).Select(m => ($"2026-{m:00}", (long)m, 2L * m))]),
        ]);
    }

    private static List<(C.BarChart? Bar, C.LineChart? Line)> Charts(SpreadsheetDocument document)
    {
        var book = document.WorkbookPart!;
        var sheet = book.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == ReportXlsx.ChartSheet);
        var part = (WorksheetPart)book.GetPartById(sheet.Id!);
        return [.. part.DrawingsPart!.ChartParts.Select(c => (c.ChartSpace.Descendants<C.BarChart>().SingleOrDefault(),
            c.ChartSpace.Descendants<C.LineChart>().SingleOrDefault()))];
    }

    private static (string Name, string Categories, string Values) Formulas(DocumentFormat.OpenXml.OpenXmlElement series) => (
        series.GetFirstChild<C.SeriesText>()!.Descendants<C.Formula>().Single().Text,
        series.GetFirstChild<C.CategoryAxisData>()!.Descendants<C.Formula>().Single().Text,
        series.GetFirstChild<C.Values>()!.Descendants<C.Formula>().Single().Text);

    [Fact]
    public void The_chart_sheet_follows_the_summary_and_holds_a_bar_chart_and_a_line_chart()
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(YearWorkbook()), isEditable: false);

        var names = document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value).ToList();
        var charts = Charts(document);

        Assert.Equal(["Tổng hợp", "Biểu đồ", "Theo đơn vị"], names.Take(3));
        Assert.Equal(2, charts.Count);
        Assert.Equal(C.BarDirectionValues.Column, Assert.Single(charts, c => c.Bar is not null).Bar!.GetFirstChild<C.BarDirection>()!.Val!.Value);
        Assert.Single(charts, c => c.Line is not null);
    }

    [Fact]
    public void The_bars_draw_sent_and_received_per_agency_from_the_agency_sheet_without_the_total_row()
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(YearWorkbook()), isEditable: false);

        var series = Charts(document).Single(c => c.Bar is not null).Bar!.Elements<C.BarChartSeries>().Select(Formulas).ToList();

        // Columns: A code, B name, then the figures in order: C sent … AB received (the 26th figure: column 2 + 26); rows 2–4, the total in row 5 left out.
        Assert.Equal(
        [
            ("'Theo đơn vị'!$C$1", "'Theo đơn vị'!$A$2:$A$4", "'Theo đơn vị'!$C$2:$C$4"),
            ("'Theo đơn vị'!$AB$1", "'Theo đơn vị'!$A$2:$A$4", "'Theo đơn vị'!$AB$2:$AB$4"),
        ], series);
    }

    [Fact]
    public void The_line_of_a_year_runs_over_the_month_sheet()
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(YearWorkbook()), isEditable: false);

        var series = Charts(document).Single(c => c.Line is not null).Line!.Elements<C.LineChartSeries>().Select(Formulas).ToList();

        // The month sheet has no name column: B sent, AA received; twelve months in rows 2–13.
        Assert.Equal(
        [
            ("'Theo tháng'!$B$1", "'Theo tháng'!$A$2:$A$13", "'Theo tháng'!$B$2:$B$13"),
            ("'Theo tháng'!$AA$1", "'Theo tháng'!$A$2:$A$13", "'Theo tháng'!$AA$2:$AA$13"),
        ], series);
    }

    [Fact]
    public void The_cells_the_series_point_at_hold_the_headings_and_figures_drawn()
    {
        var bytes = YearWorkbook();

        var agencies = MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: false, sheetName: "Theo đơn vị").Cast<IDictionary<string, object?>>().ToList();
        var months = MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: false, sheetName: "Theo tháng").Cast<IDictionary<string, object?>>().ToList();

        Assert.Equal(("Văn bản gửi", "Văn bản nhận"), (agencies[0]["C"], agencies[0]["AB"]));
        Assert.Equal([("000.00.01.H56", 7.0, 2.0), ("000.00.02.H56", 3.0, 5.0), ("000.00.03.H56", 0.0, 4.0)],
            agencies.Skip(1).Take(3).Select(r => ((string)r["A"]!, Convert.ToDouble(r["C"]), Convert.ToDouble(r["AB"]))));
        Assert.Equal(("Văn bản gửi", "Văn bản nhận", "2026-12", 12.0, 24.0),
            (months[0]["B"], months[0]["AA"], months[12]["A"], Convert.ToDouble(months[12]["B"]), Convert.ToDouble(months[12]["AA"])));
    }

    [Fact]
    public void The_line_of_a_month_runs_over_the_days()
    {
        var (from, to) = (new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));
        var bytes = ReportXlsx.ToBytes(
        [
            Breakdown(ReportBreakdown.Agency, from, to, ("000.00.01.H56", 1, 1)),
            Breakdown(ReportBreakdown.Day, from, to, ("2026-03-02", 1, 0), ("2026-03-03", 0, 1)),
            Breakdown(ReportBreakdown.Month, from, to, ("2026-03", 1, 1)),
        ]);
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), isEditable: false);

        var series = Charts(document).Single(c => c.Line is not null).Line!.Elements<C.LineChartSeries>().Select(Formulas).First();

        Assert.Equal(("'Theo ngày'!$B$1", "'Theo ngày'!$A$2:$A$3", "'Theo ngày'!$B$2:$B$3"), series);
    }
}
