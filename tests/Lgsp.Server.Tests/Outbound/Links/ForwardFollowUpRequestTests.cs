using Lgsp.Edxml.Spooling;
using System.Security.Cryptography;
using System.Text;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Outbound.Links;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Outbound.Links;

/// <summary>What the follow-up asks a parent on loopback: nothing while no forward waits, then one sent
/// list per cycle from the lowest id the parent gave a waiting forward, never a call per delivery.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ForwardFollowUpRequestTests(PostgresFixture postgres)
{
    private const string ChildSecret = "child-at-root-secret";

    [Fact]
    public async Task The_follow_up_asks_nothing_while_no_forward_waits_then_one_list_per_cycle_from_the_lowest_peer_id()
    {
        await using var parent = await ScriptedAxisParent.StartAsync(ChildSecret, "P-1", "000.00.61.H56", [], takeReports: true);
        // The background poller ticks once at start (no parent yet), then not within the test.
        await using var child = await RunningHub.StartAsync(postgres, new Dictionary<string, string?> { ["Hub:Parent:PollInterval"] = "01:00:00" });
        var link = new HubLink("root", HubRole.Parent, parent.BaseUrl, "h56-at-root", child.Services.GetRequiredService<SecretBox>().Seal(ChildSecret), null, true);
        await child.Services.GetRequiredService<IDirectoryStore>().SaveHubAsync(link, "test");
        var followUp = child.Services.GetRequiredService<ForwardFollowUp>();

        await followUp.FollowAsync(link, CancellationToken.None);
        Assert.Empty(parent.CallsOf("getSentEdocList"));

        await ForwardAsync(child, "D-1", "000.00.07.H57", "4712");
        await ForwardAsync(child, "D-2", "000.00.08.H58", "4711");
        await followUp.FollowAsync(link, CancellationToken.None);
        await followUp.FollowAsync(link, CancellationToken.None);

        var calls = parent.CallsOf("getSentEdocList");
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal(("edoc", "4711"), (c.Parameters["messagetype"], c.Parameters[AxisClient.FromParameter])));
        Assert.All(calls, c => Assert.False(c.Parameters.ContainsKey("docId")));
    }

    // A document from this hub's agency forwarded to the parent, which gave it peerDocId.
    private static async Task ForwardAsync(RunningHub child, string documentId, string to, string peerDocId)
    {
        var body = Encoding.UTF8.GetBytes("<edXML>" + documentId + "</edXML>");
        var now = DateTimeOffset.UtcNow;
        var saved = await child.Services.GetRequiredService<IPackageStore>().SaveAsync(new NewPackage
        {
            Kind = PackageKind.Document,
            SenderSystem = "test",
            From = "000.00.01.H56",
            DocumentId = documentId,
            Sha256 = SHA256.HashData(body),
            Body = PackageSpool.FromBytes(body),
            ReceivedAt = now,
            BusinessType = BusinessDocType.New,
            Legacy = true,
            Signature = "unsigned",
        }, [new NewDelivery(to, to, DeliveryMode.Push) { Via = "root" }], _ => [1]);
        var id = saved.Deliveries.Single().Id;
        // Recorded as the push transport records a forward the parent took.
        var deliveries = child.Services.GetRequiredService<IDeliveryStore>();
        var claim = await deliveries.ClaimPushAsync(id, now.AddMinutes(1), TimeSpan.FromMinutes(2));
        Assert.True(await deliveries.RecordPushAsync(new PushRecord(id, 1, now, now, DeliveryState.Delivered, null, false, null, PeerDocId: peerDocId)
            { LeaseUntil = claim!.LeaseUntil }));
    }
}
