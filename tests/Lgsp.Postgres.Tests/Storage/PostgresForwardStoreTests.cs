using System.Text;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;
using static Lgsp.Postgres.Tests.Storage.PostgresPackageStoreTests;

namespace Lgsp.Postgres.Tests.Storage;

/// <summary>The forwards a hub follows beyond its parent, and the outcomes it records of them: once,
/// however often and however concurrently the parent's report is read.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresForwardStoreTests(PostgresFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly string Sender = Document("D", "").From;
    private static readonly HubLink Parent = new("prov-a", HubRole.Parent, new Uri("http://127.0.0.1:9/vxp"), "hub-dist-a1", [1, 2, 3], null, true);

    [Fact]
    public async Task Only_forwards_delivered_to_the_hub_within_the_window_are_on_their_way()
    {
        var (data, store, forwards) = await OpenAsync();
        var followed = await ForwardAsync(data, store, "D1", "4711");
        await ForwardAsync(data, store, "D2", "4712", deliveredAt: Now.AddDays(-8));
        await store.SaveAsync(Document("D3", "local"), [new NewDelivery("A", "A", DeliveryMode.Pull)], Receipt);

        var onTheirWay = await forwards.OnTheirWayAsync(Parent.Id, Now.AddDays(-7), 100);

        Assert.Equal([new ForwardOnItsWay(followed, "4711", "Z", PackageKind.Document)], onTheirWay);
    }

    [Fact]
    public async Task A_far_failure_reported_again_and_again_even_concurrently_is_recorded_once()
    {
        var (data, store, forwards) = await OpenAsync();
        var id = await ForwardAsync(data, store, "D1", "4711");

        var recorded = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
            forwards.RecordFailedBeyondAsync(id, Parent.Id, "far:unknown-recipient", "failed at hub root: unknown-recipient: no route", Now))));

        Assert.Single(recorded, r => r);
        Assert.False(await forwards.RecordAcknowledgedBeyondAsync(id, Parent.Id, Now));
        var view = Assert.Single(await store.DeliveriesOfAsync("D1", [Sender]));
        Assert.Equal((DeliveryState.Failed, "far:unknown-recipient", "failed at hub root: unknown-recipient: no route"), (view.State, view.LastErrorCode, view.LastError));
        Assert.Equal(1L, await Scalar(data, "SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.failed' AND detail->>'reportedBy' = 'prov-a'"));
        Assert.Empty(await forwards.OnTheirWayAsync(Parent.Id, Now.AddDays(-7), 100));
    }

    [Fact]
    public async Task A_far_confirmation_acknowledges_the_forward_once_and_only_via_the_hub_that_reports_it()
    {
        var (data, store, forwards) = await OpenAsync();
        var id = await ForwardAsync(data, store, "D1", "4711");

        Assert.False(await forwards.RecordAcknowledgedBeyondAsync(id, "another-hub", Now));
        Assert.True(await forwards.RecordAcknowledgedBeyondAsync(id, Parent.Id, Now));
        Assert.False(await forwards.RecordAcknowledgedBeyondAsync(id, Parent.Id, Now));

        var view = Assert.Single(await store.DeliveriesOfAsync("D1", [Sender]));
        Assert.Equal((DeliveryState.Acknowledged, Now), (view.State, view.AcknowledgedAt));
        Assert.Equal(1L, await Scalar(data, "SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.acknowledged' AND detail->>'reportedBy' = 'prov-a'"));
    }

    // A document forwarded to the parent, which answered with peerDocId.
    private static async Task<long> ForwardAsync(NpgsqlDataSource data, PostgresPackageStore store, string documentId, string peerDocId, DateTimeOffset? deliveredAt = null)
    {
        var saved = await store.SaveAsync(Document(documentId, documentId), [new NewDelivery("Z", "Z", DeliveryMode.Push) { Via = Parent.Id }], Receipt);
        var id = saved.Deliveries.Single().Id;
        var deliveries = new PostgresDeliveryStore(data);
        var claim = await deliveries.ClaimPushAsync(id, Now.AddMinutes(1), TimeSpan.FromMinutes(2));
        var at = deliveredAt ?? Now;
        Assert.True(await deliveries.RecordPushAsync(new PushRecord(id, 1, at, at, DeliveryState.Delivered, null, false, null, PeerDocId: peerDocId,
            PeerReceipt: Encoding.UTF8.GetBytes("<Receipt/>")) { LeaseUntil = claim!.LeaseUntil }));
        return id;
    }

    private async Task<(NpgsqlDataSource, PostgresPackageStore, PostgresForwardStore)> OpenAsync()
    {
        var database = await StoreDatabase.OpenAsync(fixture, Parent);
        return (database.Data, database.Packages, database.Forwards);
    }
}
