using System.Net;
using System.Text.RegularExpressions;
using Lgsp.Exchange.People;
using Lgsp.Web.Tests.Support;
using Npgsql;

namespace Lgsp.Web.Tests.Pages;

/// <summary>Signing in and out of the console, in a real browser against a real hub.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class LoginTests(ConsoleSite site)
{
    [Fact]
    public async Task The_console_is_Vietnamese_by_default_and_the_switch_turns_it_English()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/console/");

        Assert.Contains("/console/login", page.Url, StringComparison.Ordinal);
        Assert.Equal("vi", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("Đăng nhập", await page.Locator("h1").InnerTextAsync());
        await ConsoleSite.ScreenshotAsync(page, "login");

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();

        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("Sign in", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("/console/login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_single_sign_on_provider_the_login_page_offers_none_and_its_start_is_not_found()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/console/login");

        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Đăng nhập tập trung" }).CountAsync());
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = site.Hub.BaseUri };
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/console/sso/signin")).StatusCode);
    }

    [Fact]
    public async Task Signing_in_opens_the_page_asked_for_and_signing_out_closes_the_console()
    {
        var user = await site.AddUserAsync(ConsoleRole.Operator);
        var page = await site.NewPageAsync();
        await page.GotoAsync("/console/denied");
        await ConsoleSite.SignInAsync(page, user);
        await page.GotoAsync("/console/");

        Assert.Contains(user.Name, await page.Locator(".who .user").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("operator", await page.Locator(".who .user").GetAttributeAsync("data-role"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng xuất" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/console/login"));
        await page.GotoAsync("/console/");

        Assert.Contains("/console/login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_the_fifth_locks_the_user_out_even_with_the_right_one()
    {
        var user = await site.AddUserAsync(ConsoleRole.Auditor);
        var page = await site.NewPageAsync();
        var wrong = user with { Password = "not-the-password" };

        for (var i = 1; i <= 4; i++)
        {
            await ConsoleSite.SignInAsync(page, wrong);
            Assert.Equal("Tên đăng nhập hoặc mật khẩu không đúng.", await page.Locator("#login-error").InnerTextAsync());
        }

        await ConsoleSite.SignInAsync(page, wrong);
        Assert.StartsWith("Tài khoản tạm khóa", await page.Locator("#login-error").InnerTextAsync(), StringComparison.Ordinal);

        await ConsoleSite.SignInAsync(page, user);
        Assert.StartsWith("Tài khoản tạm khóa", await page.Locator("#login-error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("/console/login", page.Url, StringComparison.Ordinal);

        await using var command = site.Database.CreateCommand(
            "SELECT actor, detail->>'failures' FROM lgsp.ledger WHERE kind = 'user.changed' AND detail->>'change' = 'user.locked' AND detail->>'name' = $1");
        command.Parameters.AddWithValue(user.Name);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the lockout is in the ledger");
        Assert.Equal("hub", reader.GetString(0));
        Assert.Equal("5", reader.GetString(1));
        Assert.False(await reader.ReadAsync(), "one lockout entry, not one per refused attempt");
    }

    [Fact]
    public async Task A_disabled_user_loses_the_console_at_the_next_request()
    {
        var user = await site.AddUserAsync(ConsoleRole.Operator);
        var page = await site.SignedInPageAsync(user);

        Assert.True(await site.Users.SetDisabledAsync(user.Name, true, "operator:test"));
        await page.GotoAsync("/console/");

        Assert.Contains("/console/login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_posted_without_the_antiforgery_token_is_refused()
    {
        var user = await site.AddUserAsync(ConsoleRole.Admin);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = site.Hub.BaseUri };

        using var response = await http.PostAsync("/console/login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = user.Name, ["password"] = user.Password }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("lgsp-console=", StringComparison.Ordinal)),
            "no console cookie is issued");
    }

    [Fact]
    public async Task The_sign_in_page_sends_nobody_back_to_another_site()
    {
        var user = await site.AddUserAsync(ConsoleRole.Auditor);
        var page = await site.NewPageAsync();
        await page.GotoAsync("/console/login?returnUrl=" + Uri.EscapeDataString("https://evil.example/"));
        await page.GetByLabel("Tên đăng nhập").FillAsync(user.Name);
        await page.GetByLabel("Mật khẩu").FillAsync(user.Password);
        await page.Locator("form button[type=submit]").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Equal(new Uri(site.ConsoleUri, "./").ToString(), page.Url);
    }
}
