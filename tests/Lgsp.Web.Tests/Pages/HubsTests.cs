using Lgsp.Exchange.Directory;
using Lgsp.Exchange.People;
using Lgsp.Postgres.Storage;
using Lgsp.Web.Tests.Support;

namespace Lgsp.Web.Tests.Pages;

/// <summary>The hub links screen, in a real browser against a real hub.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class HubsTests(ConsoleSite site)
{
    [Fact]
    public async Task The_hub_links_screen_lists_a_child_hub_of_the_directory_with_its_link_policy_backlog_and_witness()
    {
        var child = "h56-" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var directory = new PostgresDirectoryStore(site.Database, TimeProvider.System);
        await directory.SaveHubAsync(new HubLink(child, HubRole.Child, null, null, null, null, true) { Policy = LinkPolicy.Inherit }, "operator:test");
        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Operator));

        await page.GotoAsync("/console/hubs");

        var row = page.Locator($"#hubs tr[data-hub='{child}']");
        var cells = await row.Locator("td").AllInnerTextsAsync();
        Assert.Equal([child, "Cấp dưới", "", "Có", "Kế thừa", "0", "0", "Chưa có", "Chưa có", "Chưa có"], cells.Select(c => c.Trim()));
        Assert.Equal($"/console/deliveries?state=failed&hub={child}", await row.Locator("td").Nth(6).Locator("a").GetAttributeAsync("href"));
        await ConsoleSite.ScreenshotAsync(page, "hubs");
    }

    [Fact]
    public async Task The_parent_link_shows_when_this_hub_last_polled_it_successfully()
    {
        var parent = "root-" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var directory = new PostgresDirectoryStore(site.Database, TimeProvider.System);
        // Disabled, so that the hub's poller leaves it alone: the poll time is the one recorded here.
        await directory.SaveHubAsync(new HubLink(parent, HubRole.Parent, new Uri("http://127.0.0.1:9/"), "h56-at-root", site.Hub.Secrets.Seal("root-secret-TEST-ONLY"), null, false),
            "operator:test");
        try
        {
            await directory.RecordHubPollAsync(parent, new DateTimeOffset(2026, 12, 7, 1, 5, 0, TimeSpan.Zero));
            var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Operator));

            await page.GotoAsync("/console/hubs");

            var cells = await page.Locator($"#hubs tr[data-hub='{parent}'] td").AllInnerTextsAsync();
            Assert.Equal([parent, "Cấp trên", "http://127.0.0.1:9/", "Đã tắt", "Nghiêm ngặt", "0", "0", "Chưa có", "Chưa có", "07/12/2026 08:05"], cells.Select(c => c.Trim()));
        }
        finally
        {
            // The other tests see a hub without a parent again.
            await site.Hub.QueryAsync("DELETE FROM lgsp.hub WHERE id = $1", parent);
        }
    }

    [Fact]
    public async Task An_agency_clerk_may_not_open_the_hub_links()
    {
        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Agency, ConsoleSite.Finance));

        var response = await page.GotoAsync("/console/hubs");

        Assert.Equal(403, response!.Status);
        Assert.Equal(0, await page.Locator("#hubs").CountAsync());
    }
}
