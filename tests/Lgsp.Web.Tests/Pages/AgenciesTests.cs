using System.Net;
using System.Text;
using Lgsp.Exchange.People;
using Lgsp.Web.Tests.Support;

namespace Lgsp.Web.Tests.Pages;

/// <summary>The directory screen: the agency tree, adding an agency, and the CSV import that previews every
/// line and saves all or nothing; only roles that edit the directory see or use its controls.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AgenciesTests(ConsoleSite site)
{
    [Fact]
    public async Task The_tree_lists_the_hubs_agencies_with_their_serving_hub_and_signer_certificates_and_finds_them_without_accents()
    {
        var auditor = await site.AddUserAsync(ConsoleRole.Auditor);
        var page = await site.SignedInPageAsync(auditor);
        await page.GotoAsync("/console/agencies");

        foreach (var agency in ConsoleSite.Agencies)
        {
            var row = await page.Locator($"tr[data-agency='{agency.Code}']").InnerTextAsync();
            Assert.Contains(agency.Name, row, StringComparison.Ordinal);
            Assert.Contains("trục này", row, StringComparison.Ordinal);
            Assert.Contains("hết hạn", row, StringComparison.Ordinal);
        }

        await page.GetByLabel("Mã hoặc tên cơ quan").FillAsync("hac thanh");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tìm" }).ClickAsync();
        await page.WaitForURLAsync("**/console/agencies?q=*");
        Assert.Equal([ConsoleSite.HacThanh], await page.Locator("tr[data-agency]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.agency)"));
    }

    [Fact]
    public async Task An_operator_adds_an_agency_under_the_province_and_it_appears_recorded_under_the_operator()
    {
        var user = await site.AddUserAsync(ConsoleRole.Operator);
        var page = await site.SignedInPageAsync(user);
        await page.GotoAsync("/console/agencies");
        var code = NewCode();

        await page.GetByLabel("Mã định danh", new() { Exact = true }).FillAsync(code);
        await page.GetByLabel("Tên cơ quan", new() { Exact = true }).FillAsync("Sở Y tế tỉnh Thanh Hóa");
        await page.GetByLabel("Cơ quan cha", new() { Exact = true }).SelectOptionAsync(ConsoleSite.Province);
        await page.GetByLabel("Cấp", new() { Exact = true }).SelectOptionAsync("department");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu", Exact = true }).ClickAsync();

        Assert.Equal($"Đã thêm cơ quan {code}.", await page.Locator("#agencies-done").InnerTextAsync());
        var row = page.Locator($"tr[data-agency='{code}']");
        Assert.Equal("1", await row.GetAttributeAsync("data-depth"));
        Assert.Contains("Sở Y tế tỉnh Thanh Hóa", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(["user:" + user.Name], await SavedByAsync(code));
    }

    [Fact]
    public async Task Editing_an_agency_starts_from_its_values_and_keeps_the_code()
    {
        var user = await site.AddUserAsync(ConsoleRole.Operator);
        var page = await site.SignedInPageAsync(user);
        await page.GotoAsync("/console/agencies");
        var code = NewCode();
        await UploadAsync(page, $"code,name,parent,tier,push_endpoint\n{code},Sở Công thương,{ConsoleSite.Province},department,\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu tất cả" }).ClickAsync();

        await page.Locator($"tr[data-agency='{code}']").GetByRole(AriaRole.Link, new() { Name = "Sửa" }).ClickAsync();
        Assert.Equal(code, await page.GetByLabel("Mã định danh", new() { Exact = true }).InputValueAsync());
        Assert.Equal(ConsoleSite.Province, await page.GetByLabel("Cơ quan cha", new() { Exact = true }).InputValueAsync());
        await page.GetByLabel("Tên cơ quan", new() { Exact = true }).FillAsync("Sở Công Thương tỉnh Thanh Hóa");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu", Exact = true }).ClickAsync();

        Assert.Equal($"Đã cập nhật cơ quan {code}.", await page.Locator("#agencies-done").InnerTextAsync());
        var row = await page.Locator($"tr[data-agency='{code}']").InnerTextAsync();
        Assert.Contains("Sở Công Thương tỉnh Thanh Hóa", row, StringComparison.Ordinal);
        Assert.Equal(["user:" + user.Name, "user:" + user.Name], await SavedByAsync(code));
    }

    [Fact]
    public async Task An_operator_retires_an_agency_and_the_tree_shows_its_successor()
    {
        var user = await site.AddUserAsync(ConsoleRole.Operator);
        var page = await site.SignedInPageAsync(user);
        await page.GotoAsync("/console/agencies");
        var code = NewCode();
        await UploadAsync(page, $"code,name,parent,tier,push_endpoint\n{code},Sở Khoa học,,department,\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu tất cả" }).ClickAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();

        var row = page.Locator($"tr[data-agency='{code}']");
        await row.GetByLabel("Cơ quan kế thừa").SelectOptionAsync(ConsoleSite.Finance);
        await row.GetByRole(AriaRole.Button, new() { Name = "Ngừng" }).ClickAsync();

        Assert.Equal($"Đã ngừng cơ quan {code}; văn bản gửi đến sẽ chuyển cho {ConsoleSite.Finance}.", await page.Locator("#agencies-done").InnerTextAsync());
        var retired = await page.Locator($"tr[data-agency='{code}']").InnerTextAsync();
        Assert.Contains("Đã ngừng", retired, StringComparison.Ordinal);
        Assert.Contains($"→ {ConsoleSite.Finance} Sở Tài chính tỉnh Thanh Hóa", retired, StringComparison.Ordinal);
        await using var command = site.Database.CreateCommand(
            "SELECT actor FROM lgsp.ledger WHERE detail->>'change' = 'agency.retired' AND detail->>'code' = $1");
        command.Parameters.AddWithValue(code);
        Assert.Equal("user:" + user.Name, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_CSV_import_with_one_bad_line_saves_nothing_and_shows_that_line_and_why()
    {
        var user = await site.AddUserAsync(ConsoleRole.Operator);
        var page = await site.SignedInPageAsync(user);
        await page.GotoAsync("/console/agencies");
        var (good, bad) = (NewCode(), NewCode());
        var csv = $"code,name,parent,tier,push_endpoint\n{good},Sở Xây dựng,{ConsoleSite.Province},department,\n{bad},Sở Y tế,{ConsoleSite.Province},ministry,\n";

        await UploadAsync(page, csv);

        Assert.Contains("1 dòng sai", await page.Locator("#import-bad").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Thêm mới", await page.Locator("tr[data-line='2']").InnerTextAsync(), StringComparison.Ordinal);
        var badLine = await page.Locator("tr[data-line='3']").InnerTextAsync();
        Assert.Contains("Sai", badLine, StringComparison.Ordinal);
        Assert.Contains(bad, badLine, StringComparison.Ordinal);
        Assert.Contains("'ministry' không phải là cấp", badLine, StringComparison.Ordinal);
        await ConsoleSite.ScreenshotAsync(page, "agencies");
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Lưu tất cả" }).CountAsync());
        Assert.Empty(await SavedByAsync(good));

        // Saving the same text straight away (skipping the preview) saves nothing either.
        using var http = await site.SignedInClientAsync(user);
        using var post = await http.PostAsync("/console/agencies?handler=Import", Form(await UsersTests.AntiforgeryTokenAsync(http), ("ImportText", csv)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, post.StatusCode);
        Assert.Empty(await SavedByAsync(good));
        Assert.Empty(await SavedByAsync(bad));
    }

    [Fact]
    public async Task A_good_import_previews_every_line_then_saves_them_all_children_after_their_parent()
    {
        var user = await site.AddUserAsync(ConsoleRole.Admin);
        var page = await site.SignedInPageAsync(user);
        await page.GotoAsync("/console/agencies");
        var (parent, child) = (NewCode(), NewCode());
        // The child comes first in the file: the import saves its parent before it.
        var csv = $"code,name,parent,tier,push_endpoint\n{child},Phòng Kế hoạch,{parent},other,\n{parent},Sở Kế hoạch và Đầu tư,{ConsoleSite.Province},department,https://qlvb.example.vn/edoc\n";

        await UploadAsync(page, csv);
        Assert.Equal(["Thêm mới", "Thêm mới"], await page.Locator("tr[data-line] .badge").AllInnerTextsAsync());
        Assert.Empty(await SavedByAsync(parent));

        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu tất cả" }).ClickAsync();

        Assert.Equal("Đã nhập 2 cơ quan: thêm 2, cập nhật 0.", await page.Locator("#agencies-done").InnerTextAsync());
        Assert.Equal("2", await page.Locator($"tr[data-agency='{child}']").GetAttributeAsync("data-depth"));
        Assert.Equal(["user:" + user.Name], await SavedByAsync(parent));
        Assert.Equal(["user:" + user.Name], await SavedByAsync(child));
    }

    [Fact]
    public async Task An_auditor_sees_no_edit_controls_and_a_forged_post_changes_nothing()
    {
        var auditor = await site.AddUserAsync(ConsoleRole.Auditor);
        var page = await site.SignedInPageAsync(auditor);
        await page.GotoAsync("/console/agencies");
        Assert.Equal(0, await page.Locator("form[method='post']:not([action='/console/logout'])").CountAsync());
        Assert.Equal(0, await page.GetByText("Thêm cơ quan").CountAsync());

        using var http = await site.SignedInClientAsync(auditor);
        var token = await UsersTests.AntiforgeryTokenAsync(http);
        var code = NewCode();
        using var save = await http.PostAsync("/console/agencies?handler=Save", Form(token,
            ("Form.Code", code), ("Form.Name", "Giả mạo"), ("Form.Tier", "department"), ("Form.Parent", ConsoleSite.Province)));
        using var retire = await http.PostAsync("/console/agencies?handler=Retire", Form(token, ("code", ConsoleSite.HomeAffairs), ("successor", ConsoleSite.Finance)));
        using var import = await http.PostAsync("/console/agencies?handler=Import", Form(token,
            ("ImportText", $"code,name,parent,tier,push_endpoint\n{code},Giả mạo,,department,\n")));

        foreach (var refused in new[] { save, retire, import })
        {
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden
                || (refused.StatusCode == HttpStatusCode.Redirect && refused.Headers.Location!.ToString().Contains("/console/denied", StringComparison.Ordinal)),
                $"{refused.RequestMessage!.RequestUri}: {refused.StatusCode}");
        }

        Assert.Empty(await SavedByAsync(code));
        await using var command = site.Database.CreateCommand("SELECT active FROM lgsp.agency WHERE code = $1");
        command.Parameters.AddWithValue(ConsoleSite.HomeAffairs);
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
    }

    private static async Task UploadAsync(IPage page, string csv)
    {
        await page.GetByLabel("Tệp CSV", new() { Exact = true }).SetInputFilesAsync(new FilePayload { Name = "agencies.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Xem trước" }).ClickAsync();
        await page.Locator("#import-preview").WaitForAsync();
    }

    private static FormUrlEncodedContent Form(string token, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).Append(KeyValuePair.Create("__RequestVerificationToken", token)));

    // A QCVN 102 code no other test uses (random second and third groups under the province).
    private static string NewCode() => $"000.{Random.Shared.Next(10, 100)}.{Random.Shared.Next(10, 100)}.H56";

    // Who saved the agency, per agency.saved ledger entry (none when it was never saved).
    private async Task<List<string>> SavedByAsync(string code)
    {
        await using var command = site.Database.CreateCommand(
            "SELECT actor FROM lgsp.ledger WHERE kind = 'directory.changed' AND detail->>'change' = 'agency.saved' AND detail->>'Code' = $1 ORDER BY seq");
        command.Parameters.AddWithValue(code);
        var actors = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            actors.Add(reader.GetString(0));
        }

        return actors;
    }
}
