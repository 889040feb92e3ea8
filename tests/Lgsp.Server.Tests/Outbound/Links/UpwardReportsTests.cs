using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Lgsp.Exchange.Ledger;
using Lgsp.Server.Tests.Inbound.Axis.Sdk;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;
using static Lgsp.Server.Tests.Outbound.Links.HubTopologyTests;
using static Lgsp.Server.Tests.Support.HubTiers;

namespace Lgsp.Server.Tests.Outbound.Links;

/// <summary>What becomes of a package a hub handed down to a child hub travels back up (ADR 0020), as
/// real server processes on loopback: the recipient's hub reports its confirmation or failure to its
/// parent, and from there it reaches the sender in another subtree; each is recorded once, and only the
/// hub a delivery was handed down to may report on it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class UpwardReportsTests(PostgresFixture postgres)
{
    private static readonly XNamespace Ns = EdocHttp.Namespace;

    [Fact]
    public async Task In_four_tiers_a_confirmation_two_hubs_down_another_subtree_reaches_the_sender_as_acknowledged_and_a_report_repeated_after_a_restart_records_nothing_twice()
    {
        await using var topology = await FourTiersAsync(postgres);
        var sender = topology.Client(CommuneB);
        var recipient = topology.Client(CommuneA);
        var documentId = await sender.SendDocumentAsync(topology.SignedDocument(CommuneB, [CommuneA]));

        // prov-b → root → prov-a → dist-a1: the hubs on the way down took it, the recipient has not confirmed.
        var item = await WaitForOneAsync(topology, () => recipient.PendingDocumentsAsync(), "the document at the district");
        await WaitForStateAsync(topology, sender, documentId, "delivered");
        await recipient.ConfirmAsync(Id(item));

        // The district reports to the province, the province to the root, and the sender's hub follows the root.
        var delivery = await WaitForStateAsync(topology, sender, documentId, "acknowledged");
        Assert.Null(delivery.Element(Ns + "LastError"));
        var acknowledged = (await sender.TraceAsync(documentId)).Single(e => e.Element(Ns + "Kind")!.Value == LedgerKind.DeliveryAcknowledged);
        using (var detail = JsonDocument.Parse(acknowledged.Element(Ns + "Detail")!.Value))
        {
            Assert.Equal(Root, detail.RootElement.GetProperty("reportedBy").GetString());
        }

        // Each hub on the way down recorded its child's report once, as confirmed below.
        Assert.Equal(["acknowledged", true], Assert.Single(await topology[Root].QueryAsync(
            "SELECT state, far_confirmed_at IS NOT NULL FROM lgsp.delivery WHERE via_hub = $1", ProvinceA)));
        Assert.Equal(["acknowledged", true, true], Assert.Single(await topology[ProvinceA].QueryAsync(
            "SELECT state, far_confirmed_at IS NOT NULL, reported_at IS NOT NULL FROM lgsp.delivery WHERE via_hub = $1", DistrictA1)));
        Assert.Equal(1L, await ReportedEntriesAsync(topology[Root], LedgerKind.DeliveryAcknowledged, ProvinceA));
        Assert.Equal(1L, await ReportedEntriesAsync(topology[ProvinceA], LedgerKind.DeliveryAcknowledged, DistrictA1));

        // The district's hub stops after the province recorded its report but before it noted that (the
        // state a crash between the call and the record leaves): it reports again, and nothing is recorded twice.
        await topology[DistrictA1].StopAsync();
        await topology[DistrictA1].QueryAsync("UPDATE lgsp.delivery SET reported_at = NULL WHERE upstream_hub = $1 RETURNING id", ProvinceA);
        await topology[DistrictA1].StartAsync();
        await topology.WaitForAsync(async () => (await topology[DistrictA1].QueryAsync(
            "SELECT id FROM lgsp.delivery WHERE upstream_hub = $1 AND reported_at IS NOT NULL", ProvinceA)).Count == 1 ? "reported" : null,
            Patience, "the district reporting again after its restart");
        await WaitForPollsAsync(topology, ProvinceA);
        await WaitForPollsAsync(topology, ProvinceB);
        Assert.Equal(1L, await ReportedEntriesAsync(topology[ProvinceA], LedgerKind.DeliveryAcknowledged, DistrictA1));
        Assert.Equal(1L, await ReportedEntriesAsync(topology[Root], LedgerKind.DeliveryAcknowledged, ProvinceA));
        Assert.Equal(1L, await ReportedEntriesAsync(topology[ProvinceB], LedgerKind.DeliveryAcknowledged, Root));
    }

    [Fact]
    public async Task In_a_forward_group_one_recipient_failing_at_its_hub_and_one_confirming_leave_each_of_the_senders_deliveries_in_its_own_state()
    {
        await using var topology = await TwoProvincesAsync(postgres);
        var sender = topology.Client(CommuneA);
        var confirming = topology.Client(CommuneB);
        var refusing = topology.Client(CommuneB2);
        var documentId = await sender.SendDocumentAsync(topology.SignedDocument(CommuneA, [CommuneB, CommuneB2]));

        var confirmed = await WaitForOneAsync(topology, () => confirming.PendingDocumentsAsync(), "the document at the first recipient");
        var refused = await WaitForOneAsync(topology, () => refusing.PendingDocumentsAsync(), "the document at the second recipient");
        var forwarded = await topology.WaitForAsync(async () => (await sender.DeliveriesAsync(documentId)) is { Count: 2 } all
            && all.All(d => d.Element(Ns + "State")!.Value == "delivered") ? all : null, Patience, "both deliveries forwarded");
        // One upload carried both codes (ADR 0017): the root gave both the same id.
        Assert.Single(forwarded.Select(d => d.Element(Ns + "PeerDocId")!.Value).Distinct());

        const string reason = "Không đúng thẩm quyền xử lý";
        await confirming.ConfirmAsync(Id(confirmed));
        await refusing.RefuseAsync(Id(refused), reason);

        var final = await topology.WaitForAsync(async () => (await sender.DeliveriesAsync(documentId)) is { Count: 2 } all
            && all.All(d => d.Element(Ns + "State")!.Value is "acknowledged" or "failed") ? all : null, Patience, "both deliveries final at the sender's hub");
        var toB = final.Single(d => d.Element(Ns + "Recipient")!.Value == CommuneB);
        var toB2 = final.Single(d => d.Element(Ns + "Recipient")!.Value == CommuneB2);
        Assert.Equal("acknowledged", toB.Element(Ns + "State")!.Value);
        Assert.Null(toB.Element(Ns + "LastError"));
        Assert.Equal("failed", toB2.Element(Ns + "State")!.Value);
        Assert.Equal("far:confirm-fail", toB2.Element(Ns + "LastErrorCode")!.Value);
        Assert.Equal($"failed at hub {ProvinceB}: {reason}", toB2.Element(Ns + "LastError")!.Value);

        // At the root, each hand-off down to the recipients' hub ended as that hub reported it.
        var atRoot = await topology[Root].QueryAsync(
            "SELECT recipient, state, last_error_code, last_error FROM lgsp.delivery WHERE via_hub = $1 ORDER BY recipient", ProvinceB);
        Assert.Equal([[CommuneB, "acknowledged", null, null], [CommuneB2, "failed", "far:confirm-fail", $"failed at hub {ProvinceB}: {reason}"]], atRoot);
    }

    [Fact]
    public async Task A_report_forged_by_another_child_hub_or_a_client_system_changes_nothing_and_the_real_hubs_report_still_counts()
    {
        await using var topology = await TwoProvincesAsync(postgres);
        var sender = topology.Client(CommuneA);
        var recipient = topology.Client(CommuneB);
        var documentId = await sender.SendDocumentAsync(topology.SignedDocument(CommuneA, [CommuneB]));
        var item = await WaitForOneAsync(topology, () => recipient.PendingDocumentsAsync(), "the document at the recipient's hub");
        // Taken by prov-b (its updateStatus done): acknowledged at the root, not yet confirmed below.
        var handedDown = long.Parse(await topology.WaitForAsync(async () => (await topology[Root].QueryAsync(
            "SELECT id::text FROM lgsp.delivery WHERE via_hub = $1 AND state = 'acknowledged'", ProvinceB)) is [var row] ? (string?)row[0] : null,
            Patience, "the root's hand-off taken by prov-b"), CultureInfo.InvariantCulture);
        var before = await DeliveryAtRootAsync(topology, handedDown);

        // prov-a's own hub link says the delivery handed down to prov-b failed: refused for that delivery.
        using (var otherHub = new VxpClient(topology[Root].AxisUri.ToString(), Topology.InboundSystem(ProvinceA), topology.InboundSecret(ProvinceA)))
        {
            var forged = await ReportAsync(otherHub, handedDown, "failed");
            Assert.Equal("OK", forged.Status);
            Assert.Equal(0, forged.Json!["recorded"]!.GetValue<int>());
            var refusal = Assert.Single(forged.Json["refused"]!.AsArray())!;
            Assert.Equal(handedDown.ToString(CultureInfo.InvariantCulture), refusal["docId"]!.GetValue<string>());
            Assert.Equal("Forbidden", refusal["ErrorCode"]!.GetValue<string>());
        }

        // An agency's client system may not report at all.
        var agency = topology.Agency(AtTheRoot);
        using (var client = new VxpClient(topology[Root].AxisUri.ToString(), agency.System, agency.Secret))
        {
            var forged = await ReportAsync(client, handedDown, "confirmed");
            Assert.Equal("FAIL", forged.Status);
            Assert.Equal("Forbidden", forged.ErrorCode);
        }

        Assert.Equal(before, await DeliveryAtRootAsync(topology, handedDown));
        Assert.Equal(0L, (long)(await topology[Root].QueryAsync("SELECT count(*) FROM lgsp.ledger WHERE detail ? 'reportedBy'"))[0][0]!);
        Assert.Equal("delivered", Assert.Single(await sender.DeliveriesAsync(documentId)).Element(Ns + "State")!.Value);

        // The hub it was handed down to still reports it.
        await recipient.ConfirmAsync(Id(item));
        await WaitForStateAsync(topology, sender, documentId, "acknowledged");
        Assert.Equal(1L, await ReportedEntriesAsync(topology[Root], LedgerKind.DeliveryAcknowledged, ProvinceB));
    }

    private static Task<VxpResult> ReportAsync(VxpClient client, long docId, string outcome)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"outcomes":[{"docId":"{{docId.ToString(CultureInfo.InvariantCulture)}}","outcome":"{{outcome}}","code":"confirm-fail","text":"forged"}]}""");
        return client.CallAsync(HttpMethod.Post, "reportOutcomes", $$"""{"lgsp-body-sha256":"{{Convert.ToHexStringLower(SHA256.HashData(body))}}"}""", body);
    }

    private static async Task<string> DeliveryAtRootAsync(Topology topology, long id) =>
        string.Join('|', Assert.Single(await topology[Root].QueryAsync(
            "SELECT state, last_error_code, last_error, far_confirmed_at FROM lgsp.delivery WHERE id = $1", id)));

    // The entries of that kind a report by that hub made.
    private static async Task<long> ReportedEntriesAsync(TopologyHub hub, string kind, string reportedBy) =>
        (long)(await hub.QueryAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = $1 AND detail->>'reportedBy' = $2", kind, reportedBy))[0][0]!;
}
