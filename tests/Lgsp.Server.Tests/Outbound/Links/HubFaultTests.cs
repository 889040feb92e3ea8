using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Lgsp.Exchange.Directory;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Outbound.Links;

/// <summary>Forwarding between real hub processes when things go wrong: the parent is down, refuses, or
/// the forwarding hub is killed mid-forward.</summary>
[Collection(PostgresCollection.Name)]
public sealed class HubFaultTests(PostgresFixture postgres)
{
    private const string Root = HubTopologyTests.Root;
    private const string ProvinceA = HubTopologyTests.ProvinceA;
    private const string ProvinceB = HubTopologyTests.ProvinceB;
    private const string CommuneA = HubTopologyTests.CommuneA;
    private const string CommuneB = HubTopologyTests.CommuneB;
    private static readonly TimeSpan Patience = HubTopologyTests.Patience;

    /// <summary>Root with provinces A and B, a commune in each.</summary>
    private Task<Topology> TwoTiersAsync(IReadOnlyDictionary<string, string?>? settings = null, IReadOnlyCollection<string>? distrusting = null) =>
        Topology.StartAsync(postgres,
            [new(Root, null), new(ProvinceA, Root), new(ProvinceB, Root)],
            [new(CommuneA, "UBND xã Hòa Sơn", AgencyTier.Commune, ProvinceA), new(CommuneB, "UBND xã Tân Lập", AgencyTier.Commune, ProvinceB)],
            settings, distrusting);

    [Fact]
    public async Task WhileTheParentIsDownForwardsRetryWithBackoffAndCompleteWhenItReturns()
    {
        await using var topology = await TwoTiersAsync(new Dictionary<string, string?> { ["Hub:Delivery:MaxAttempts"] = "100" });
        await topology[Root].StopAsync();

        var package = topology.SignedDocument(CommuneA, [CommuneB]);
        var documentId = await topology.Client(CommuneA).SendDocumentAsync(package);
        await topology.WaitForAsync(async () => await FailedAttemptsAsync(topology[ProvinceA], documentId) >= 2 ? "" : null, Patience,
            "two failed forwards while the parent is down");
        var retrying = await DeliveryAsync(topology[ProvinceA], documentId);
        Assert.Equal("retrying", retrying.State);
        Assert.Contains($"hub {Root}", retrying.LastError);

        await topology[Root].StartAsync();

        var recipient = topology.Client(CommuneB);
        var item = await HubTopologyTests.WaitForOneAsync(topology, () => recipient.PendingDocumentsAsync(), "the document after the parent returned");
        Assert.Equal(package, await recipient.GetDocumentAsync(HubTopologyTests.Id(item)));
        var delivered = await DeliveryAsync(topology[ProvinceA], documentId);
        Assert.Equal("delivered", delivered.State);
        Assert.True(delivered.Attempts >= 3, $"{delivered.Attempts} attempts");
    }

    [Fact]
    public async Task AParentThatRefusesThePackageFailsTheForwardAtOnceWithItsReason()
    {
        await using var topology = await TwoTiersAsync(distrusting: [Root]);

        var documentId = await topology.Client(CommuneA).SendDocumentAsync(topology.SignedDocument(CommuneA, [CommuneB]));

        var failed = await topology.WaitForAsync(async () => await DeliveryAsync(topology[ProvinceA], documentId) is { State: "failed" } d ? d : null, Patience,
            "the forward failed");
        Assert.Equal(1, failed.Attempts);
        Assert.StartsWith($"hub {Root} refused: ", failed.LastError);
        Assert.Contains("Signature", failed.LastError);
        Assert.Equal(0L, (await topology[Root].QueryAsync("SELECT count(*) FROM lgsp.package"))[0][0]);
    }

    [Fact]
    public async Task AForwardThatRanOutOfAttemptsIsDeliveredByAReplayOnceTheParentIsBack()
    {
        await using var topology = await TwoTiersAsync(new Dictionary<string, string?> { ["Hub:Delivery:MaxAttempts"] = "2" });
        await topology[Root].StopAsync();
        var package = topology.SignedDocument(CommuneA, [CommuneB]);
        var documentId = await topology.Client(CommuneA).SendDocumentAsync(package);
        var failed = await topology.WaitForAsync(async () => await DeliveryAsync(topology[ProvinceA], documentId) is { State: "failed" } d ? d : null, Patience,
            "the forward gave up");
        Assert.Contains("gave up after 2 attempts", failed.LastError);

        await topology[Root].StartAsync();
        using var replay = new HttpRequestMessage(HttpMethod.Post, new Uri(topology[ProvinceA].BaseUri, $"admin/api/deliveries/{failed.Id}/replay"))
        {
            Content = JsonContent.Create(new { reason = "the root hub is back" }),
        };
        replay.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:admin-test-password")));
        using var answer = await topology.Http.SendAsync(replay);
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());

        var recipient = topology.Client(CommuneB);
        var item = await HubTopologyTests.WaitForOneAsync(topology, () => recipient.PendingDocumentsAsync(), "the replayed document");
        Assert.Equal(package, await recipient.GetDocumentAsync(HubTopologyTests.Id(item)));
        Assert.Equal("delivered", (await DeliveryAsync(topology[ProvinceA], documentId)).State);
    }

    [Fact]
    public async Task AHubKilledMidForwardLosesNothingAndDeliversNothingTwiceAfterItRestarts()
    {
        const int Documents = 12;
        await using var topology = await TwoTiersAsync();
        var sender = topology.Client(CommuneA);
        var packages = Enumerable.Range(0, Documents).Select(_ => topology.SignedDocument(CommuneA, [CommuneB])).ToList();
        foreach (var package in packages)
        {
            await sender.SendDocumentAsync(package);
        }

        // Kill the forwarding hub as soon as the first forward has landed at the root: others are in flight.
        await topology.WaitForAsync(async () => (long)(await topology[Root].QueryAsync("SELECT count(*) FROM lgsp.package"))[0][0]! >= 1 ? "" : null,
            Patience, "a first forward at the root");
        await topology[ProvinceA].KillAsync();
        await topology[ProvinceA].StartAsync();

        var recipient = topology.Client(CommuneB);
        var items = await topology.WaitForAsync(async () => (await recipient.PendingDocumentsAsync()) is { Count: >= Documents } all ? all : null,
            Patience, $"{Documents} documents at the recipient");
        Assert.Equal(Documents, items.Count);
        var received = new List<byte[]>();
        foreach (var item in items)
        {
            received.Add(await recipient.GetDocumentAsync(HubTopologyTests.Id(item)));
        }

        Assert.Equal(packages.Select(Sha).Order(), received.Select(Sha).Order());
        foreach (var hub in new[] { ProvinceA, Root, ProvinceB })
        {
            var perRecipient = await topology[hub].QueryAsync(
                "SELECT count(*), count(DISTINCT package_id) FROM lgsp.delivery WHERE recipient = $1", CommuneB);
            Assert.Equal(((long)Documents, (long)Documents), ((long)perRecipient[0][0]!, (long)perRecipient[0][1]!));
            Assert.Equal((long)Documents, (await topology[hub].QueryAsync("SELECT count(*) FROM lgsp.package"))[0][0]);
        }
    }

    [Fact]
    public async Task ADirectorySyncTeachesAChildHubTheAgenciesBeyondItsParent()
    {
        await using var topology = await TwoTiersAsync(new Dictionary<string, string?> { ["Hub:Parent:DirectorySyncInterval"] = "00:00:01" });

        var synced = await topology.WaitForAsync(async () =>
            (await topology[ProvinceA].QueryAsync("SELECT served_by, name FROM lgsp.agency WHERE code = $1", CommuneB)) is { Count: 1 } rows ? rows[0] : null,
            Patience, "the other province's commune in A's directory");
        Assert.Equal(Root, synced[0]);
        Assert.Equal("UBND xã Tân Lập", synced[1]);

        // A's own commune stays its own.
        Assert.Null((await topology[ProvinceA].QueryAsync("SELECT served_by FROM lgsp.agency WHERE code = $1", CommuneA))[0][0]);
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private sealed record DeliveryRow(long Id, string State, int Attempts, string? LastError);

    private static async Task<DeliveryRow> DeliveryAsync(TopologyHub hub, string documentId)
    {
        var row = Assert.Single(await hub.QueryAsync(
            "SELECT d.id, d.state, d.attempts, d.last_error FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id WHERE p.document_id = $1 AND p.kind = 'document'",
            documentId));
        return new DeliveryRow((long)row[0]!, (string)row[1]!, (int)row[2]!, (string?)row[3]);
    }

    private static async Task<long> FailedAttemptsAsync(TopologyHub hub, string documentId) =>
        (long)(await hub.QueryAsync(
            "SELECT count(*) FROM lgsp.delivery_attempt a JOIN lgsp.delivery d ON d.id = a.delivery_id JOIN lgsp.package p ON p.id = d.package_id WHERE p.document_id = $1 AND a.outcome <> 'delivered'",
            documentId))[0][0]!;
}
