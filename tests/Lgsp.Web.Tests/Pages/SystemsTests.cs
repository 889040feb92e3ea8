using System.Net;
using Lgsp.Exchange.People;
using Lgsp.TestSupport.Hub;
using Lgsp.Web.Tests.Support;

namespace Lgsp.Web.Tests.Pages;

/// <summary>The client-systems page: who calls the hub, when last, and what of theirs was refused.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SystemsTests(ConsoleSite site)
{
    [Fact]
    public async Task An_operator_adds_a_system_whose_secret_shown_once_works_and_its_call_and_refusals_by_code_then_show()
    {
        var user = await site.AddUserAsync(ConsoleRole.Operator);
        var page = await site.SignedInPageAsync(user);
        await page.GotoAsync("/console/systems");
        var id = "qlvb-test-" + Guid.NewGuid().ToString("N")[..6];

        await page.GetByLabel("Mã hệ thống").FillAsync(id);
        await page.GetByLabel("Cơ quan (mã cách nhau bởi dấu phẩy)").FillAsync(ConsoleSite.HomeAffairs);
        await page.GetByRole(AriaRole.Button, new() { Name = "Thêm", Exact = true }).ClickAsync();

        Assert.Equal($"Đã thêm hệ thống {id}.", await page.Locator("#systems-done p").First.InnerTextAsync());
        var secret = await page.Locator("#new-secret").InnerTextAsync();
        var row = page.Locator($"tr[data-system='{id}']");
        Assert.Contains("Chưa gọi", await row.InnerTextAsync(), StringComparison.Ordinal);

        // The new system calls the hub: once rightly, once sending as an agency it does not act for.
        using var http = new HttpClient();
        Assert.Empty(await EdocHttp.GetPendingDocumentsAsync(http, site.Hub.SoapUri, id, secret, ConsoleSite.HomeAffairs));
        var foreign = site.Topology.SignedDocument(ConsoleSite.Finance, [ConsoleSite.Province]);
        await Assert.ThrowsAsync<EdocAnswerException>(() => EdocHttp.SendDocumentAsync(http, site.Hub.SoapUri, id, secret, EdocHttp.SendDocumentEnvelope(foreign)));

        await page.GotoAsync("/console/systems");
        var text = await row.InnerTextAsync();
        Assert.DoesNotContain("Chưa gọi", text, StringComparison.Ordinal);
        Assert.Equal("Forbidden × 1", await row.Locator(".refusals .badge").InnerTextAsync());
        await ConsoleSite.ScreenshotAsync(page, "systems");

        await using var command = site.Database.CreateCommand("SELECT count(*) FROM lgsp.ledger WHERE kind = 'directory.changed' AND actor = $1 AND detail->>'id' = $2");
        command.Parameters.AddWithValue("user:" + user.Name);
        command.Parameters.AddWithValue(id);
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Rotating_a_secret_shows_the_new_one_once_and_the_old_one_stops_working()
    {
        var user = await site.AddUserAsync(ConsoleRole.Admin);
        var page = await site.SignedInPageAsync(user);
        await page.GotoAsync("/console/systems");
        var id = "qlvb-rot-" + Guid.NewGuid().ToString("N")[..6];
        await page.GetByLabel("Mã hệ thống").FillAsync(id);
        await page.GetByLabel("Cơ quan (mã cách nhau bởi dấu phẩy)").FillAsync(ConsoleSite.HacThanh);
        await page.GetByRole(AriaRole.Button, new() { Name = "Thêm", Exact = true }).ClickAsync();
        var first = await page.Locator("#new-secret").InnerTextAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();

        await page.Locator($"tr[data-system='{id}']").GetByRole(AriaRole.Button, new() { Name = "Khóa mới" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var second = await page.Locator("#new-secret").InnerTextAsync();

        Assert.NotEqual(first, second);
        using var http = new HttpClient();
        Assert.Empty(await EdocHttp.GetPendingDocumentsAsync(http, site.Hub.SoapUri, id, second, ConsoleSite.HacThanh));
        var old = await Assert.ThrowsAsync<EdocAnswerException>(() => EdocHttp.GetPendingDocumentsAsync(http, site.Hub.SoapUri, id, first, ConsoleSite.HacThanh));
        Assert.Equal(401, old.Status);
    }

    [Fact]
    public async Task An_auditor_reads_the_systems_but_cannot_add_or_rotate_even_by_a_forged_post()
    {
        var user = await site.AddUserAsync(ConsoleRole.Auditor);
        var page = await site.SignedInPageAsync(user);
        await page.GotoAsync("/console/systems");

        Assert.True(await page.Locator("tbody tr").CountAsync() >= 4, "the hub's agencies' systems are listed");
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Khóa mới" }).CountAsync());
        Assert.Equal(0, await page.GetByLabel("Mã hệ thống").CountAsync());

        using var http = await site.SignedInClientAsync(user);
        var token = await UsersTests.AntiforgeryTokenAsync(http);
        var system = site.Topology.Agency(ConsoleSite.Finance).System;
        using var post = await http.PostAsync("/console/systems?handler=Rotate",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["id"] = system }));

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);

        // The system's secret still works: nothing was rotated.
        var account = site.Topology.Agency(ConsoleSite.Finance);
        using var client = new HttpClient();
        await EdocHttp.GetPendingDocumentsAsync(client, site.Hub.SoapUri, account.System, account.Secret, ConsoleSite.Finance);
    }
}
