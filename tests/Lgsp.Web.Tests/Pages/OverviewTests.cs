using System.Globalization;
using Lgsp.Exchange.People;
using Lgsp.Web.Tests.Support;

namespace Lgsp.Web.Tests.Pages;

/// <summary>The overview, in a real browser against a real hub that has just carried documents.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class OverviewTests(ConsoleSite site)
{
    [Fact]
    public async Task After_a_real_send_the_overview_counts_it_and_its_failed_figure_opens_the_failed_list()
    {
        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Operator));
        var before = await FiguresAsync(page);
        var failed = await site.MakeAsync(ConsoleSite.HacThanh, 1, Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture));

        await page.GotoAsync("/console/");
        var after = await FiguresAsync(page);

        Assert.Equal(before["accepted"] + 1, after["accepted"]);
        Assert.Equal(before["failed"] + 1, after["failed"]);
        Assert.Equal(before["failed-waiting"] + 1, after["failed-waiting"]);
        Assert.True(await page.Locator("#overview-chart").EvaluateAsync<bool>("c => c.width > 0 && !!window.Chart && !!window.Chart.getChart(c)"), "the chart is drawn");
        Assert.Contains(ConsoleSite.HacThanh, await page.Locator("#failing").InnerTextAsync(), StringComparison.Ordinal);
        await ConsoleSite.ScreenshotAsync(page, "overview");

        await page.Locator("#figures-today a[data-figure=failed]").ClickAsync();

        Assert.EndsWith("/console/deliveries?state=failed", page.Url, StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator($"#deliveries tr[data-delivery='{failed[0]}']").CountAsync());
    }

    [Fact]
    public async Task An_agency_clerk_sees_links_and_no_whole_hub_figures()
    {
        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Agency, ConsoleSite.Finance));

        Assert.Equal(0, await page.Locator(".figures").CountAsync());
        Assert.Equal("/console/documents", await page.Locator(".tiles a").First.GetAttributeAsync("href"));
    }

    // Today's figures and the failed deliveries waiting, by their data-figure names.
    private static async Task<Dictionary<string, long>> FiguresAsync(IPage page)
    {
        var figures = new Dictionary<string, long>();
        foreach (var link in await page.Locator("#figures-today a[data-figure], #figures-queue a[data-figure]").AllAsync())
        {
            var value = await link.Locator(".value").InnerTextAsync();
            figures[(await link.GetAttributeAsync("data-figure"))!] = long.Parse(value, NumberStyles.AllowThousands, CultureInfo.GetCultureInfo("vi-VN"));
        }

        return figures;
    }
}
