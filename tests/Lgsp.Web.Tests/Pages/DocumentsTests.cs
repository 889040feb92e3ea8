using System.Text;
using Lgsp.Exchange.People;
using Lgsp.Web.Tests.Support;

namespace Lgsp.Web.Tests.Pages;

/// <summary>The Documents screen: search, pages and the CSV export, in a real browser against a real hub.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class DocumentsTests(ConsoleSite site)
{
    private const string SearchLabel = "Số/ký hiệu, trích yếu hoặc mã văn bản";

    [Fact]
    public async Task A_search_without_accents_finds_a_sent_document_with_a_Vietnamese_subject()
    {
        var word = SentDocuments.UniqueWord();
        var (documentId, _) = await site.SendAsync(ConsoleSite.Province, [ConsoleSite.Finance], $"Báo cáo tình hình thu ngân sách quý IV {word}");
        await site.SendAsync(ConsoleSite.Province, [ConsoleSite.Finance], $"Kế hoạch đào tạo cán bộ {word}");
        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Operator));

        await page.GotoAsync("/console/documents");
        await page.GetByLabel(SearchLabel).FillAsync($"bao cao tinh hinh THU NGAN SACH {word}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tìm", Exact = true }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var rows = page.Locator("#documents tbody tr");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal(documentId, await rows.First.GetAttributeAsync("data-document-id"));
        Assert.Contains($"Báo cáo tình hình thu ngân sách quý IV {word}", await rows.First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Chờ nhận", await rows.First.InnerTextAsync(), StringComparison.Ordinal);
        await ConsoleSite.ScreenshotAsync(page, "documents");
    }

    [Fact]
    public async Task The_next_page_continues_where_the_first_ended_newest_first()
    {
        var word = SentDocuments.UniqueWord();
        var sent = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            sent.Add((await site.SendAsync(ConsoleSite.Finance, [ConsoleSite.HomeAffairs], $"Đề nghị điều chỉnh dự toán lần {i} {word}")).DocumentId);
        }

        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Auditor));
        await page.GotoAsync($"/console/documents?q={word}&n=2");
        var first = await page.Locator("#documents tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.documentId)");
        await page.GetByRole(AriaRole.Link, new() { Name = "Trang sau" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var second = await page.Locator("#documents tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.documentId)");

        Assert.Equal([sent[2], sent[1]], first);
        Assert.Equal([sent[0]], second);
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Trang sau" }).CountAsync());
    }

    [Fact]
    public async Task The_csv_export_downloads_the_result_with_a_byte_order_mark_and_Vietnamese_headers()
    {
        var word = SentDocuments.UniqueWord();
        var sent = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            sent.Add((await site.SendAsync(ConsoleSite.HomeAffairs, [ConsoleSite.HacThanh], $"Thông báo, \"lịch\" họp {i} {word}")).DocumentId);
        }

        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Auditor));
        await page.GotoAsync($"/console/documents?q={word}&n=2");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Tải CSV" }).ClickAsync());
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync());

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("DocumentId,Số/Ký hiệu,Trích yếu,Nơi gửi,Nơi nhận,Loại nghiệp vụ,Thời điểm nhận", lines[0]);
        Assert.Equal(4, lines.Length);
        for (var i = 0; i < 3; i++)
        {
            var line = lines[i + 1];
            Assert.StartsWith($"\"{sent[2 - i]}\",", line, StringComparison.Ordinal);
            Assert.Contains($"\"Thông báo, \"\"lịch\"\" họp {3 - i} {word}\"", line, StringComparison.Ordinal);
            Assert.Contains($"{ConsoleSite.HomeAffairs},{ConsoleSite.HacThanh} (Chờ nhận),Văn bản mới,", line, StringComparison.Ordinal);
        }
    }
}
