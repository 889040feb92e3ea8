using System.Net;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.People;
using Lgsp.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lgsp.Web.Tests.Pages;

/// <summary>The audit screen, in a real browser against a real hub.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AuditTests(ConsoleSite site)
{
    private static readonly LocatorAssertionsToContainTextOptions Patience = new() { Timeout = 30_000 };

    [Fact]
    public async Task An_auditor_starts_verify_ledger_sees_its_progress_then_an_ok_result_naming_them()
    {
        var auditor = await site.AddUserAsync(ConsoleRole.Auditor);
        var page = await site.SignedInPageAsync(auditor);
        await page.GotoAsync("/console/audit");

        await page.GetByRole(AriaRole.Button, new() { Name = "Kiểm tra sổ cái (verify-ledger)" }).ClickAsync();

        var check = page.Locator("#ledger-check");
        await Expect(check).ToContainTextAsync("Đang kiểm tra");
        await Expect(check.Locator(".badge.ok")).ToContainTextAsync("Sổ cái toàn vẹn", Patience);
        await Expect(check).ToContainTextAsync($"Bắt đầu bởi user:{auditor.Name}");

        await page.ReloadAsync();
        var cells = (await page.Locator("#ledger-checks tbody tr").First.Locator("td").AllInnerTextsAsync()).Select(c => c.Trim()).ToList();
        Assert.Equal($"user:{auditor.Name}", cells[1]);
        Assert.Equal("Toàn vẹn", cells[3]);
        Assert.Equal("", cells[4]);
        Assert.Equal("holds", await ScalarAsync("SELECT outcome FROM lgsp.ledger_check WHERE started_by = $1", $"user:{auditor.Name}"));
        await ConsoleSite.ScreenshotAsync(page, "audit");
    }

    [Fact]
    public async Task A_second_start_while_a_check_runs_says_so_and_follows_the_running_one_to_its_end()
    {
        // A check of another operator, running (its heartbeat fresh), as another instance would leave it.
        var other = $"user:other{Random.Shared.Next(100_000, 999_999)}";
        var running = (long)(await ScalarAsync("""
            INSERT INTO lgsp.ledger_check (kind, started_by, started_at, from_seq, to_seq, checked_through, progress_at)
            VALUES ('verify-ledger', $1, now(), 0, 200, 50, now()) RETURNING id
            """, other))!;
        try
        {
            var auditor = await site.AddUserAsync(ConsoleRole.Auditor);
            var page = await site.SignedInPageAsync(auditor);
            await page.GotoAsync("/console/audit");

            await page.GetByRole(AriaRole.Button, new() { Name = "Kiểm tra sổ cái (verify-ledger)" }).ClickAsync();

            var check = page.Locator("#ledger-check");
            await Expect(check).ToContainTextAsync($"Một lần kiểm tra do {other} bắt đầu đang chạy");
            await Expect(check).ToContainTextAsync("đến mục 50/200 (25%)");
            Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM lgsp.ledger_check WHERE started_by = $1", $"user:{auditor.Name}"));

            await site.Hub.QueryAsync("UPDATE lgsp.ledger_check SET finished_at = now(), outcome = 'broken', break_seq = 120, problem = 'entry 120 changed' WHERE id = $1", running);
            await Expect(check.Locator(".badge.bad")).ToContainTextAsync("Sổ cái bị phá vỡ tại mục 120", Patience);
            await Expect(check).ToContainTextAsync("entry 120 changed");
        }
        finally
        {
            await site.Hub.QueryAsync("UPDATE lgsp.ledger_check SET finished_at = now(), outcome = 'failed' WHERE id = $1 AND finished_at IS NULL", running);
        }
    }

    [Fact]
    public async Task The_action_log_lists_a_user_added_in_the_console_by_its_actor()
    {
        var admin = await site.AddUserAsync(ConsoleRole.Admin);
        var added = new ConsoleUser($"added{Random.Shared.Next(100_000, 999_999)}", ConsoleRole.Auditor, [], "local", SecretHash.Hash("pw-unused-TEST-ONLY"), false, 0, null,
            DateTimeOffset.UtcNow, null);
        Assert.True(await site.Users.AddAsync(added, $"user:{admin.Name}"));
        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Auditor));

        await page.GotoAsync("/console/audit");

        var rows = page.Locator("#console-actions tbody tr", new() { HasTextString = added.Name });
        Assert.Equal(1, await rows.CountAsync());
        var cells = (await rows.Locator("td").AllInnerTextsAsync()).Select(c => c.Trim()).ToList();
        Assert.Equal($"user:{admin.Name}", cells[1]);
        Assert.Equal("user.changed", cells[2]);
        Assert.Contains(added.Name, cells[3], StringComparison.Ordinal);
        // Entries made by systems and by the test fixture are not the console's actions.
        Assert.Equal(0, await page.Locator("#console-actions td", new() { HasTextString = "operator:test" }).CountAsync());
    }

    [Fact]
    public async Task An_agency_clerk_may_not_open_the_audit_screen()
    {
        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Agency, ConsoleSite.Finance));

        var response = await page.GotoAsync("/console/audit");

        Assert.Equal(403, response!.Status);
        Assert.Equal(0, await page.Locator("#ledger-head").CountAsync());
    }

    [Fact]
    public async Task A_forged_start_of_a_check_by_a_role_without_the_right_is_refused_and_starts_nothing()
    {
        var clerk = await site.AddUserAsync(ConsoleRole.Agency, ConsoleSite.Finance);
        var page = await site.SignedInPageAsync(clerk);

        // A valid antiforgery token for the clerk (the sign-out form's): only the right is missing.
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        var cookies = string.Join("; ", (await page.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));
        foreach (var handler in new[] { "Verify", "Witness" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(site.Hub.BaseUri, $"console/audit?handler={handler}"))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token! }),
            };
            request.Headers.Add("Cookie", cookies);
            request.Headers.Add("HX-Request", "true");
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
            using var response = await http.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{handler}: {(int)response.StatusCode}");
        }

        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM lgsp.ledger_check WHERE started_by = $1", $"user:{clerk.Name}"));
    }

    private async Task<object?> ScalarAsync(string sql, params object[] parameters) => (await site.Hub.QueryAsync(sql, parameters)).Single()[0];
}
