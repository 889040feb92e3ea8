using System.Xml.Linq;
using Lgsp.Exchange.Directory;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;
using static Lgsp.Server.Tests.Outbound.Links.HubTopologyTests;

namespace Lgsp.Server.Tests.Support;

/// <summary>The multi-tier topologies of real hub processes the hub-link tests start, each shape written
/// once (the hub ids and the communes are <see cref="Outbound.Links.HubTopologyTests"/>'), and the waits
/// they share. Every test starts its own topology: the tests count ledger entries and stop and restart
/// hubs, which one topology shared between tests would mix up.</summary>
internal static class HubTiers
{
    /// <summary>A central agency, served by the root hub.</summary>
    internal const string AtTheRoot = "000.00.00.G22";

    /// <summary>A second commune of province B.</summary>
    internal const string CommuneB2 = "000.62.21.H27";

    private static readonly XNamespace Ns = EdocHttp.Namespace;

    /// <summary>Root; provinces A and B under it; a district hub under A serving commune A; commune B at B;
    /// and the agencies in <paramref name="more"/>.</summary>
    internal static Task<Topology> FourTiersAsync(PostgresFixture postgres, IReadOnlyDictionary<string, string?>? settings = null,
        params AgencySpec[] more) =>
        Topology.StartAsync(postgres,
            [new(Root, null), new(ProvinceA, Root), new(DistrictA1, ProvinceA), new(ProvinceB, Root)],
            [new(CommuneA, "UBND xã Hòa Sơn", AgencyTier.Commune, DistrictA1), new(CommuneB, "UBND xã Tân Lập", AgencyTier.Commune, ProvinceB), .. more],
            settings);

    /// <summary>Root, serving a central agency; provinces A and B under it, A serving commune A and B
    /// communes B and B2.</summary>
    internal static Task<Topology> TwoProvincesAsync(PostgresFixture postgres) =>
        Topology.StartAsync(postgres,
            [new(Root, null), new(ProvinceA, Root), new(ProvinceB, Root)],
            [new(CommuneA, "UBND xã Hòa Sơn", AgencyTier.Commune, ProvinceA), new(CommuneB, "UBND xã Tân Lập", AgencyTier.Commune, ProvinceB),
             new(CommuneB2, "UBND xã Tân Phú", AgencyTier.Commune, ProvinceB), CentralAtTheRoot]);

    /// <summary>The central agency served by the root hub, for <see cref="FourTiersAsync"/>'s <c>more</c>.</summary>
    internal static AgencySpec CentralAtTheRoot => new(AtTheRoot, "Văn phòng Chính phủ", AgencyTier.Central, Root);

    /// <summary>The sender's one delivery of the document, once it is in <paramref name="state"/>.</summary>
    internal static Task<XElement> WaitForStateAsync(Topology topology, AgencyClient sender, string documentId, string state) =>
        topology.WaitForAsync(async () => (await sender.DeliveriesAsync(documentId)).SingleOrDefault(d => d.Element(Ns + "State")!.Value == state),
            Patience, $"the sender's delivery {state}");

    /// <summary>Waits for a few of the hub's poll cycles after now (each asks its parent for what waits,
    /// reports outcomes up and follows up what it forwarded).</summary>
    internal static async Task WaitForPollsAsync(Topology topology, string hubId)
    {
        var since = DateTimeOffset.UtcNow;
        await topology.WaitForAsync(async () =>
        {
            var last = (await topology[hubId].QueryAsync("SELECT last_poll_at FROM lgsp.hub WHERE role = 'parent'"))[0][0] as DateTime?;
            return last is { } at && new DateTimeOffset(at, TimeSpan.Zero) > since.AddSeconds(2) ? "polled" : null;
        }, Patience, $"{hubId} polling its parent again");
    }
}
