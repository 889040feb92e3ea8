using System.Globalization;
using Lgsp.Exchange.People;
using Lgsp.Web.Tests.Support;
using MiniExcelLibs;

namespace Lgsp.Web.Tests.Pages;

/// <summary>The Reports screen: the month's figures from the rollups, the drill-down to the documents
/// behind a figure and the XLSX export, in a real browser against a real hub.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ReportsTests(ConsoleSite site)
{
    private const string MonthReport = "/console/reports?period=month&by=agency";

    [Fact]
    public async Task The_month_report_counts_the_documents_sent_drills_down_to_them_and_exports_them_as_xlsx()
    {
        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Operator));
        // Every document accepted before now is in the rollups once they were refreshed after the
        // ledger sealed it (2 s); the count before this test's documents is then settled.
        var before = await RefreshedAfterAsync(page, DateTimeOffset.UtcNow.AddSeconds(3));
        var word = SentDocuments.UniqueWord();
        var sent = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            sent.Add((await site.SendAsync(ConsoleSite.HacThanh, [ConsoleSite.Province, ConsoleSite.Finance], $"Báo cáo tuần {i} {word}")).DocumentId);
        }

        var expected = before + 3;
        var shown = before;
        for (var wait = Stopwatch(); shown != expected && wait.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(500))
        {
            shown = await SentAsync(page, ConsoleSite.HacThanh);
        }

        Assert.Equal(expected, shown);
        Assert.Contains("UBND phường Hạc Thành", await Row(page, ConsoleSite.HacThanh).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("bar", await page.EvaluateAsync<string>("() => window.Chart.getChart(document.getElementById('report-chart')).config.type"));
        await ConsoleSite.ScreenshotAsync(page, "reports");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Tải XLSX" }).ClickAsync());
        var path = await download.PathAsync();
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.Equal("Biểu đồ", MiniExcel.GetSheetNames(path)[1]);
        var today = ReportsModelToday();
        var summary = MiniExcel.Query(path, useHeaderRow: true, sheetName: "Tổng hợp", excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>()
            .ToDictionary(r => (string)r["Chỉ tiêu"]!, r => r["Giá trị"]);
        Assert.Equal(new DateOnly(today.Year, today.Month, 1).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), summary["Từ ngày"]);
        var agencies = MiniExcel.Query(path, useHeaderRow: true, sheetName: "Theo đơn vị", excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        var row = agencies.Single(r => (string?)r["Mã định danh"] == ConsoleSite.HacThanh);
        Assert.Equal("UBND phường Hạc Thành", row["Tên đơn vị"]);
        Assert.Equal(expected, Convert.ToInt64(row["Văn bản gửi"], CultureInfo.InvariantCulture));
        Assert.Equal(Convert.ToInt64(summary["Văn bản gửi"], CultureInfo.InvariantCulture),
            Convert.ToInt64(agencies.Single(r => (string?)r["Mã định danh"] == "Tổng cộng")["Văn bản gửi"], CultureInfo.InvariantCulture));

        await page.GotoAsync(MonthReport);
        await Row(page, ConsoleSite.HacThanh).Locator("td[data-figure=sent] a").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Contains($"/console/documents?from={Uri.EscapeDataString(ConsoleSite.HacThanh)}&since=", page.Url, StringComparison.Ordinal);
        var listed = await page.Locator("#documents tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.documentId)");
        Assert.Equal(expected, listed.Length);
        Assert.Subset(listed.ToHashSet(), sent.ToHashSet());
    }

    [Fact]
    public async Task A_custom_period_by_day_draws_a_line_and_its_csv_has_a_byte_order_mark_Vietnamese_headings_and_a_total_row()
    {
        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Auditor));
        var today = ReportsModelToday().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        await page.GotoAsync($"/console/reports?period=custom&from={today}&to={today}&by=day");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Tải CSV" }).ClickAsync());
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync());

        var shown = ReportsModelToday().ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        Assert.Contains($"từ {shown} đến {shown}", await page.Locator("#report-scope").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("line", await page.EvaluateAsync<string>("() => window.Chart.getChart(document.getElementById('report-chart')).config.type"));
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Ngày,Tên đơn vị,Văn bản gửi,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Tổng cộng,", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_printed_page_keeps_the_report_and_drops_the_navigation_the_filters_and_the_buttons()
    {
        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Operator));
        await page.GotoAsync(MonthReport);
        var print = page.GetByRole(AriaRole.Button, new() { Name = "In" });
        var onScreen = (await page.Locator("header.top").IsVisibleAsync(), await page.Locator("form.filters").IsVisibleAsync(), await print.IsVisibleAsync());

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        var printed = (await page.Locator("header.top").IsVisibleAsync(), await page.Locator("form.filters").IsVisibleAsync(), await print.IsVisibleAsync());

        Assert.Equal((true, true, true), onScreen);
        Assert.Equal((false, false, false), printed);
        Assert.True(await page.Locator("#report-scope").IsVisibleAsync());
        Assert.True(await page.Locator("#report-rows").IsVisibleAsync());
        Assert.True(await page.Locator("#report-chart").IsVisibleAsync());
    }

    [Fact]
    public async Task An_agency_clerk_may_not_open_the_reports_nor_download_them()
    {
        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Agency, ConsoleSite.Finance));

        var response = await page.GotoAsync(MonthReport);
        var export = await page.APIRequest.GetAsync(MonthReport + "&handler=Xlsx");

        Assert.Equal(403, response!.Status);
        Assert.Equal(0, await page.Locator("#report-rows").CountAsync());
        Assert.Equal(403, export.Status);
    }

    [Fact]
    public async Task An_unknown_unit_is_refused_with_a_sentence_not_an_error_page()
    {
        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Auditor));

        var response = await page.GotoAsync(MonthReport + "&unit=000.00.99.H56");

        Assert.Equal(200, response!.Status);
        Assert.Equal(1, await page.Locator("#report-refused").CountAsync());
        Assert.Equal(0, await page.Locator("#report-rows").CountAsync());
    }

    // Reloads the month's report until its rollups were refreshed after `after`; the agency's sent count then.
    private static async Task<long> RefreshedAfterAsync(IPage page, DateTimeOffset after)
    {
        var wait = Stopwatch();
        while (true)
        {
            await page.GotoAsync(MonthReport);
            var asOf = await page.Locator("#report-scope").GetAttributeAsync("data-as-of");
            if (asOf is { Length: > 0 } && DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(asOf, CultureInfo.InvariantCulture)) > after)
            {
                return await CellAsync(page, ConsoleSite.HacThanh);
            }

            Assert.True(wait.Elapsed < TimeSpan.FromSeconds(30), "the rollups were not refreshed within 30 s");
            await Task.Delay(500);
        }
    }

    private static async Task<long> SentAsync(IPage page, string agency)
    {
        await page.GotoAsync(MonthReport);
        return await CellAsync(page, agency);
    }

    private static async Task<long> CellAsync(IPage page, string agency)
    {
        var row = Row(page, agency);
        return await row.CountAsync() == 0 ? 0 : long.Parse((await row.Locator("td[data-figure=sent]").InnerTextAsync()).Trim().Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
    }

    private static ILocator Row(IPage page, string agency) => page.Locator($"#report-rows tbody tr[data-key='{agency}']");

    private static System.Diagnostics.Stopwatch Stopwatch() => System.Diagnostics.Stopwatch.StartNew();

    private static DateOnly ReportsModelToday() => Lgsp.Web.Pages.ReportsModel.Today;
}
