using CsvHelper;
using Lgsp.Exchange.Storage;
using Lgsp.Web.Text;
using Microsoft.AspNetCore.Mvc;

namespace Lgsp.Web.Pages;

// The CSV export of a search: every row of the result (not only the page shown), newest first.
public sealed partial class DocumentsModel
{
    /// <summary>The result as CSV: UTF-8 with a byte order mark (so that spreadsheet programs read
    /// Vietnamese right), headers in the reader's language, times as the screen shows them.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        var query = Query();
        var scope = DocumentScope;
        var rows = new List<DocumentRow>();
        DocumentCursor? after = null;
        do
        {
            var page = await documents.SearchAsync(query, scope, after, 1000, ct);
            rows.AddRange(page.Rows);
            after = page.Next;
        }
        while (after is not null && rows.Count < CsvLimit);

        // Subjects come from senders: a field a spreadsheet would run as a formula (=, +, -, @) is escaped.
        using var buffer = new MemoryStream();
        await using (var csv = CsvWriter.Create(buffer, new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            csv.WriteHeader([.. Headers(text)]);
            foreach (var row in rows.Take(CsvLimit))
            {
                csv.WriteRecord(
                [
                    row.DocumentId, row.Code, row.Subject ?? "", row.From,
                    string.Join("; ", row.Recipients.Select(r => $"{r.Recipient} ({text.State(r.State)})")),
                    text.Business(row.BusinessType), text.TimeToSecond(row.ReceivedAt),
                ]);
            }
        }

        var name = $"van-ban-{TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, ConsoleText.Zone):yyyyMMdd-HHmm}.csv";
        return File(buffer.ToArray(), "text/csv; charset=utf-8", name);
    }

    /// <summary>The CSV's header row.</summary>
    public static IReadOnlyList<string> Headers(ConsoleText t) =>
    [
        "DocumentId", t["Số/Ký hiệu", "Number/notation"], t["Trích yếu", "Subject"], t["Nơi gửi", "Sender"], t["Nơi nhận", "Recipients"],
        t["Loại nghiệp vụ", "Business type"], t["Thời điểm nhận", "Received at"],
    ];
}
