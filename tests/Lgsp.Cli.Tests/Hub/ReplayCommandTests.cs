using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Spooling;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Cli.Tests.Hub;

/// <summary><c>lgsp replay</c> on deliveries stored through the real stores.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReplayCommandTests(PostgresFixture fixture)
{
    private const string Pulled = "000.00.02.H56";
    private const string Pushed = "000.00.03.H56";
    private const string Waiting = "000.00.04.H56";

    [Fact]
    public async Task A_dry_run_lists_exactly_the_failed_deliveries_and_changes_nothing()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var ids = await StoreAsync(db);
        var before = await db.ScalarAsync("SELECT string_agg(d::text, E'\\n' ORDER BY id) FROM lgsp.delivery d");

        var table = db.Ok("replay", "--failed", "--dry-run", "--reason", "x");
        using var json = JsonDocument.Parse(db.Ok("replay", "--failed", "--dry-run", "--reason", "x", "--json"));

        var items = json.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([ids[Pulled], ids[Pushed]], items.Select(i => i.GetProperty("deliveryId").GetInt64()));
        Assert.All(items, i => Assert.Equal("replayed", i.GetProperty("outcome").GetString()));
        Assert.True(json.RootElement.GetProperty("dryRun").GetBoolean());
        Assert.Contains("confirm-fail", table);
        Assert.Contains("http-503", table);
        Assert.Contains(Pushed, table);
        Assert.DoesNotContain(Waiting, table);
        Assert.Contains("dry run: 2 deliveries would be replayed; nothing was changed", table);
        Assert.Equal(before, await db.ScalarAsync("SELECT string_agg(d::text, E'\\n' ORDER BY id) FROM lgsp.delivery d"));
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.replayed'"));
    }

    [Fact]
    public async Task A_filtered_replay_replays_the_matching_failed_deliveries_and_records_who_and_why()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var ids = await StoreAsync(db);

        var output = db.Ok("replay", "--failed", "--error", "HTTP-503", "--recipient", Pushed, "--reason", "peer restored", "--by", "operator:lan");

        Assert.Contains("replayed 1, skipped 0", output);
        Assert.Equal("retrying", await db.ScalarAsync("SELECT state FROM lgsp.delivery WHERE id = $1", ids[Pushed]));
        Assert.Equal("failed", await db.ScalarAsync("SELECT state FROM lgsp.delivery WHERE id = $1", ids[Pulled]));
        var (kind, actor, detail) = Assert.Single(await db.LedgerAsync(), e => e.Kind == "delivery.replayed");
        Assert.Equal("operator:lan", actor);
        using var parsed = JsonDocument.Parse(detail);
        Assert.Equal("peer restored", parsed.RootElement.GetProperty("reason").GetString());
        Assert.Equal(Pushed, parsed.RootElement.GetProperty("filter").GetProperty("recipient").GetString());
    }

    [Fact]
    public async Task A_missing_or_blank_reason_exits_two_and_says_the_reason_is_mandatory()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var ids = await StoreAsync(db);

        var missing = db.Run("replay", "--failed");
        var blank = db.Run("replay", ids[Pushed].ToString(System.Globalization.CultureInfo.InvariantCulture), "--reason", "  ");

        Assert.Equal(2, missing.Exit);
        Assert.Contains("InvalidRequest reason: The request is invalid: a replay needs a reason", missing.Error);
        Assert.Equal(2, blank.Exit);
        Assert.Contains("a replay needs a reason", blank.Error);
        Assert.Equal("failed", await db.ScalarAsync("SELECT state FROM lgsp.delivery WHERE id = $1", ids[Pushed]));
    }

    [Fact]
    public async Task A_single_delivery_that_is_already_delivered_says_so_and_exits_zero()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var ids = await StoreAsync(db);
        await new PostgresDeliveryStore(db.DataSource).RecordPushAsync(new PushRecord(ids[Waiting], 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, DeliveryState.Delivered, null, false, null));
        var id = ids[Waiting].ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (exit, output, _) = db.Run("replay", id, "--reason", "again");

        Assert.Equal(0, exit);
        Assert.Equal($"delivery {id} is already delivered; nothing to replay", output.Trim());
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.replayed'"));
    }

    [Fact]
    public async Task An_unknown_id_exits_one_and_mixing_an_id_with_filters_exits_two()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);

        var unknown = db.Run("replay", "424242", "--reason", "x");
        var both = db.Run("replay", "1", "--failed", "--reason", "x");
        var stray = db.Run("replay", "1", "--error", "timeout", "--reason", "x");
        var neither = db.Run("replay", "--reason", "x");
        var badSince = db.Run("replay", "--failed", "--since", "yesterday-ish", "--reason", "x");

        Assert.Equal(1, unknown.Exit);
        Assert.Contains("delivery 424242 does not exist", unknown.Output);
        Assert.Equal(2, both.Exit);
        Assert.Equal(2, stray.Exit);
        Assert.Contains("--error", stray.Error);
        Assert.Equal(2, neither.Exit);
        Assert.Equal(2, badSince.Exit);
    }

    /// <summary>Three deliveries of one document: a pull the recipient refused, a push that ran out of
    /// attempts (503), and a push still waiting.</summary>
    private static async Task<Dictionary<string, long>> StoreAsync(HubDatabase db)
    {
        // A replay routes through the directory: the three are this hub's agencies, one pulling, two pushed.
        var endpoint = new Uri("http://127.0.0.1:9/in");
        foreach (var (code, push) in new[] { (Pulled, (Uri?)null), (Pushed, endpoint), (Waiting, endpoint) })
        {
            await db.Directory.SaveAgencyAsync(new Agency(code, code, null, AgencyTier.Department, true, null, push, default), "test");
        }

        var body = Encoding.UTF8.GetBytes("<edXML>replay test</edXML>");
        var outcome = await db.Packages.SaveAsync(
            new NewPackage
            {
                Kind = PackageKind.Document,
                SenderSystem = "qlvb-stc",
                From = "000.00.01.H56",
                DocumentId = "000.00.01.H56,2026/01/15,9/STC-NS",
                Sha256 = SHA256.HashData(body),
                Body = PackageSpool.FromBytes(body),
                ReceivedAt = DateTimeOffset.UtcNow,
                BusinessType = BusinessDocType.New,
                Legacy = true,
                Signature = "unsigned",
            },
            [new NewDelivery(Pulled, Pulled, DeliveryMode.Pull), new NewDelivery(Pushed, Pushed, DeliveryMode.Push), new NewDelivery(Waiting, Waiting, DeliveryMode.Push)],
            _ => [1]);
        var ids = outcome.Deliveries.ToDictionary(d => d.Delivery.Recipient, d => d.Id);
        await db.Packages.ConfirmAsync(ids[Pulled], done: false, "not ours", "qlvb-snv", DateTimeOffset.UtcNow);
        var now = DateTimeOffset.UtcNow;
        await new PostgresDeliveryStore(db.DataSource).RecordPushAsync(
            new PushRecord(ids[Pushed], 1, now, now, DeliveryState.Failed, "HTTP 503 Service Unavailable (gave up after 1 attempts)", false, null, ErrorCode: "http-503"));
        return ids;
    }
}
