using System.Net;
using System.Text.RegularExpressions;
using Lgsp.Exchange.People;
using Lgsp.Web.Tests.Support;

namespace Lgsp.Web.Tests.Pages;

/// <summary>The deliveries screen and its bulk replay, in a real browser against a real hub whose
/// deliveries really failed.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class DeliveriesTests(ConsoleSite site)
{
    [Fact]
    public async Task An_operator_replays_the_failed_rows_picked_after_a_dry_run_listing_exactly_them_and_a_reason_and_the_ledger_names_the_user()
    {
        var failed = await site.MakeAsync(ConsoleSite.HacThanh, 3, Tag());
        var (picked, left) = (failed.Take(2).ToList(), failed[2]);
        var user = await site.AddUserAsync(ConsoleRole.Operator);
        var page = await site.SignedInPageAsync(user);

        await page.GotoAsync($"/console/deliveries?state=failed&recipient={ConsoleSite.HacThanh}");
        foreach (var id in failed)
        {
            Assert.Contains("confirm-fail", await Row(page, "#deliveries", id).InnerTextAsync(), StringComparison.Ordinal);
        }

        foreach (var id in picked)
        {
            await page.Locator($"#pick-{id}").CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Chạy thử gửi lại các dòng đã chọn" }).ClickAsync();

        Assert.Equal(picked.Order(), await DeliveryIdsAsync(page, "#dry-run tbody tr"));
        Assert.StartsWith("Chạy thử: 2 chuyển phát sẽ được gửi lại", await page.Locator("#dry-run h2").InnerTextAsync(), StringComparison.Ordinal);
        await ConsoleSite.ScreenshotAsync(page, "replay-dry-run");

        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi lại 2 chuyển phát" }).ClickAsync();

        Assert.Equal("Cần nhập lý do gửi lại: lý do được ghi vào sổ cái cùng người gửi lại.", await page.Locator("#replay-error").InnerTextAsync());
        Assert.Equal(picked.Order(), await DeliveryIdsAsync(page, "#dry-run tbody tr"));
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.replayed' AND delivery_id = ANY($1)", failed.ToArray()));

        await page.GetByLabel("Lý do gửi lại (bắt buộc, ghi vào sổ cái)").FillAsync("Cơ quan nhận đã sửa hệ thống");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi lại 2 chuyển phát" }).ClickAsync();

        Assert.Equal("Đã gửi lại 2 chuyển phát, bỏ qua 0.", await page.Locator("#replay-summary [role=status]").InnerTextAsync());
        Assert.Equal(picked.Order(), await DeliveryIdsAsync(page, "#replay-summary tbody tr"));
        await ConsoleSite.ScreenshotAsync(page, "replay-summary");
        var entries = await site.Hub.QueryAsync(
            "SELECT delivery_id, actor, detail->>'reason', detail->>'newState' FROM lgsp.ledger WHERE kind = 'delivery.replayed' AND delivery_id = ANY($1) ORDER BY delivery_id",
            failed.ToArray());
        Assert.Equal(picked.Select(id => $"{id}|user:{user.Name}|Cơ quan nhận đã sửa hệ thống|pending"),
            entries.Select(e => string.Join('|', e)));
        Assert.Equal("failed", await ScalarAsync("SELECT state FROM lgsp.delivery WHERE id = $1", left));
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM lgsp.delivery WHERE id = ANY($1) AND state = 'pending'", picked.ToArray()));
    }

    [Fact]
    public async Task A_dry_run_of_all_matching_lists_every_failed_delivery_the_filters_select_and_no_other()
    {
        var user = await site.AddUserAsync(ConsoleRole.Admin);
        var page = await site.SignedInPageAsync(user);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var failed = await site.MakeAsync(ConsoleSite.HomeAffairs, 2, Tag());
        var local = TimeZoneInfo.ConvertTime(since, Lgsp.Web.Text.ConsoleText.Zone).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

        await page.GotoAsync($"/console/deliveries?state=failed&error=confirm-fail&recipient={ConsoleSite.HomeAffairs}&since={local}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Chạy thử gửi lại tất cả chuyển phát lỗi khớp bộ lọc" }).ClickAsync();

        Assert.Equal(failed.Order(), await DeliveryIdsAsync(page, "#dry-run tbody tr"));
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM lgsp.delivery WHERE id = ANY($1) AND state = 'failed'", failed.ToArray()));
    }

    [Fact]
    public async Task An_auditor_sees_the_deliveries_without_replay_controls_and_a_forged_replay_is_refused()
    {
        var failed = await site.MakeAsync(ConsoleSite.Finance, 1, Tag());
        var auditor = await site.AddUserAsync(ConsoleRole.Auditor);
        var page = await site.SignedInPageAsync(auditor);

        await page.GotoAsync($"/console/deliveries?state=failed&recipient={ConsoleSite.Finance}");

        Assert.Contains("confirm-fail", await Row(page, "#deliveries", failed[0]).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("input[name=ids]").CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("gửi lại", RegexOptions.IgnoreCase) }).CountAsync());

        // The page's own antiforgery token, with the auditor's cookie: only the right is missing.
        var token = await page.Locator("#deliveries-form input[name=__RequestVerificationToken]").GetAttributeAsync("value");
        var cookies = string.Join("; ", (await page.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));
        foreach (var (handler, fields) in new[]
        {
            ("Preview", new Dictionary<string, string> { ["scope"] = "all", ["state"] = "failed" }),
            ("Replay", new Dictionary<string, string> { ["ids"] = failed[0].ToString(System.Globalization.CultureInfo.InvariantCulture), ["reason"] = "forged" }),
        })
        {
            fields["__RequestVerificationToken"] = token!;
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(site.Hub.BaseUri, $"console/deliveries?handler={handler}")) { Content = new FormUrlEncodedContent(fields) };
            request.Headers.Add("Cookie", cookies);
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
            using var response = await http.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{handler}: {(int)response.StatusCode} {response.Headers.Location}");
        }

        Assert.Equal("failed", await ScalarAsync("SELECT state FROM lgsp.delivery WHERE id = $1", failed[0]));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.replayed' AND delivery_id = $1", failed[0]));
    }

    [Fact]
    public async Task A_replay_posted_by_a_signed_in_operator_without_the_antiforgery_token_is_refused_and_replays_nothing()
    {
        var failed = await site.MakeAsync(ConsoleSite.Finance, 1, Tag());
        // The operator's own session cookie, the right to replay, a reason: only the token is missing.
        using var http = await site.SignedInClientAsync(await site.AddUserAsync(ConsoleRole.Operator));

        using var response = await http.PostAsync(new Uri("console/deliveries?handler=Replay", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ids"] = failed[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["reason"] = "no token",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("failed", await ScalarAsync("SELECT state FROM lgsp.delivery WHERE id = $1", failed[0]));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.replayed' AND delivery_id = $1", failed[0]));
    }

    private static ILocator Row(IPage page, string table, long id) => page.Locator($"{table} tr[data-delivery='{id}']");

    private static async Task<List<long>> DeliveryIdsAsync(IPage page, string rows) =>
        [.. (await page.Locator(rows).EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.delivery)")).Select(long.Parse).Order()];

    private async Task<object?> ScalarAsync(string sql, params object[] parameters) => (await site.Hub.QueryAsync(sql, parameters)).Single()[0];

    private static string Tag() => Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
