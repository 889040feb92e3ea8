using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Directory;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;
using static Lgsp.Server.Tests.Support.HubTiers;

namespace Lgsp.Server.Tests.Outbound.Links;

/// <summary>Hubs as real server processes on loopback, talking to each other with the axis protocol: a
/// document climbs from a commune's hub to the root and down another province, byte for byte, and its
/// statuses travel back the same way.</summary>
[Collection(PostgresCollection.Name)]
public sealed class HubTopologyTests(PostgresFixture postgres)
{
    internal const string Root = "root";
    internal const string ProvinceA = "prov-a";
    internal const string DistrictA1 = "dist-a1";
    internal const string ProvinceB = "prov-b";
    internal const string CommuneA = "000.61.10.H26";
    internal const string CommuneB = "000.62.20.H27";
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly XNamespace Ns = EdocHttp.Namespace;

    [Fact]
    public async Task InFourTiersADocumentArrivesByteIdenticalAndItsStatusesComeBackToTheSender()
    {
        await using var topology = await FourTiersAsync(postgres);

        await ExchangeAsync(topology, CommuneA, CommuneB, [DistrictA1, ProvinceA, Root, ProvinceB]);
    }

    [Fact]
    public async Task InTheTwoTierShapeOf2025ADocumentArrivesByteIdenticalAndItsStatusesComeBackToTheSender()
    {
        await using var topology = await Topology.StartAsync(postgres,
            [new(Root, null), new(ProvinceA, Root), new(ProvinceB, Root)],
            [new(CommuneA, "UBND xã Hòa Sơn", AgencyTier.Commune, ProvinceA), new(CommuneB, "UBND xã Tân Lập", AgencyTier.Commune, ProvinceB)]);

        await ExchangeAsync(topology, CommuneA, CommuneB, [ProvinceA, Root, ProvinceB]);
        // The recipient's hub pulled it from the root by polling: it noted when (the hub links screen shows it).
        Assert.NotNull(Assert.Single(await topology[ProvinceB].QueryAsync("SELECT last_poll_at FROM lgsp.hub WHERE role = 'parent'"))[0]);
    }

    /// <summary>Sends a document from <paramref name="from"/> to <paramref name="to"/> along
    /// <paramref name="path"/> (the sender's hub first), checks what arrives and every hop, then sends
    /// statuses 01, 03 and 06 back and checks that the sender sees them.</summary>
    private static async Task ExchangeAsync(Topology topology, string from, string to, IReadOnlyList<string> path)
    {
        var package = topology.SignedDocument(from, [to]);
        var sender = topology.Client(from);
        var recipient = topology.Client(to);
        var documentId = await sender.SendDocumentAsync(package);

        // The final recipient pulls it from its own hub: the very bytes the sender sent, still verifying.
        var item = await WaitForOneAsync(topology, () => recipient.PendingDocumentsAsync(), "the document at the recipient's hub");
        var delivered = await recipient.GetDocumentAsync(Id(item));
        Assert.Equal(package, delivered);
        Assert.Equal(documentId, item.Element(Ns + "DocumentId")!.Value);
        var verdict = Verifier(topology).Verify(delivered);
        Assert.True(verdict.IsValid && verdict.IsTrusted, string.Join("; ", verdict.Errors.Select(e => e.Message)));
        await recipient.ConfirmAsync(Id(item));

        // Every hub on the way stored it once, with the hops before it and the previous hub's receipt hash.
        var sha256 = SHA256.HashData(package);
        for (var i = 0; i < path.Count; i++)
        {
            var rows = await topology[path[i]].QueryAsync(
                "SELECT p.hops, p.previous_receipt_sha256, p.id FROM lgsp.package p WHERE p.sha256 = $1 AND p.kind = 'document'", sha256);
            var row = Assert.Single(rows);
            Assert.Equal(path.Take(i).ToArray(), (string[])row[0]!);
            if (i == 0)
            {
                Assert.Null(row[1]);
            }
            else
            {
                var previousReceipt = (byte[])(await topology[path[i - 1]].QueryAsync("SELECT receipt FROM lgsp.package WHERE sha256 = $1 AND kind = 'document'", sha256))[0][0]!;
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(previousReceipt)), row[1]);
            }

            var hop = await topology[path[i]].QueryAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'package.received' AND package_id = $1", (long)row[2]!);
            Assert.Equal(1L, hop[0][0]);
        }

        // The recipient's statuses travel back up and down to the sender.
        foreach (var code in new[] { StatusCode.Arrived, StatusCode.Accepted, StatusCode.Finished })
        {
            await recipient.SendStatusAsync(topology.SignedStatus(to, from, documentId, code));
        }

        var statuses = await topology.WaitForAsync(async () =>
        {
            var pending = await sender.PendingStatusesAsync();
            return pending.Count >= 3 ? pending : null;
        }, Patience, "three statuses at the sender's hub");
        Assert.Equal(["01", "03", "06"], statuses.Select(s => s.Element(Ns + "StatusCode")!.Value).Order().ToArray());
        Assert.All(statuses, s => Assert.Equal(documentId, s.Element(Ns + "DocumentId")!.Value));

        // The sender's view at its own hub: forwarded to the next hub (its id there kept), last status 06.
        var deliveries = await topology.WaitForAsync(async () =>
        {
            var all = await sender.DeliveriesAsync(documentId);
            return all.Count == 1 && all[0].Element(Ns + "LastStatusCode")?.Value == "06" ? all : null;
        }, Patience, "GetDeliveries showing status 06");
        var delivery = deliveries.Single();
        Assert.Equal(to, delivery.Element(Ns + "Recipient")!.Value);
        Assert.Equal(path[1], delivery.Element(Ns + "Via")!.Value);
        Assert.False(string.IsNullOrEmpty(delivery.Element(Ns + "PeerDocId")?.Value));
        Assert.Contains(delivery.Element(Ns + "State")!.Value, new[] { "delivered", "acknowledged" });
    }

    internal static async Task<XElement> WaitForOneAsync(Topology topology, Func<Task<IReadOnlyList<XElement>>> list, string what) =>
        (await topology.WaitForAsync(async () => (await list()) is { Count: > 0 } items ? items : null, Patience, what)).Single();

    internal static long Id(XElement item) => long.Parse(item.Element(Ns + "Id")!.Value, CultureInfo.InvariantCulture);

    private static PackageSignatureVerifier Verifier(Topology topology) => new(SignaturePolicy.Default, new CertificateTrust(new TrustOptions
    {
        Roots = [X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(topology.PkiDirectory, "root.pem")))],
        Intermediates = [X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(topology.PkiDirectory, "intermediate.pem")))],
    }));
}
