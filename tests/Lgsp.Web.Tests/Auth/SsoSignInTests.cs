using Lgsp.Exchange.People;
using Lgsp.TestSupport.Oidc;
using Lgsp.Web.Tests.Support;

namespace Lgsp.Web.Tests.Auth;

/// <summary>Signing in to the console through the provincial single sign-on, in a real browser, against
/// a real OpenID Connect provider and a real hub.</summary>
[Collection(SsoConsoleCollection.Name)]
public sealed class SsoSignInTests(SsoConsoleSite site)
{
    [Fact]
    public async Task An_auditor_signs_in_through_the_provider_and_reaches_what_an_auditor_may_see_and_no_more()
    {
        var person = site.AddPerson([SsoConsoleSite.AuditorValue]);
        var page = await site.NewPageAsync();

        await site.SsoSignInAsync(page, person);

        Assert.EndsWith("/console/", page.Url, StringComparison.Ordinal);
        var nav = await page.Locator("header nav").InnerTextAsync();
        Assert.Contains("Kiểm toán", nav, StringComparison.Ordinal);
        Assert.DoesNotContain("Người dùng", nav, StringComparison.Ordinal);
        var users = await page.GotoAsync("/console/users");
        Assert.Equal(403, users!.Status);
        var user = await site.Users.FindAsync("sso:" + person.Subject);
        Assert.Equal((ConsoleRole.Auditor, "sso", (string?)null), (user!.Role, user.Source, user.PasswordHash));
        Assert.Equal([("user.added", "user:sso:" + person.Subject)], await UserChangesAsync("sso:" + person.Subject));
    }

    [Fact]
    public async Task An_agency_clerk_signs_in_through_the_provider_and_finds_only_the_documents_of_their_agency()
    {
        var word = SentDocuments.UniqueWord();
        var (theirs, _) = await site.SendAsync(ConsoleSite.Province, [ConsoleSite.Finance], $"Công văn về dự toán {word}");
        await site.SendAsync(ConsoleSite.HomeAffairs, [ConsoleSite.HacThanh], $"Công văn về tuyển dụng {word}");
        var person = site.AddPerson(["agency"], ConsoleSite.Finance, "000.00.99.H56");
        var page = await site.NewPageAsync();

        await site.SsoSignInAsync(page, person);
        await page.GotoAsync($"/console/documents?q={word}");

        Assert.DoesNotContain("Chuyển phát", await page.Locator("header nav").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal([theirs], await page.Locator("#documents tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.documentId)"));
        Assert.Equal([ConsoleSite.Finance], (await site.Users.FindAsync("sso:" + person.Subject))!.Agencies);
    }

    [Fact]
    public async Task What_an_sso_administrator_does_is_recorded_under_their_sso_name_and_the_users_page_shows_the_source()
    {
        var admin = site.AddPerson(["admin"]);
        var victim = await site.AddUserAsync(ConsoleRole.Operator);
        var page = await site.NewPageAsync();
        await site.SsoSignInAsync(page, admin);
        await page.GotoAsync("/console/users");
        page.Dialog += (_, dialog) => dialog.AcceptAsync();

        await page.Locator($"tr[data-user='{victim.Name}']").GetByRole(AriaRole.Button, new() { Name = "Vô hiệu hóa" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Equal(("user.disabled", "user:sso:" + admin.Subject), (await UserChangesAsync(victim.Name))[^1]);
        Assert.Contains("Đăng nhập tập trung", await page.Locator($"tr[data-user='sso:{admin.Subject}']").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_role_is_mapped_again_from_the_claims_at_the_next_sign_in()
    {
        var person = site.AddPerson(["agency"], ConsoleSite.Finance);
        await site.SsoSignInAsync(await site.NewPageAsync(), person);
        site.Provider.Add(person with { Roles = [SsoConsoleSite.AuditorValue], Agencies = [] });

        var page = await site.NewPageAsync();
        await site.SsoSignInAsync(page, person);

        Assert.Contains("Kiểm toán", await page.Locator("header nav").InnerTextAsync(), StringComparison.Ordinal);
        var user = await site.Users.FindAsync("sso:" + person.Subject);
        Assert.Equal((ConsoleRole.Auditor, 0), (user!.Role, user.Agencies.Count));
        Assert.Equal(["user.added", "user.role"], (await UserChangesAsync("sso:" + person.Subject)).Select(c => c.Change));
    }

    [Fact]
    public async Task A_person_whose_claims_map_to_no_role_is_refused_with_a_clear_page_and_is_not_signed_in()
    {
        var person = site.AddPerson(["nhanvien"], ConsoleSite.Finance);
        var page = await site.NewPageAsync();

        await site.SsoSignInAsync(page, person);

        Assert.Contains(SsoConsoleSite.SsoRefusedPath + "?reason=role", page.Url, StringComparison.Ordinal);
        Assert.StartsWith("Tài khoản đăng nhập tập trung của bạn chưa được cấp vai trò nào trên trục",
            (await page.Locator("#sso-refused").InnerTextAsync()).Trim(), StringComparison.Ordinal);
        await ConsoleSite.ScreenshotAsync(page, "sso-refused");
        await page.GotoAsync("/console/");
        Assert.Contains("/console/login", page.Url, StringComparison.Ordinal);
        Assert.Null(await site.Users.FindAsync("sso:" + person.Subject));
    }

    [Theory]
    [InlineData(IdTokenForgery.Tampered)]
    [InlineData(IdTokenForgery.Expired)]
    [InlineData(IdTokenForgery.WrongAudience)]
    [InlineData(IdTokenForgery.WrongIssuer)]
    [InlineData(IdTokenForgery.ForeignKey)]
    public async Task An_ID_token_that_fails_a_check_is_refused_at_the_console_and_nobody_is_signed_in(IdTokenForgery forgery)
    {
        var person = site.AddPerson(["admin"]);
        var page = await site.NewPageAsync();
        site.Provider.IdTokenForgery = forgery;
        try
        {
            await site.SsoSignInAsync(page, person);
        }
        finally
        {
            site.Provider.IdTokenForgery = IdTokenForgery.None;
        }

        Assert.Contains(SsoConsoleSite.SsoRefusedPath + "?reason=token", page.Url, StringComparison.Ordinal);
        Assert.StartsWith("Không xác thực được phản hồi của hệ thống đăng nhập tập trung",
            (await page.Locator("#sso-refused").InnerTextAsync()).Trim(), StringComparison.Ordinal);
        await page.GotoAsync("/console/");
        Assert.Contains("/console/login", page.Url, StringComparison.Ordinal);
        Assert.Null(await site.Users.FindAsync("sso:" + person.Subject));
    }

    [Fact]
    public async Task After_the_provider_rotates_its_signing_key_a_sign_in_still_works()
    {
        var person = site.AddPerson([SsoConsoleSite.AuditorValue]);
        await site.SsoSignInAsync(await site.NewPageAsync(), person);
        var before = site.Provider.SigningKeyId;

        // Past the console's shortest wait between two re-reads of the provider's keys (1 s here).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var after = site.Provider.RotateSigningKey();
        var page = await site.NewPageAsync();
        await site.SsoSignInAsync(page, person);

        Assert.NotEqual(before, after);
        Assert.EndsWith("/console/", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_of_the_console_signs_out_at_the_provider_too()
    {
        var person = site.AddPerson([SsoConsoleSite.AuditorValue]);
        var page = await site.NewPageAsync();
        await site.SsoSignInAsync(page, person);
        var formSignIns = site.Provider.LoginPageSignIns;

        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng xuất" }).ClickAsync();
        await page.WaitForURLAsync("**/console/login");

        Assert.Contains(site.Provider.EndSessions, e => e.Subject == person.Subject && e.ClientId == SsoConsoleSite.ClientId);
        await page.GotoAsync("/console/");
        Assert.Contains("/console/login", page.Url, StringComparison.Ordinal);

        // The provider's session ended: the next single sign-on asks for the password again.
        await site.SsoSignInAsync(page, person);
        Assert.Equal(formSignIns + 1, site.Provider.LoginPageSignIns);
        Assert.EndsWith("/console/", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_login_page_offers_single_sign_on_beside_the_local_form_and_local_accounts_still_sign_in()
    {
        var local = await site.AddUserAsync(ConsoleRole.Operator);
        var page = await site.NewPageAsync();
        await page.GotoAsync("/console/login");
        Assert.Equal(1, await page.GetByRole(AriaRole.Link, new() { Name = "Đăng nhập tập trung" }).CountAsync());
        await ConsoleSite.ScreenshotAsync(page, "login-sso");

        await ConsoleSite.SignInAsync(page, local);

        Assert.EndsWith("/console/", page.Url, StringComparison.Ordinal);
    }

    private async Task<List<(string Change, string Actor)>> UserChangesAsync(string name)
    {
        await using var command = site.Database.CreateCommand(
            "SELECT detail->>'change', actor FROM lgsp.ledger WHERE kind = 'user.changed' AND detail->>'name' = $1 ORDER BY seq");
        command.Parameters.AddWithValue(name);
        await using var reader = await command.ExecuteReaderAsync();
        var changes = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            changes.Add((reader.GetString(0), reader.GetString(1)));
        }

        return changes;
    }
}
