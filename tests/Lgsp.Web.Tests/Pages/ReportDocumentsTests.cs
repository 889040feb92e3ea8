using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.People;
using Lgsp.Web.Tests.Support;
using MiniExcelLibs;

namespace Lgsp.Web.Tests.Pages;

/// <summary>The drill-down of the reports: from a figure the document search cannot express (the
/// documents an agency finished, status 06) to exactly the documents behind it, within an agency
/// clerk's scope, and the month's workbook agreeing with the screen cell by cell.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ReportDocumentsTests(ConsoleSite site)
{
    [Fact]
    public async Task A_month_drills_down_from_the_documents_an_agency_finished_to_exactly_those_documents()
    {
        var operatorUser = await site.AddUserAsync(ConsoleRole.Operator);
        var page = await site.SignedInPageAsync(operatorUser);
        var today = Lgsp.Web.Pages.ReportsModel.Today;
        var month = (From: new DateOnly(today.Year, today.Month, 1), To: today);
        var drill = $"/console/reports/documents?figure=finished&from={month.From:yyyy-MM-dd}&to={month.To:yyyy-MM-dd}&agency={ConsoleSite.HomeAffairs}";
        var before = await ListedAsync(page, drill);

        // Two documents to Home Affairs; it fetches both and finishes (06) only the first.
        var word = SentDocuments.UniqueWord();
        var (finished, _) = await site.SendAsync(ConsoleSite.HacThanh, [ConsoleSite.HomeAffairs], $"Giải quyết hồ sơ {word}");
        var (open, _) = await site.SendAsync(ConsoleSite.HacThanh, [ConsoleSite.HomeAffairs], $"Hồ sơ đang xử lý {word}");
        var homeAffairs = site.Topology.Client(ConsoleSite.HomeAffairs);
        foreach (var documentId in new[] { finished, open })
        {
            var delivery = await site.PendingIdAsync(ConsoleSite.HomeAffairs, documentId);
            await homeAffairs.GetDocumentAsync(delivery);
            await homeAffairs.ConfirmAsync(delivery);
        }

        await homeAffairs.SendStatusAsync(site.Topology.SignedStatus(ConsoleSite.HomeAffairs, ConsoleSite.HacThanh, finished, StatusCode.Finished));
        var expected = before.Append(finished).Order(StringComparer.Ordinal).ToList();

        // The month chosen in the filters; the figure shows once the rollups were refreshed (sealing + refresh interval).
        var cell = page.Locator($"#report-rows tbody tr[data-key='{ConsoleSite.HomeAffairs}'] td[data-figure=finished]");
        long shown = -1;
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); shown != expected.Count && wait.Elapsed < TimeSpan.FromSeconds(40); await Task.Delay(500))
        {
            await page.GotoAsync("/console/reports");
            await page.Locator("#period").SelectOptionAsync("month");
            await page.Locator("#date").FillAsync(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            await page.GetByRole(AriaRole.Button, new() { Name = "Xem báo cáo" }).ClickAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            shown = await cell.CountAsync() == 0 ? 0 : Number(await cell.InnerTextAsync());
        }

        Assert.Equal(expected.Count, shown);
        var workbook = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Tải XLSX" }).ClickAsync());
        var onScreen = await page.Locator($"#report-rows tbody tr[data-key='{ConsoleSite.HomeAffairs}'] td[data-figure]")
            .EvaluateAllAsync<string[][]>("cells => cells.map(c => [c.dataset.figure, c.innerText.trim()])");
        var headings = await page.Locator("#report-rows thead th[data-figure]")
            .EvaluateAllAsync<string[][]>("cells => cells.map(c => [c.dataset.figure, c.innerText.trim()])");
        await cell.Locator("a").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var drilledTo = page.Url;
        var listed = await page.Locator("#drill-rows tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.documentId)");
        await ConsoleSite.ScreenshotAsync(page, "report-documents");
        await page.Locator($"#drill-rows tbody tr[data-document-id='{finished}'] a").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Contains("/console/reports/documents?figure=finished&", drilledTo, StringComparison.Ordinal);
        Assert.Contains("&agency=" + Uri.EscapeDataString(ConsoleSite.HomeAffairs), drilledTo, StringComparison.Ordinal);
        Assert.Equal(expected, listed.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(open, listed);
        Assert.EndsWith("/console/documents/" + Uri.EscapeDataString(finished), page.Url, StringComparison.Ordinal);

        // The workbook's agency sheet has, for Home Affairs, every figure the screen shows, cell by cell.
        var sheet = MiniExcel.Query(await workbook.PathAsync(), useHeaderRow: true, sheetName: "Theo đơn vị", excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>().Single(r => (string?)r["Mã định danh"] == ConsoleSite.HomeAffairs);
        var headingOf = headings.ToDictionary(h => h[0], h => h[1]);
        Assert.Equal(headings.Length, onScreen.Length);
        Assert.All(onScreen, c => Assert.Equal(Number(c[1]), Convert.ToInt64(sheet[headingOf[c[0]]], CultureInfo.InvariantCulture)));
        Assert.Equal(expected.Count, Convert.ToInt64(sheet["Đã hoàn thành (06)"], CultureInfo.InvariantCulture));
        Assert.NotNull(sheet["TB giờ đến 06 (hoàn thành)"]);

        // An agency clerk of Home Affairs lists the document; one of Finance, by the same address, nothing of it.
        var ownClerk = await site.SignedInClientAsync(await site.AddUserAsync(ConsoleRole.Agency, ConsoleSite.HomeAffairs));
        var otherClerk = await site.SignedInClientAsync(await site.AddUserAsync(ConsoleRole.Agency, ConsoleSite.Finance));
        Assert.Contains($"data-document-id=\"{finished}\"", WebUtility.HtmlDecode(await ownClerk.GetStringAsync(drill)), StringComparison.Ordinal);
        Assert.DoesNotContain(finished, WebUtility.HtmlDecode(await otherClerk.GetStringAsync(drill)), StringComparison.Ordinal);
    }

    private static async Task<List<string>> ListedAsync(IPage page, string address)
    {
        await page.GotoAsync(address);
        return [.. await page.Locator("#drill-rows tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.documentId)")];
    }

    // A count as the console writes it in Vietnamese (1.234).
    private static long Number(string text) => long.Parse(NotDigits().Replace(text, ""), CultureInfo.InvariantCulture);

    [GeneratedRegex("[^0-9]")]
    private static partial Regex NotDigits();
}
