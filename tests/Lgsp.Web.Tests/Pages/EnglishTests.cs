using System.Globalization;
using System.Text.RegularExpressions;
using Lgsp.Exchange.People;
using Lgsp.Web.Tests.Support;

namespace Lgsp.Web.Tests.Pages;

/// <summary>The language switch on the signed-in screens: English words, the same dd/MM/yyyy HH:mm times.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class EnglishTests(ConsoleSite site)
{
    [Fact]
    public async Task The_switch_turns_the_overview_and_the_documents_list_English_and_times_stay_day_month_year_in_Hanoi_time()
    {
        var word = SentDocuments.UniqueWord();
        var (documentId, _) = await site.SendAsync(ConsoleSite.Province, [ConsoleSite.Finance], $"Báo cáo kết quả chuyển đổi số {word}");
        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Operator));
        Assert.Equal("Tổng quan", await page.Locator("h1").InnerTextAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("Overview", await page.Locator("h1").InnerTextAsync());
        Assert.Equal("Today", await page.Locator("h2#today").InnerTextAsync());
        Assert.Contains("Documents accepted", await page.Locator("[data-figure=accepted]").First.InnerTextAsync(), StringComparison.Ordinal);
        await ConsoleSite.ScreenshotAsync(page, "overview-en");

        await page.GotoAsync($"/console/documents?q={word}");

        Assert.Equal("Documents", await page.Locator("h1").InnerTextAsync());
        var row = page.Locator("#documents tbody tr");
        Assert.Equal(documentId, await row.GetAttributeAsync("data-document-id"));
        var cells = await row.Locator("td").AllInnerTextsAsync();
        Assert.Contains("Pending", cells[4], StringComparison.Ordinal);
        var received = (DateTime)(await site.Hub.QueryAsync("SELECT received_at FROM lgsp.package WHERE document_id = $1", documentId)).Single()[0]!;
        var hanoi = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(received, DateTimeKind.Utc), TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh"));
        Assert.Matches(Time(), cells[0].Trim());
        Assert.Equal(hanoi.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture), cells[0].Trim());
    }

    [GeneratedRegex(@"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")]
    private static partial Regex Time();
}
