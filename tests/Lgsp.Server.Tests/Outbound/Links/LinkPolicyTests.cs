using System.Text.Json;
using Lgsp.Exchange.Directory;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Packages;
using Lgsp.TestSupport.Postgres;
using static Lgsp.Server.Tests.Outbound.Links.HubTopologyTests;

namespace Lgsp.Server.Tests.Outbound.Links;

/// <summary>The link policy (ADR 0017): over a strict link a package the child accepted under legacy is
/// refused by the parent's strict judgement; over an inherit link it is accepted under legacy, with the
/// child's verdict and receipt on record.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LinkPolicyTests(PostgresFixture postgres)
{
    private const string Parent = "prov-p";
    private const string Child = "dist-c";
    private const string Sender = "000.61.10.H26";
    private const string Recipient = "000.61.21.H26";
    private static readonly System.Xml.Linq.XNamespace Ns = EdocHttp.Namespace;

    [Fact]
    public async Task AnUnsignedDocumentTheChildTookUnderLegacyIsRefusedOverAStrictLinkAndAcceptedOverAnInheritOne()
    {
        await using var topology = await Topology.StartAsync(postgres,
            [new(Parent, null), new(Child, Parent)],
            [new(Sender, "UBND xã Hòa Sơn", AgencyTier.Commune, Child), new(Recipient, "Sở Tài chính", AgencyTier.Department, Parent)]);
        await topology[Child].QueryAsync("UPDATE lgsp.client_system SET policy = 'legacy' WHERE id = $1", topology.Agency(Sender).System);
        var sender = topology.Client(Sender);

        // Strict link (the default): the parent judges it under the child's system's strict policy.
        var refusedId = await sender.SendDocumentAsync(TestPackages.Document(Sender, [Recipient]));
        var failed = await topology.WaitForAsync(async () =>
            (await sender.DeliveriesAsync(refusedId)).SingleOrDefault(d => d.Element(Ns + "State")?.Value == "failed"), Patience, "the forward refused by the parent");
        Assert.Contains($"hub {Parent} refused: SignatureRequired", failed.Element(Ns + "LastError")!.Value);
        Assert.Empty(await topology[Parent].QueryAsync("SELECT id FROM lgsp.package WHERE document_id = $1", refusedId));

        // Inherit: what the child accepted under legacy is accepted under legacy here, the child's verdict recorded.
        await topology[Parent].QueryAsync("UPDATE lgsp.hub SET policy = 'inherit' WHERE id = $1", Child);
        var package = TestPackages.Document(Sender, [Recipient]);
        var acceptedId = await sender.SendDocumentAsync(package);
        var recipient = topology.Client(Recipient);
        var item = await WaitForOneAsync(topology, () => recipient.PendingDocumentsAsync(), "the inherited document at the parent");
        Assert.Equal(package, await recipient.GetDocumentAsync(Id(item)));

        var stored = Assert.Single(await topology[Parent].QueryAsync("SELECT legacy, previous_receipt_sha256 FROM lgsp.package WHERE document_id = $1", acceptedId));
        Assert.Equal(true, stored[0]);
        var detail = (string)Assert.Single(await topology[Parent].QueryAsync(
            "SELECT detail::text FROM lgsp.ledger WHERE kind = 'package.received' AND document_id = $1", acceptedId))[0]!;
        using var entry = JsonDocument.Parse(detail);
        Assert.Equal("legacy", entry.RootElement.GetProperty("policy").GetString());
        var inherited = entry.RootElement.GetProperty("inheritedVerdict");
        Assert.Equal(Child, inherited.GetProperty("hub").GetString());
        Assert.Equal("legacy", inherited.GetProperty("policy").GetString());
        Assert.Equal((string)stored[1]!, inherited.GetProperty("receiptSha256").GetString());
        var childReceipt = (byte[])Assert.Single(await topology[Child].QueryAsync("SELECT receipt FROM lgsp.package WHERE document_id = $1", acceptedId))[0]!;
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(childReceipt)), stored[1]);
    }
}
