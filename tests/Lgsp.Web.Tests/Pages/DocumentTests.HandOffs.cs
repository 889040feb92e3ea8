using Lgsp.Exchange.Directory;
using Lgsp.Exchange.People;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Hub;
using Lgsp.Web.Tests.Support;

namespace Lgsp.Web.Tests.Pages;

// A document handed down to a child hub (ADR 0020): the page tells "taken by the hub below" from
// "confirmed at the recipient, reported by that hub", which the state acknowledged alone does not.
public sealed partial class DocumentTests
{
    private const string ChildHub = "h56-below";
    private const string BelowCommune = "000.00.71.H56";
    private const string ChildSecret = "child-hub-secret-TEST-ONLY";

    [Fact]
    public async Task A_hand_off_to_a_child_hub_reads_taken_by_that_hub_until_it_reports_the_recipients_confirmation_with_its_time()
    {
        await EnsureChildHubAsync();
        var word = SentDocuments.UniqueWord();
        var (taken, _) = await site.SendAsync(ConsoleSite.Province, [BelowCommune], $"Công văn gửi xuống xã {word}");
        var (confirmed, _) = await site.SendAsync(ConsoleSite.Province, [BelowCommune], $"Công văn đã đến xã {word}");

        // The child hub takes both over SOAP as its inbound system; then it reports the second confirmed below.
        var childCaller = new AgencyClient(site.Topology.Http, site.Hub, new AgencyAccount("", ConsoleSite.HubId, Topology.InboundSystem(ChildHub), ChildSecret, "", ""));
        await childCaller.ConfirmAsync(await DeliveryIdAsync(taken));
        await childCaller.ConfirmAsync(await DeliveryIdAsync(confirmed));
        var now = DateTimeOffset.UtcNow;
        var reportedAt = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(1);
        Assert.True(await new PostgresFarReportStore(site.Database).RecordConfirmedBelowAsync(await DeliveryIdAsync(confirmed), ChildHub, reportedAt));

        var page = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Auditor));
        await page.GotoAsync(SentDocuments.PageOf(taken));
        var recipient = page.Locator($"article[data-recipient='{BelowCommune}']");
        Assert.Contains("Trục dưới đã nhận", await recipient.Locator("h3").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal($"Trục {ChildHub} đã nhận, nơi nhận chưa xác nhận", await recipient.Locator(".hand-off").InnerTextAsync());
        Assert.Equal(["Tạo chuyển phát", $"Trục {ChildHub} đã nhận"], await StepsAsync(page, BelowCommune));

        var english = await site.SignedInPageAsync(await site.AddUserAsync(ConsoleRole.Auditor), "en");
        await english.GotoAsync(SentDocuments.PageOf(confirmed));
        recipient = english.Locator($"article[data-recipient='{BelowCommune}']");
        Assert.Contains("Confirmed", await recipient.Locator("h3").InnerTextAsync(), StringComparison.Ordinal);
        // Vietnam's time, UTC+7 all year.
        var shown = reportedAt.ToOffset(TimeSpan.FromHours(7)).ToString("dd/MM/yyyy HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"Confirmed at the recipient, reported by hub {ChildHub} at {shown}", await recipient.Locator(".hand-off").InnerTextAsync());
        Assert.Equal(["Delivery created", $"Taken by hub {ChildHub}", $"Confirmed by the recipient, reported by hub {ChildHub}"], await StepsAsync(english, BelowCommune));
        await ConsoleSite.ScreenshotAsync(english, "document-hand-off");

        // The deliveries list says the same under each one's state.
        await page.GotoAsync($"/console/deliveries?recipient={BelowCommune}");
        Assert.Contains($"Trục {ChildHub} đã nhận, nơi nhận chưa xác nhận",
            await page.Locator($"tr[data-delivery='{await DeliveryIdAsync(taken)}']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains($"Nơi nhận đã xác nhận, trục {ChildHub} báo lên lúc {shown}",
            await page.Locator($"tr[data-delivery='{await DeliveryIdAsync(confirmed)}']").InnerTextAsync(), StringComparison.Ordinal);
    }

    // The child hub and the commune it serves, in the console hub's directory, as `lgsp hubs add` and
    // the directory sync would leave them; once per site.
    private async Task EnsureChildHubAsync()
    {
        var directory = new PostgresDirectoryStore(site.Database, TimeProvider.System);
        await directory.SaveClientSystemAsync(Topology.InboundSystem(ChildHub), SecretHash.Hash(ChildSecret), site.Hub.Secrets.Seal(ChildSecret),
            PackagePolicy.Strict, [], "operator:test");
        await directory.SaveHubAsync(new HubLink(ChildHub, HubRole.Child, null, null, null, Topology.InboundSystem(ChildHub), true), "operator:test");
        await directory.SaveAgencyAsync(new Agency(BelowCommune, "UBND xã Quảng Phú", null, AgencyTier.Commune, true, null, null, default) { ServedBy = ChildHub },
            "operator:test");
    }

    private async Task<long> DeliveryIdAsync(string documentId)
    {
        var rows = await site.Hub.QueryAsync(
            "SELECT d.id FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id WHERE p.document_id = $1 AND d.recipient = $2",
            documentId, BelowCommune);
        return (long)Assert.Single(rows)[0]!;
    }
}
