using System.Globalization;
using CsvHelper;
using Lgsp.Exchange.Reports.Rollups;

namespace Lgsp.Exchange.Reports.Export;

/// <summary>The report's breakdown as CSV in UTF-8 with a byte-order mark (so Excel opens the
/// Vietnamese headings correctly): one row per breakdown row and a last row of totals.</summary>
public static class ReportCsv
{
    /// <summary>The total row's key.</summary>
    public const string TotalKey = "Tổng cộng";

    /// <summary>Writes the CSV to <paramref name="output"/> (left open).</summary>
    public static void Write(Report report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        // Agency names come from the directory: a name starting with = or + must not become a formula in Excel.
        using var csv = CsvWriter.Create(output, new CsvWriterOptions
        {
            WriteByteOrderMark = true,
            FormatProvider = CultureInfo.InvariantCulture,
            Injection = CsvInjection.Escape,
        }, true);
        csv.WriteField(FigureLabels.KeyHeading(report.Request.By));
        csv.WriteField(FigureLabels.NameHeading);
        foreach (var figure in Figures.All)
        {
            csv.WriteField(FigureLabels.Of(figure));
        }

        foreach (var measure in TimeMeasure.All)
        {
            csv.WriteField(FigureLabels.MeanHours(measure));
            csv.WriteField(FigureLabels.MeanWorkingHours(measure));
        }

        csv.EndRecord();
        foreach (var row in report.Rows.Append(new ReportRow(TotalKey, report.UnitName, report.Total)))
        {
            csv.WriteField(row.Key);
            csv.WriteField(row.Name ?? "");
            foreach (var figure in Figures.All)
            {
                csv.WriteField(row.Figures[figure].ToString(CultureInfo.InvariantCulture));
            }

            // The means of the row (empty when no delivery got the answer), so a reader needs no division.
            foreach (var measure in TimeMeasure.All)
            {
                csv.WriteField(measure.MeanHours(row.Figures)?.ToString(CultureInfo.InvariantCulture) ?? "");
                csv.WriteField(measure.MeanWorkingHours(row.Figures)?.ToString(CultureInfo.InvariantCulture) ?? "");
            }

            csv.EndRecord();
        }
    }

    /// <summary>The CSV bytes.</summary>
    public static byte[] ToBytes(Report report)
    {
        using var buffer = new MemoryStream();
        Write(report, buffer);
        return buffer.ToArray();
    }
}
