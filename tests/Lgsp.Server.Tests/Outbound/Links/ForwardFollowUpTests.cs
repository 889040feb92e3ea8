using System.Text.Json;
using System.Xml.Linq;
using Lgsp.Exchange.Ledger;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;
using static Lgsp.Server.Tests.Outbound.Links.HubTopologyTests;
using static Lgsp.Server.Tests.Support.HubTiers;

namespace Lgsp.Server.Tests.Outbound.Links;

/// <summary>What becomes of a forward beyond the next hub travels back to the sender's hub, as real
/// server processes on loopback: the root's failure reaches the district sender, a confirmation at the
/// root does too, and each is recorded once.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ForwardFollowUpTests(PostgresFixture postgres)
{
    private const string Unknown = "000.99.99.H99";
    private static readonly XNamespace Ns = EdocHttp.Namespace;

    [Fact]
    public async Task In_four_tiers_a_recipient_unknown_at_the_root_shows_the_district_sender_failed_with_the_roots_reason_recorded_once_across_polls_and_a_restart()
    {
        await using var topology = await FourTiersAsync(postgres);
        var sender = topology.Client(CommuneA);

        var documentId = await sender.SendDocumentAsync(topology.SignedDocument(CommuneA, [Unknown]));

        // The root fails it (no route); the province learns it from the root, the district from the province.
        var delivery = await topology.WaitForAsync(async () =>
            (await sender.DeliveriesAsync(documentId)).SingleOrDefault(d => d.Element(Ns + "State")!.Value == "failed"), Patience, "the district sender's delivery failed");
        const string rootReason = "unknown-recipient: no route: " + Unknown + " is not in the directory and this hub has no parent hub";
        Assert.Equal("far:unknown-recipient", delivery.Element(Ns + "LastErrorCode")!.Value);
        Assert.Equal($"failed at hub {Root}: {rootReason}", delivery.Element(Ns + "LastError")!.Value);
        Assert.Equal(ProvinceA, delivery.Element(Ns + "Via")!.Value);

        // The sender's trace tells the same, naming the hub that reported it.
        var failed = (await sender.TraceAsync(documentId)).Single(e => e.Element(Ns + "Kind")!.Value == LedgerKind.DeliveryFailed);
        using (var detail = JsonDocument.Parse(failed.Element(Ns + "Detail")!.Value))
        {
            Assert.Equal(ProvinceA, detail.RootElement.GetProperty("reportedBy").GetString());
            Assert.Equal($"failed at hub {Root}: {rootReason}", detail.RootElement.GetProperty("reason").GetString());
        }

        // The province in between recorded the root's failure as well, and the district's record is
        // not made again by later polls nor by a restart.
        var atProvince = await topology[ProvinceA].QueryAsync("SELECT state, last_error_code, last_error FROM lgsp.delivery");
        Assert.Equal(["failed", "far:unknown-recipient", $"failed at hub {Root}: {rootReason}"], Assert.Single(atProvince));
        await topology[DistrictA1].StopAsync();
        await topology[DistrictA1].StartAsync();
        await WaitForPollsAsync(topology, DistrictA1);
        Assert.Equal(1L, await FarEntriesAsync(topology[DistrictA1], LedgerKind.DeliveryFailed));
        Assert.Equal(1L, await FarEntriesAsync(topology[ProvinceA], LedgerKind.DeliveryFailed));
    }

    [Fact]
    public async Task A_confirmation_by_a_recipient_at_the_root_reaches_the_district_sender_as_acknowledged()
    {
        await using var topology = await FourTiersAsync(postgres, settings: null, CentralAtTheRoot);
        var sender = topology.Client(CommuneA);
        var recipient = topology.Client(AtTheRoot);
        var documentId = await sender.SendDocumentAsync(topology.SignedDocument(CommuneA, [AtTheRoot]));

        // Forwarded twice, the district's delivery is only delivered until the recipient confirms.
        var item = await WaitForOneAsync(topology, () => recipient.PendingDocumentsAsync(), "the document at the root");
        await WaitForStateAsync(topology, sender, documentId, "delivered");
        await recipient.ConfirmAsync(Id(item));

        var delivery = await WaitForStateAsync(topology, sender, documentId, "acknowledged");
        Assert.Null(delivery.Element(Ns + "LastError"));
        Assert.NotNull(delivery.Element(Ns + "AcknowledgedAt"));
        var acknowledged = (await sender.TraceAsync(documentId)).Single(e => e.Element(Ns + "Kind")!.Value == LedgerKind.DeliveryAcknowledged);
        using var detail = JsonDocument.Parse(acknowledged.Element(Ns + "Detail")!.Value);
        Assert.Equal(ProvinceA, detail.RootElement.GetProperty("reportedBy").GetString());
        Assert.Equal(1L, await FarEntriesAsync(topology[ProvinceA], LedgerKind.DeliveryAcknowledged));
    }

    // The entries of that kind a next hub's report made (reportedBy set).
    private static async Task<long> FarEntriesAsync(TopologyHub hub, string kind) =>
        (long)(await hub.QueryAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = $1 AND detail ? 'reportedBy'", kind))[0][0]!;
}
