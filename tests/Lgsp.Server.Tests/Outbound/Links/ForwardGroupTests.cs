using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Lgsp.Exchange.Directory;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;
using static Lgsp.Server.Tests.Outbound.Links.HubTopologyTests;

namespace Lgsp.Server.Tests.Outbound.Links;

/// <summary>One upload per next hub (ADR 0017): a package's recipients behind the same hub travel in one
/// <c>sendEdoc</c> carrying all their codes, and the next hub makes one delivery per code.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class ForwardGroupTests(PostgresFixture postgres)
{
    private const string Parent = "prov-p";
    private const string Child = "dist-c";
    private const string Sender = "000.61.10.H26";
    private static readonly string[] BehindTheParent = ["000.61.21.H26", "000.61.22.H26", "000.61.23.H26"];

    internal static Task<Topology> ParentAndChildAsync(PostgresFixture postgres) =>
        Topology.StartAsync(postgres,
            [new(Parent, null), new(Child, Parent)],
            [
                new(Sender, "UBND xã Hòa Sơn", AgencyTier.Commune, Child),
                .. BehindTheParent.Select((code, i) => new AgencySpec(code, $"Sở {i + 1}", AgencyTier.Department, Parent)),
            ],
            // A timeout and a lease long enough that a forward slowed by a busy machine is neither given
            // up nor taken over and sent again (at least once: a second upload would be a retry of the
            // whole group, not a grouping fault; the attempts below say which).
            new Dictionary<string, string?> { ["Hub:Parent:RequestTimeout"] = "00:02:00", ["Hub:Delivery:Lease"] = "00:05:00" });

    [Fact]
    public async Task ThreeRecipientsBehindTheParentCostOneUploadAndGetThreeDeliveriesThere()
    {
        await using var topology = await ParentAndChildAsync(postgres);
        var package = topology.SignedDocument(Sender, BehindTheParent);
        var documentId = await topology.Client(Sender).SendDocumentAsync(package);

        // Every recipient pulls the very bytes from the parent.
        foreach (var code in BehindTheParent)
        {
            var recipient = topology.Client(code);
            var item = await WaitForOneAsync(topology, () => recipient.PendingDocumentsAsync(), $"the document for {code} at the parent");
            Assert.Equal(package, await recipient.GetDocumentAsync(Id(item)));
            await recipient.ConfirmAsync(Id(item));
        }

        // At the child: the three deliveries delivered by one attempt each, with the same peer id (or
        // already acknowledged: the recipients above confirmed, and the child follows its forwards).
        var sha256 = SHA256.HashData(package);
        var atChild = await topology.WaitForAsync(async () =>
        {
            var rows = await topology[Child].QueryAsync(
                "SELECT d.state, d.peer_doc_id, d.attempts FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id WHERE p.sha256 = $1", sha256);
            return rows.Count == 3 && rows.All(r => (string)r[0]! is "delivered" or "acknowledged") ? rows : null;
        }, Patience, "three delivered forwards at the child");
        var attempts = await topology[Child].QueryAsync(
            "SELECT a.number, a.outcome, coalesce(a.error, '') FROM lgsp.delivery_attempt a JOIN lgsp.delivery d ON d.id = a.delivery_id JOIN lgsp.package p ON p.id = d.package_id WHERE p.sha256 = $1", sha256);
        Assert.True(atChild.All(r => (int)r[2]! == 1), "attempts at the child: " + string.Join("; ", attempts.Select(a => string.Join(' ', a))));
        Assert.Single(atChild.Select(r => (string)r[1]!).Distinct());

        // At the parent: one upload accepted, never a duplicate or a resend, and one delivery per code.
        var metrics = await topology.Http.GetStringAsync(new Uri(topology[Parent].BaseUri, "metrics"));
        Assert.Equal(1, Accepted(metrics, duplicate: false));
        Assert.Equal(0, Accepted(metrics, duplicate: true));
        var atParent = await topology[Parent].QueryAsync(
            "SELECT d.recipient, d.state FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id WHERE p.sha256 = $1 ORDER BY d.recipient", sha256);
        Assert.Equal(BehindTheParent, atParent.Select(r => (string)r[0]!).ToArray());
        Assert.All(atParent, r => Assert.Equal("acknowledged", r[1]));
        var received = await topology[Parent].QueryAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'package.received' AND document_id = $1", documentId);
        Assert.Equal(1L, received[0][0]);
    }

    // lgsp_packages_accepted_total{kind="document",duplicate="..."} N; absent counts as 0.
    internal static int Accepted(string metrics, bool duplicate)
    {
        var match = AcceptedLine().Matches(metrics).FirstOrDefault(m => m.Groups["dup"].Value == (duplicate ? "true" : "false"));
        return match is null ? 0 : (int)double.Parse(match.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("""lgsp_packages_accepted_total\{(?=[^}]*kind="document")(?=[^}]*duplicate="(?<dup>\w+)")[^}]*\} (?<n>[0-9.e+]+)""")]
    private static partial Regex AcceptedLine();
}
