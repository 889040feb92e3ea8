using System.Xml.Linq;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Ledger;
using Lgsp.Server.Tests.Inbound.Axis;
using Lgsp.Server.Tests.Inbound.Axis.Sdk;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;
using static Lgsp.Server.Tests.Outbound.Links.HubTopologyTests;

namespace Lgsp.Server.Tests.Outbound.Links;

/// <summary>A hub caller (a child hub's inbound system at its parent) sees the traffic its hub forwarded
/// there, and only that: GetDeliveries, GetTrace, getSentEdocList; and countReceiveEdoc counts what waits
/// for its hub.</summary>
[Collection(PostgresCollection.Name)]
public sealed class HubCallerTrafficTests(PostgresFixture postgres)
{
    private static readonly XNamespace Ns = EdocHttp.Namespace;

    [Fact]
    public async Task A_hub_caller_sees_the_packages_its_hub_forwarded_and_not_another_hubs()
    {
        await using var topology = await Topology.StartAsync(postgres,
            [new(Root, null), new(ProvinceA, Root), new(ProvinceB, Root)],
            [new(CommuneA, "UBND xã Hòa Sơn", AgencyTier.Commune, ProvinceA), new(CommuneB, "UBND xã Tân Lập", AgencyTier.Commune, ProvinceB)]);
        // Province B is down: the document waits at the root in its pending list.
        await topology[ProvinceB].StopAsync();
        var documentId = await topology.Client(CommuneA).SendDocumentAsync(topology.SignedDocument(CommuneA, [CommuneB]));
        await topology.WaitForAsync(async () => (long)(await topology[Root].QueryAsync("SELECT count(*) FROM lgsp.delivery"))[0][0]! == 1 ? "stored" : null,
            Patience, "the document at the root");

        var provinceA = topology.HubCaller(ProvinceA);
        var delivery = Assert.Single(await provinceA.DeliveriesAsync(documentId));
        Assert.Equal(CommuneB, delivery.Element(Ns + "Recipient")!.Value);
        Assert.Equal(ProvinceB, delivery.Element(Ns + "Via")!.Value);
        Assert.Contains(await provinceA.TraceAsync(documentId), e => e.Element(Ns + "Kind")!.Value == LedgerKind.PackageReceived);
        using var axisA = Axis(topology, ProvinceA);
        var row = Assert.Single((await axisA.GetSentEdocListAsync(AxisHub.EdocList)).Items!);
        Assert.Equal((CommuneA, CommuneB), (row["fromCode"], row["toCode"]));
        Assert.Equal(0, (await axisA.CountReceiveEdocAsync(AxisHub.EdocList)).Count);

        // Province B's system did not forward it: it is not its traffic, though it waits for its hub.
        var provinceB = topology.HubCaller(ProvinceB);
        Assert.Contains("NotFound", (await Assert.ThrowsAsync<EdocAnswerException>(() => provinceB.DeliveriesAsync(documentId))).Message);
        Assert.Contains("NotFound", (await Assert.ThrowsAsync<EdocAnswerException>(() => provinceB.TraceAsync(documentId))).Message);
        using var axisB = Axis(topology, ProvinceB);
        Assert.Empty((await axisB.GetSentEdocListAsync(AxisHub.EdocList)).Items!);
        Assert.Equal(1, (await axisB.CountReceiveEdocAsync(AxisHub.EdocList)).Count);
    }

    private static VxpClient Axis(Topology topology, string childHub) =>
        new(topology[Root].AxisUri.ToString(), Topology.InboundSystem(childHub), topology.InboundSecret(childHub));
}
