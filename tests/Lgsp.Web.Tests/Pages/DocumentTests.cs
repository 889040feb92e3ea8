using System.Net;
using System.Text.RegularExpressions;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.People;
using Lgsp.Web.Tests.Support;

namespace Lgsp.Web.Tests.Pages;

/// <summary>A document's page: its journey per recipient, downloads, replay, and who may see it.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class DocumentTests(ConsoleSite site)
{
    [Fact]
    public async Task The_page_shows_each_recipients_timeline_after_a_real_pull_confirmation_and_status_03()
    {
        var word = SentDocuments.UniqueWord();
        var subject = $"Về việc triển khai chuyển đổi số năm 2027 {word}";
        var (documentId, _) = await site.SendAsync(ConsoleSite.Province, [ConsoleSite.Finance, ConsoleSite.HacThanh], subject);
        var finance = site.Topology.Client(ConsoleSite.Finance);
        var delivery = await site.PendingIdAsync(ConsoleSite.Finance, documentId);
        await finance.GetDocumentAsync(delivery);
        await finance.ConfirmAsync(delivery);
        await finance.SendStatusAsync(site.Topology.SignedStatus(ConsoleSite.Finance, ConsoleSite.Province, documentId, StatusCode.Accepted));

        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Operator));
        await page.GotoAsync($"/console/documents?q={word}");
        await page.GetByRole(AriaRole.Link, new() { Name = subject }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Equal(subject, await page.Locator("h1").InnerTextAsync());
        Assert.Contains(documentId, await page.Locator("#header").InnerTextAsync(), StringComparison.Ordinal);
        Assert.StartsWith("Hợp lệ", await page.Locator("#envelope-signature").InnerTextAsync(), StringComparison.Ordinal);
        var financeSteps = await StepsAsync(page, ConsoleSite.Finance);
        Assert.Equal(["Tạo chuyển phát", "Đơn vị nhận đã lấy về", "Đơn vị nhận xác nhận đã nhận", "Trạng thái 03 · Đã tiếp nhận"], financeSteps);
        Assert.Contains("Đã xác nhận", await page.Locator($"article[data-recipient='{ConsoleSite.Finance}'] h3").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(["Tạo chuyển phát"], await StepsAsync(page, ConsoleSite.HacThanh));
        Assert.Contains("Chờ nhận", await page.Locator($"article[data-recipient='{ConsoleSite.HacThanh}'] h3").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#attachments tbody tr").CountAsync());
        await ConsoleSite.ScreenshotAsync(page, "document");
    }

    [Fact]
    public async Task The_package_download_gives_the_exact_bytes_sent()
    {
        var (documentId, package) = await site.SendAsync(ConsoleSite.HacThanh, [ConsoleSite.Province], $"Báo cáo kết quả {SentDocuments.UniqueWord()}");
        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Auditor));
        await page.GotoAsync(SentDocuments.PageOf(documentId));

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Tải gói tin" }).ClickAsync());

        Assert.Equal(package, await File.ReadAllBytesAsync(await download.PathAsync()));
    }

    [Fact]
    public async Task The_evidence_download_is_the_documents_bundle_with_the_package_inside()
    {
        var (documentId, package) = await site.SendAsync(ConsoleSite.Finance, [ConsoleSite.Province], $"Tờ trình {SentDocuments.UniqueWord()}");
        using var http = await site.SignedInClientAsync(await site.AddUserAsync(ConsoleRole.Auditor));

        // The hub seals new ledger entries every two seconds; until then the page answers 409 and says so.
        var zip = await site.Topology.WaitForAsync(async () =>
        {
            using var response = await http.GetAsync(SentDocuments.PageOf(documentId) + "?handler=Evidence");
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"evidence answered {response.StatusCode}");
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsByteArrayAsync() : null;
        }, TimeSpan.FromSeconds(30), "the evidence bundle");
        var (bundle, problem) = Lgsp.Exchange.Evidence.EvidenceBundle.Read(zip);

        Assert.Null(problem);
        Assert.Equal(documentId, bundle!.DocumentId);
        Assert.Equal(package, Assert.Single(bundle.Packages).Body);
    }

    [Fact]
    public async Task An_agency_clerk_neither_opens_nor_finds_another_agencys_document()
    {
        var (documentId, _) = await site.SendAsync(ConsoleSite.Province, [ConsoleSite.Finance], $"Giấy mời họp {SentDocuments.UniqueWord()}");
        using var outsider = await site.SignedInClientAsync(await site.AddUserAsync(ConsoleRole.Agency, ConsoleSite.HacThanh));
        using var recipient = await site.SignedInClientAsync(await site.AddUserAsync(ConsoleRole.Agency, ConsoleSite.Finance));

        using var opened = await outsider.GetAsync(SentDocuments.PageOf(documentId));
        var found = await outsider.GetStringAsync("/console/documents?q=" + Uri.EscapeDataString(documentId));
        using var openedByRecipient = await recipient.GetAsync(SentDocuments.PageOf(documentId));
        var foundByRecipient = await recipient.GetStringAsync("/console/documents?q=" + Uri.EscapeDataString(documentId));

        Assert.Equal(HttpStatusCode.NotFound, opened.StatusCode);
        Assert.DoesNotContain("data-document-id=", found, StringComparison.Ordinal);
        Assert.Contains("id=\"no-documents\"", found, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, openedByRecipient.StatusCode);
        Assert.Contains($"data-document-id=\"{documentId}\"", foundByRecipient, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_auditor_sees_the_downloads_but_no_replay_and_a_forged_replay_is_refused()
    {
        var (documentId, _) = await site.SendAsync(ConsoleSite.Province, [ConsoleSite.Finance], $"Công văn đôn đốc {SentDocuments.UniqueWord()}");
        var delivery = await site.PendingIdAsync(ConsoleSite.Finance, documentId);
        await site.RefuseAsync(ConsoleSite.Finance, delivery, "Không đọc được tệp");
        var auditor = await site.AddUserAsync(ConsoleRole.Auditor);
        var page = await site.SignedInPageAsync(auditor);
        await page.GotoAsync(SentDocuments.PageOf(documentId));

        Assert.Equal(2, await page.Locator("#downloads a").CountAsync());
        Assert.Contains("Lỗi", await page.Locator($"article[data-recipient='{ConsoleSite.Finance}'] h3").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Gửi lại" }).CountAsync());

        using var http = await site.SignedInClientAsync(auditor);
        var html = await http.GetStringAsync(SentDocuments.PageOf(documentId));
        var token = TokenPattern().Match(html).Groups[1].Value;
        Assert.NotEmpty(token);
        using var forged = await http.PostAsync(SentDocuments.PageOf(documentId) + "?handler=Replay", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["delivery"] = delivery.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["reason"] = "giả mạo",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("failed", (await site.Hub.QueryAsync("SELECT state FROM lgsp.delivery WHERE id = $1", delivery)).Single()[0]);
        Assert.Empty(await site.Hub.QueryAsync("SELECT seq FROM lgsp.ledger WHERE kind = 'delivery.replayed' AND delivery_id = $1", delivery));
    }

    [Fact]
    public async Task An_operator_replays_a_failed_delivery_with_a_reason_and_an_empty_reason_is_refused()
    {
        var (documentId, _) = await site.SendAsync(ConsoleSite.Province, [ConsoleSite.HomeAffairs], $"Công văn xin ý kiến {SentDocuments.UniqueWord()}");
        var delivery = await site.PendingIdAsync(ConsoleSite.HomeAffairs, documentId);
        await site.RefuseAsync(ConsoleSite.HomeAffairs, delivery, "Sai nơi nhận");
        var user = await site.AddUserAsync(ConsoleRole.Operator);
        var page = await site.SignedInPageAsync(user);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.GotoAsync(SentDocuments.PageOf(documentId));

        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi lại" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal("Cần nhập lý do gửi lại; lý do được ghi vào sổ cái.", await page.Locator("#message").InnerTextAsync());
        Assert.Empty(await site.Hub.QueryAsync("SELECT seq FROM lgsp.ledger WHERE kind = 'delivery.replayed' AND delivery_id = $1", delivery));

        await page.GetByLabel("Lý do gửi lại").FillAsync("Đơn vị nhận đề nghị gửi lại");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi lại" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Equal("Đã gửi lại chuyển phát.", await page.Locator("#message").InnerTextAsync());
        Assert.Contains("Gửi lại", await StepsAsync(page, ConsoleSite.HomeAffairs));
        var entry = (await site.Hub.QueryAsync("SELECT actor, detail->>'reason' FROM lgsp.ledger WHERE kind = 'delivery.replayed' AND delivery_id = $1", delivery)).Single();
        Assert.Equal("user:" + user.Name, entry[0]);
        Assert.Equal("Đơn vị nhận đề nghị gửi lại", entry[1]);
        Assert.Equal("pending", (await site.Hub.QueryAsync("SELECT state FROM lgsp.delivery WHERE id = $1", delivery)).Single()[0]);
    }

    // The step names of one recipient's timeline, without their times.
    private static async Task<List<string>> StepsAsync(IPage page, string recipient)
    {
        var texts = await page.Locator($"article[data-recipient='{recipient}'] ol.timeline li").AllInnerTextsAsync();
        return [.. texts.Select(t => t[(t.IndexOf('·', StringComparison.Ordinal) + 1)..].Split(':')[0].Trim())];
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
