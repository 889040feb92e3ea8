using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;
using static Lgsp.Postgres.Tests.Storage.PostgresPackageStoreTests;

namespace Lgsp.Postgres.Tests.Storage;

/// <summary>Outcomes reported up the tree (ADR 0020): the child notes which of its parent's deliveries each
/// pulled delivery stands for and offers only final, unreported ones; the parent records a report once,
/// and only on a delivery it handed down to the reporting hub.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresFarReportStoreTests(PostgresFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private static readonly HubLink Child = new("prov-b", HubRole.Child, null, null, null, null, true);
    private const string ChildSystem = "hub-prov-b";
    private static readonly HubLink Parent = new("root", HubRole.Parent, new Uri("http://127.0.0.1:9/vxp"), "hub-prov-b", [1, 2, 3], null, true);

    [Fact]
    public async Task The_child_offers_a_pulled_delivery_once_final_and_no_more_once_marked_reported()
    {
        var (data, store, reports) = await OpenAsync();
        var saved = await store.SaveAsync(Document("D1", "D1"), [new NewDelivery("A", "A", DeliveryMode.Pull), new NewDelivery("B", "B", DeliveryMode.Pull)], Receipt);
        var (toA, toB) = (saved.Deliveries[0].Id, saved.Deliveries[1].Id);
        Assert.True(await reports.MarkPulledAsync(saved.Acceptance!.PackageId, "A", Parent.Id, "4711"));
        Assert.True(await reports.MarkPulledAsync(saved.Acceptance.PackageId, "B", Parent.Id, "4712"));
        // A duplicate pull notes nothing more.
        Assert.False(await reports.MarkPulledAsync(saved.Acceptance.PackageId, "A", Parent.Id, "4711"));

        // Waiting for its recipient: nothing to report yet.
        Assert.Empty(await reports.ToReportAsync(Parent.Id, 100));

        await store.ConfirmAsync(toA, true, null, "qlvb-a", Now);
        await store.ConfirmAsync(toB, false, "Không đúng thẩm quyền", "qlvb-b", Now);
        Assert.Equal(
            [new OutcomeToReport(toA, "4711", DeliveryState.Acknowledged, null, null),
             new OutcomeToReport(toB, "4712", DeliveryState.Failed, "confirm-fail", "Không đúng thẩm quyền")],
            await reports.ToReportAsync(Parent.Id, 100));
        Assert.Empty(await reports.ToReportAsync("another-parent", 100));

        await reports.MarkReportedAsync([toA, toB], Now);
        Assert.Empty(await reports.ToReportAsync(Parent.Id, 100));
    }

    [Fact]
    public async Task A_pulled_delivery_replayed_after_its_failure_was_reported_is_reported_again_once_final()
    {
        var (data, store, reports) = await OpenAsync();
        var saved = await store.SaveAsync(Document("D1", "D1"), [new NewDelivery("A", "A", DeliveryMode.Pull)], Receipt);
        var id = saved.Deliveries[0].Id;
        await reports.MarkPulledAsync(saved.Acceptance!.PackageId, "A", Parent.Id, "4711");
        await store.ConfirmAsync(id, false, "Không đúng thẩm quyền", "qlvb-a", Now);
        await reports.MarkReportedAsync([id], Now);

        await new PostgresDeliveryStore(data).ReplayAsync(id, new ReplayRoute("A", DeliveryMode.Pull, null), new ReplayNote("operator:lan", "the recipient agreed", null), Now);
        Assert.Empty(await reports.ToReportAsync(Parent.Id, 100));
        await store.ConfirmAsync(id, true, null, "qlvb-a", Now.AddMinutes(1));

        Assert.Equal([new OutcomeToReport(id, "4711", DeliveryState.Acknowledged, "confirm-fail", "Không đúng thẩm quyền")], await reports.ToReportAsync(Parent.Id, 100));
    }

    [Fact]
    public async Task A_hand_off_further_down_is_final_for_the_child_only_once_its_own_child_reported_it_confirmed()
    {
        var (data, store, reports) = await OpenAsync();
        var saved = await store.SaveAsync(Document("D1", "D1"), [new NewDelivery("A", "A", DeliveryMode.Pull) { Via = Child.Id }], Receipt);
        var handedDown = saved.Deliveries[0].Id;
        await reports.MarkPulledAsync(saved.Acceptance!.PackageId, "A", Parent.Id, "4711");

        // Taken by the hub below: acknowledged, not yet the recipient's confirmation.
        await store.ConfirmAsync(handedDown, true, null, ChildSystem, Now);
        Assert.Empty(await reports.ToReportAsync(Parent.Id, 100));

        Assert.True(await reports.RecordConfirmedBelowAsync(handedDown, Child.Id, Now));
        Assert.Equal([new OutcomeToReport(handedDown, "4711", DeliveryState.Acknowledged, null, null)], await reports.ToReportAsync(Parent.Id, 100));
    }

    [Fact]
    public async Task The_parents_view_of_a_hand_off_tells_taken_by_the_child_hub_from_confirmed_below_and_when()
    {
        var (data, store, reports) = await OpenAsync();
        var saved = await store.SaveAsync(Document("D1", "D1"), [new NewDelivery("A", "A", DeliveryMode.Pull) { Via = Child.Id }], Receipt);
        var id = saved.Deliveries[0].Id;
        var sender = Document("D", "").From;
        await store.ConfirmAsync(id, true, null, ChildSystem, Now);

        var taken = Assert.Single(await store.DeliveriesOfAsync("D1", [sender]));
        Assert.Equal((DeliveryState.Acknowledged, (DateTimeOffset?)null, true, false), (taken.State, taken.FarConfirmedAt, taken.TakenByHubOnly, taken.ConfirmedBelow));

        Assert.True(await reports.RecordConfirmedBelowAsync(id, Child.Id, Now.AddMinutes(5)));
        var confirmed = Assert.Single(await store.DeliveriesOfAsync("D1", [sender]));
        Assert.Equal((DeliveryState.Acknowledged, (DateTimeOffset?)Now.AddMinutes(5), false, true),
            (confirmed.State, confirmed.FarConfirmedAt, confirmed.TakenByHubOnly, confirmed.ConfirmedBelow));
        var listed = Assert.Single(await store.ListDeliveriesAsync(new DeliveryFilter { DeliveryId = id }, 10));
        Assert.Equal(Now.AddMinutes(5), listed.FarConfirmedAt);
        var file = await new PostgresDocumentStore(data).FindAsync("D1", null);
        Assert.Equal(Now.AddMinutes(5), Assert.Single(file!.Deliveries).View.FarConfirmedAt);
    }

    [Fact]
    public async Task The_parent_records_a_report_once_even_concurrently_and_only_from_the_hub_it_handed_the_delivery_to()
    {
        var (data, store, reports) = await OpenAsync();
        var saved = await store.SaveAsync(Document("D1", "D1"), [new NewDelivery("A", "A", DeliveryMode.Pull) { Via = Child.Id }], Receipt);
        var id = saved.Deliveries[0].Id;
        await store.ConfirmAsync(id, true, null, ChildSystem, Now);

        Assert.False(await reports.RecordFailedBelowAsync(id, "prov-a", "far:confirm-fail", "failed at hub prov-a: forged", Now));
        var recorded = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
            reports.RecordFailedBelowAsync(id, Child.Id, "far:confirm-fail", "failed at hub prov-b: Không đúng thẩm quyền", Now))));
        Assert.Single(recorded, r => r);
        Assert.False(await reports.RecordConfirmedBelowAsync(id, Child.Id, Now));

        var view = Assert.Single(await store.DeliveriesOfAsync("D1", [Document("D", "").From]));
        Assert.Equal((DeliveryState.Failed, "far:confirm-fail", "failed at hub prov-b: Không đúng thẩm quyền"), (view.State, view.LastErrorCode, view.LastError));
        Assert.Equal(1L, await Scalar(data, "SELECT count(*) FROM lgsp.ledger WHERE kind = 'delivery.failed' AND detail->>'reportedBy' = 'prov-b'"));
        Assert.Equal(0L, await Scalar(data, "SELECT count(*) FROM lgsp.ledger WHERE detail->>'reportedBy' = 'prov-a'"));
    }

    private async Task<(NpgsqlDataSource, PostgresPackageStore, PostgresFarReportStore)> OpenAsync()
    {
        var database = await StoreDatabase.OpenAsync(fixture, Parent, Child);
        return (database.Data, database.Packages, database.FarReports);
    }
}
