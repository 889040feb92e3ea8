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
    public async Task The_hub_links_screen_lists_a_child_hub_of_the_directory_with_its_backlog_and_witness()
    {
        var child = "h56-" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var directory = new PostgresDirectoryStore(site.Database, TimeProvider.System);
        await directory.SaveHubAsync(new HubLink(child, HubRole.Child, null, null, null, null, true), "operator:test");
        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Operator));

        await page.GotoAsync("/console/hubs");

        var row = page.Locator($"#hubs tr[data-hub='{child}']");
        var cells = await row.Locator("td").AllInnerTextsAsync();
        Assert.Equal([child, "Cấp dưới", "", "Có", "0", "0", "Chưa có", "Chưa có"], cells.Select(c => c.Trim()));
        Assert.Equal($"/console/deliveries?state=failed&hub={child}", await row.Locator("td").Nth(5).Locator("a").GetAttributeAsync("href"));
        await ConsoleSite.ScreenshotAsync(page, "hubs");
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
