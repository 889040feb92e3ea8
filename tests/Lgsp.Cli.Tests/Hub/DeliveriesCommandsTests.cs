using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Spooling;
using Lgsp.Exchange.Storage;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Cli.Tests.Hub;

/// <summary><c>lgsp deliveries list</c> on deliveries stored through the package store.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DeliveriesCommandsTests(PostgresFixture fixture)
{
    private const string DocumentId = "000.00.01.H56,2026/01/15,7/STC-NS";

    [Fact]
    public async Task The_list_filters_by_state_and_shows_a_redirected_recipient_with_the_code_the_sender_wrote()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var ids = await StoreAsync(db);
        await db.Packages.ConfirmAsync(ids["000.00.02.H56"], done: false, "refused: not ours", "qlvb-snv", DateTimeOffset.UtcNow);

        var failed = db.Ok("deliveries", "list", "--state", "failed");
        var pending = db.Ok("deliveries", "list", "--state", "Pending");
        var all = db.Ok("deliveries", "list");

        Assert.Contains("refused: not ours", failed);
        Assert.Contains("000.00.02.H56", failed);
        Assert.DoesNotContain("000.00.03.H56", failed);
        Assert.Contains("1 delivery", failed);
        Assert.DoesNotContain("000.00.02.H56", pending);
        Assert.Contains("000.00.03.H56 ← 000.00.09.H56", pending);
        Assert.Contains("push", pending);
        Assert.Contains(DocumentId, pending);
        Assert.Contains("2 deliveries", all);
    }

    [Fact]
    public async Task The_list_as_json_is_newest_first_and_max_bounds_it()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var ids = await StoreAsync(db);

        using var json = JsonDocument.Parse(db.Ok("deliveries", "list", "--json"));
        using var one = JsonDocument.Parse(db.Ok("deliveries", "list", "--json", "--max", "1"));

        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal([ids["000.00.03.H56"], ids["000.00.02.H56"]], items.Select(i => i.GetProperty("id").GetInt64()));
        Assert.Equal("pending", items[0].GetProperty("state").GetString());
        Assert.Equal("push", items[0].GetProperty("mode").GetString());
        Assert.Equal("000.00.09.H56", items[0].GetProperty("addressedTo").GetString());
        Assert.Equal(ids["000.00.03.H56"], Assert.Single(one.RootElement.EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task The_list_names_the_next_hub_of_a_forwarded_delivery_in_the_table_and_the_json()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        await db.Directory.SaveHubAsync(new Lgsp.Exchange.Directory.HubLink("lgsp-root", Lgsp.Exchange.Directory.HubRole.Parent, new Uri("http://127.0.0.1:9/vxp"), "lgsp-child", [1, 2, 3], null, true), "operator:test");
        await StoreAsync(db, new NewDelivery("000.00.00.T01", "000.00.00.T01", DeliveryMode.Push) { Via = "lgsp-root" });

        var table = db.Ok("deliveries", "list");
        using var json = JsonDocument.Parse(db.Ok("deliveries", "list", "--json"));

        Assert.Contains("via", table);
        Assert.Contains("lgsp-root", table);
        var forwarded = json.RootElement.EnumerateArray().Single(d => d.GetProperty("recipient").GetString() == "000.00.00.T01");
        Assert.Equal("lgsp-root", forwarded.GetProperty("via").GetString());
    }

    [Fact]
    public async Task An_unknown_state_or_a_max_below_one_exits_two()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);

        Assert.Equal(2, db.Run("deliveries", "list", "--state", "lost").Exit);
        Assert.Equal(2, db.Run("deliveries", "list", "--max", "0").Exit);
        Assert.Equal(2, db.Run("deliveries", "list", "--max", "many").Exit);
    }

    /// <summary>A document to two recipients: one pulls, the other is pushed to and was addressed by a retired code.</summary>
    private static async Task<Dictionary<string, long>> StoreAsync(HubDatabase db, params NewDelivery[] more)
    {
        var body = Encoding.UTF8.GetBytes("<edXML>test only</edXML>");
        var outcome = await db.Packages.SaveAsync(
            new NewPackage
            {
                Kind = PackageKind.Document,
                SenderSystem = "qlvb-stc",
                From = "000.00.01.H56",
                DocumentId = DocumentId,
                Sha256 = SHA256.HashData(body),
                Body = PackageSpool.FromBytes(body),
                ReceivedAt = DateTimeOffset.UtcNow,
                BusinessType = BusinessDocType.New,
                CodeNumber = "7",
                CodeNotation = "STC-NS",
                Subject = "V/v thử nghiệm",
                Legacy = true,
                Signature = "unsigned",
            },
            [new NewDelivery("000.00.02.H56", "000.00.02.H56", DeliveryMode.Pull), new NewDelivery("000.00.03.H56", "000.00.09.H56", DeliveryMode.Push), .. more],
            _ => [1]);
        Assert.Equal(SaveResult.Saved, outcome.Result);
        return outcome.Deliveries.ToDictionary(d => d.Delivery.Recipient, d => d.Id);
    }
}
