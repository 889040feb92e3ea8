using System.Net;
using System.Text.RegularExpressions;
using Lgsp.Exchange.People;
using Lgsp.Web.Tests.Support;

namespace Lgsp.Web.Tests.Pages;

/// <summary>The users page: administrators keep the console's users; nobody else reaches it.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class UsersTests(ConsoleSite site)
{
    [Fact]
    public async Task An_administrator_adds_an_agency_clerk_who_then_signs_in_with_the_password_shown_once()
    {
        var admin = await site.AddUserAsync(ConsoleRole.Admin);
        var page = await site.SignedInPageAsync(admin);
        await page.GotoAsync("/console/users");
        var name = "vanthu" + Guid.NewGuid().ToString("N")[..6];

        await page.GetByLabel("Tên đăng nhập").FillAsync(name);
        await page.GetByLabel("Vai trò").SelectOptionAsync("agency");
        await page.GetByLabel("Cơ quan (văn thư; mã cách nhau bởi dấu phẩy)").FillAsync(ConsoleSite.Finance);
        await page.GetByRole(AriaRole.Button, new() { Name = "Thêm", Exact = true }).ClickAsync();

        Assert.Equal($"Đã thêm người dùng {name}.", await page.Locator("#users-done p").First.InnerTextAsync());
        var password = await page.Locator("#new-password").InnerTextAsync();
        await ConsoleSite.ScreenshotAsync(page, "users");
        var row = page.Locator($"tr[data-user='{name}']");
        Assert.Contains("Văn thư cơ quan", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(ConsoleSite.Finance, await row.InnerTextAsync(), StringComparison.Ordinal);

        await page.ReloadAsync();
        Assert.Equal(0, await page.Locator("#new-password").CountAsync());

        var clerk = await site.SignedInPageAsync(new TestUser(name, password, ConsoleRole.Agency));
        Assert.Equal("agency", await clerk.Locator(".who .user").GetAttributeAsync("data-role"));

        var user = await site.Users.FindAsync(name);
        Assert.Equal([ConsoleSite.Finance], user!.Agencies);
        Assert.Equal(("user.added", "user:" + admin.Name), await LastUserChangeAsync(name));
    }

    [Fact]
    public async Task A_clerk_without_agencies_is_refused_with_the_reason_and_nothing_is_added()
    {
        var admin = await site.AddUserAsync(ConsoleRole.Admin);
        var page = await site.SignedInPageAsync(admin);
        await page.GotoAsync("/console/users");
        var name = "vanthu" + Guid.NewGuid().ToString("N")[..6];

        await page.GetByLabel("Tên đăng nhập").FillAsync(name);
        await page.GetByLabel("Vai trò").SelectOptionAsync("agency");
        await page.GetByRole(AriaRole.Button, new() { Name = "Thêm", Exact = true }).ClickAsync();

        Assert.Equal("Văn thư cơ quan phải gắn với ít nhất một cơ quan; các vai trò khác không gắn với cơ quan nào.",
            await page.Locator("#users-refused").InnerTextAsync());
        Assert.Equal(name, await page.GetByLabel("Tên đăng nhập").InputValueAsync());
        Assert.Null(await site.Users.FindAsync(name));
    }

    [Fact]
    public async Task Disabling_a_user_is_recorded_under_the_administrator_and_ends_its_sign_in()
    {
        var admin = await site.AddUserAsync(ConsoleRole.Admin);
        var victim = await site.AddUserAsync(ConsoleRole.Operator);
        var page = await site.SignedInPageAsync(admin);
        await page.GotoAsync("/console/users");
        page.Dialog += (_, dialog) => dialog.AcceptAsync();

        await page.Locator($"tr[data-user='{victim.Name}']").GetByRole(AriaRole.Button, new() { Name = "Vô hiệu hóa" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Contains("Vô hiệu hóa", await page.Locator($"tr[data-user='{victim.Name}'] .badge").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(("user.disabled", "user:" + admin.Name), await LastUserChangeAsync(victim.Name));
        var other = await site.NewPageAsync();
        await ConsoleSite.SignInAsync(other, victim);
        Assert.Equal("Tài khoản đã bị vô hiệu hóa. Liên hệ quản trị viên.", await other.Locator("#login-error").InnerTextAsync());
    }

    [Theory]
    [InlineData(ConsoleRole.Operator)]
    [InlineData(ConsoleRole.Auditor)]
    [InlineData(ConsoleRole.Agency)]
    public async Task Only_administrators_open_the_page_or_post_to_it(ConsoleRole role)
    {
        var user = role == ConsoleRole.Agency ? await site.AddUserAsync(role, ConsoleSite.Finance) : await site.AddUserAsync(role);
        var page = await site.SignedInPageAsync(user);

        var response = await page.GotoAsync("/console/users");
        Assert.Equal(403, response!.Status);
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Người dùng" }).CountAsync());

        // A forged post carrying a real antiforgery token from a page this user may open.
        using var http = await site.SignedInClientAsync(user);
        var token = await AntiforgeryTokenAsync(http);
        using var post = await http.PostAsync("/console/users?handler=Add", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Form.Name"] = "forged" + role, ["Form.Role"] = "admin",
        }));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Null(await site.Users.FindAsync("forged" + role));
    }

    private async Task<(string Change, string Actor)> LastUserChangeAsync(string name)
    {
        await using var command = site.Database.CreateCommand(
            "SELECT detail->>'change', actor FROM lgsp.ledger WHERE kind = 'user.changed' AND detail->>'name' = $1 ORDER BY seq DESC LIMIT 1");
        command.Parameters.AddWithValue(name);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetString(1));
    }

    /// <summary>An antiforgery token the console issued to this client, read from a form it may open.</summary>
    internal static async Task<string> AntiforgeryTokenAsync(HttpClient http)
    {
        var html = await http.GetStringAsync("/console/");
        return TokenField().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("no antiforgery token on the overview");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
