using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Lgsp.Exchange.Reports.Rollups;
using A = DocumentFormat.OpenXml.Drawing;
using C = DocumentFormat.OpenXml.Drawing.Charts;
using Xdr = DocumentFormat.OpenXml.Drawing.Spreadsheet;

namespace Lgsp.Exchange.Reports.Export;

// The chart sheet: real Excel charts whose series point at the breakdown sheets' cells, so that they
// follow any correction an office makes in the workbook before sending it upward.
public static partial class ReportXlsx
{
    /// <summary>The chart sheet's name.</summary>
    public const string ChartSheet = "Biểu đồ";

    /// <summary>The figures each chart draws, one series each.</summary>
    public static IReadOnlyList<Figure> ChartedFigures { get; } = [Figure.Sent, Figure.Received];

    // Up to this many days the line runs over the days, beyond it over the months.
    private const int MostDaysOnTheLine = 62;

    /// <summary>The breakdown the line over time is drawn from: days for a period of up to two months, else months.</summary>
    public static ReportBreakdown TimeBreakdown(IReadOnlyList<Report> breakdowns)
    {
        ArgumentNullException.ThrowIfNull(breakdowns);
        var days = breakdowns.FirstOrDefault(b => b.Request.By == ReportBreakdown.Day);
        return days is not null && (breakdowns.All(b => b.Request.By != ReportBreakdown.Month) || days.Rows.Count <= MostDaysOnTheLine)
            ? ReportBreakdown.Day
            : ReportBreakdown.Month;
    }

    /// <summary>The column letter of a figure on a breakdown's sheet (the key, the name on the agency sheet, then every figure in order).</summary>
    public static string ColumnOf(ReportBreakdown by, Figure figure) => ColumnName((by == ReportBreakdown.Agency ? 3 : 2) + (int)figure);

    /// <summary>A reference to cells of a sheet as a chart formula: <c>'Sheet'!$C$2:$C$10</c>.</summary>
    public static string RangeOf(string sheet, string column, int firstRow, int lastRow) => string.Create(CultureInfo.InvariantCulture,
        $"'{sheet.Replace("'", "''", StringComparison.Ordinal)}'!${column}${firstRow}:${column}${lastRow}");

    private static void AddCharts(MemoryStream workbook, IReadOnlyList<Report> breakdowns)
    {
        var byAgency = breakdowns.FirstOrDefault(b => b.Request.By == ReportBreakdown.Agency);
        var time = TimeBreakdown(breakdowns);
        var overTime = breakdowns.FirstOrDefault(b => b.Request.By == time);
        if ((byAgency is null || byAgency.Rows.Count == 0) && (overTime is null || overTime.Rows.Count == 0))
        {
            return;
        }

        using var document = SpreadsheetDocument.Open(workbook, isEditable: true);
        var book = document.WorkbookPart!;
        var sheetPart = book.AddNewPart<WorksheetPart>();
        var drawings = sheetPart.AddNewPart<DrawingsPart>();
        sheetPart.Worksheet = new Worksheet(new SheetData(), new Drawing { Id = sheetPart.GetIdOfPart(drawings) });
        drawings.WorksheetDrawing = new Xdr.WorksheetDrawing();
        uint id = 1;
        var row = 0;
        if (byAgency is { Rows.Count: > 0 })
        {
            AddChart(drawings, id++, row, "Văn bản gửi, nhận theo đơn vị", line: false, byAgency);
            row += 22;
        }

        if (overTime is { Rows.Count: > 0 })
        {
            AddChart(drawings, id, row, time == ReportBreakdown.Day ? "Văn bản gửi, nhận theo ngày" : "Văn bản gửi, nhận theo tháng", line: true, overTime);
        }

        var sheets = book.Workbook.Sheets!;
        var sheetId = sheets.Elements<Sheet>().Select(s => s.SheetId?.Value ?? 0).DefaultIfEmpty(0u).Max() + 1;
        // Right after the summary, where the reader looks first.
        sheets.InsertAt(new Sheet { Id = book.GetIdOfPart(sheetPart), SheetId = sheetId, Name = ChartSheet }, 1);
        book.Workbook.Save();
    }

    private static void AddChart(DrawingsPart drawings, uint id, int fromRow, string title, bool line, Report breakdown)
    {
        var by = breakdown.Request.By;
        var sheet = FigureLabels.SheetName(by);
        var lastRow = breakdown.Rows.Count + 1; // the heading is row 1; the total row after the rows is left out
        var chartPart = drawings.AddNewPart<ChartPart>();
        OpenXmlCompositeElement chart = line
            ? new C.LineChart(new C.Grouping { Val = C.GroupingValues.Standard }, new C.VaryColors { Val = false })
            : new C.BarChart(new C.BarDirection { Val = C.BarDirectionValues.Column }, new C.BarGrouping { Val = C.BarGroupingValues.Clustered },
                new C.VaryColors { Val = false });
        for (var i = 0; i < ChartedFigures.Count; i++)
        {
            var column = ColumnOf(by, ChartedFigures[i]);
            OpenXmlElement[] parts =
            [
                new C.Index { Val = (uint)i },
                new C.Order { Val = (uint)i },
                new C.SeriesText(new C.StringReference(new C.Formula(RangeOf(sheet, column, 1, 1).Split(':')[0]))),
            ];
            var categories = new C.CategoryAxisData(new C.StringReference(new C.Formula(RangeOf(sheet, "A", 2, lastRow))));
            var values = new C.Values(new C.NumberReference(new C.Formula(RangeOf(sheet, column, 2, lastRow))));
            chart.Append(line
                ? new C.LineChartSeries([.. parts, new C.Marker(new C.Symbol { Val = C.MarkerStyleValues.None }), categories, values, new C.Smooth { Val = false }])
                : new C.BarChartSeries([.. parts, new C.InvertIfNegative { Val = false }, categories, values]));
        }

        if (!line)
        {
            chart.Append(new C.GapWidth { Val = 50 });
        }

        chart.Append(new C.AxisId { Val = 1 }, new C.AxisId { Val = 2 });
        chartPart.ChartSpace = new C.ChartSpace(
            new C.Chart(
                new C.Title(new C.ChartText(new C.RichText(new A.BodyProperties(), new A.ListStyle(), new A.Paragraph(new A.Run(new A.Text(title))))),
                    new C.Overlay { Val = false }),
                new C.AutoTitleDeleted { Val = false },
                new C.PlotArea(
                    new C.Layout(),
                    chart,
                    new C.CategoryAxis(new C.AxisId { Val = 1 }, new C.Scaling(new C.Orientation { Val = C.OrientationValues.MinMax }),
                        new C.Delete { Val = false }, new C.AxisPosition { Val = C.AxisPositionValues.Bottom }, new C.CrossingAxis { Val = 2 }),
                    new C.ValueAxis(new C.AxisId { Val = 2 }, new C.Scaling(new C.Orientation { Val = C.OrientationValues.MinMax }),
                        new C.Delete { Val = false }, new C.AxisPosition { Val = C.AxisPositionValues.Left }, new C.MajorGridlines(),
                        new C.CrossingAxis { Val = 1 })),
                new C.Legend(new C.LegendPosition { Val = C.LegendPositionValues.Bottom }, new C.Overlay { Val = false }),
                new C.PlotVisibleOnly { Val = true }));
        chartPart.ChartSpace.Save();

        drawings.WorksheetDrawing!.Append(new Xdr.TwoCellAnchor(
            Marker<Xdr.FromMarker>(0, fromRow),
            Marker<Xdr.ToMarker>(16, fromRow + 20),
            new Xdr.GraphicFrame(
                new Xdr.NonVisualGraphicFrameProperties(new Xdr.NonVisualDrawingProperties { Id = id + 1, Name = title },
                    new Xdr.NonVisualGraphicFrameDrawingProperties()),
                new Xdr.Transform(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = 0, Cy = 0 }),
                new A.Graphic(new A.GraphicData(new C.ChartReference { Id = drawings.GetIdOfPart(chartPart) })
                {
                    Uri = "http://schemas.openxmlformats.org/drawingml/2006/chart",
                })),
            new Xdr.ClientData()));
        drawings.WorksheetDrawing.Save();
    }

    private static T Marker<T>(int column, int row) where T : OpenXmlCompositeElement, new()
    {
        var marker = new T();
        marker.Append(new Xdr.ColumnId(column.ToString(CultureInfo.InvariantCulture)), new Xdr.ColumnOffset("0"),
            new Xdr.RowId(row.ToString(CultureInfo.InvariantCulture)), new Xdr.RowOffset("0"));
        return marker;
    }

    // 1 → A, 27 → AA.
    private static string ColumnName(int number)
    {
        var name = "";
        for (; number > 0; number = (number - 1) / 26)
        {
            name = (char)('A' + ((number - 1) % 26)) + name;
        }

        return name;
    }
}
