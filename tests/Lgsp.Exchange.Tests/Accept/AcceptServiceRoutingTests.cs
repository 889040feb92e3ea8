using Lgsp.Exchange.Accept;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using static Lgsp.Exchange.Tests.Accept.AcceptHub;

namespace Lgsp.Exchange.Tests.Accept;

/// <summary>The deliveries an accepted package gets: one per recipient as the directory routes it,
/// created with the package; the push ones enqueued once stored; a recipient without a route a failed
/// delivery, never a refusal.</summary>
public sealed class AcceptServiceRoutingTests
{
    private const string Unknown = "000.00.99.H56";

    [Fact]
    public async Task Each_recipient_gets_one_delivery_as_the_directory_routes_it()
    {
        var hub = await StartAsync();

        var acceptance = await hub.SendAsync(FinanceSystem, SignedDocument(Finance, Construction, Commune, District));

        Assert.Equal(
            [
                (Construction, Construction, DeliveryMode.Pull, null, DeliveryState.Pending),
                (Commune, Commune, DeliveryMode.Push, null, DeliveryState.Pending),
                (District, District, DeliveryMode.Pull, ChildHub, DeliveryState.Pending),
            ],
            Deliveries(hub));
        Assert.All(hub.Store.Deliveries, d => Assert.Equal(acceptance.PackageId, d.PackageId));
    }

    [Fact]
    public async Task Only_the_push_deliveries_are_enqueued()
    {
        var hub = await StartAsync();

        await hub.SendAsync(FinanceSystem, SignedDocument(Finance, Construction, Commune, District));

        Assert.Equal([hub.Store.Deliveries.Single(d => d.Delivery.Recipient == Commune).Id], hub.Queue.Enqueued);
    }

    [Fact]
    public async Task A_retired_code_is_delivered_to_its_successor_and_the_code_the_sender_wrote_is_kept()
    {
        var hub = await StartAsync();

        await hub.SendAsync(FinanceSystem, SignedDocument(Finance, Retired));

        Assert.Equal([(Construction, Retired, DeliveryMode.Pull, null, DeliveryState.Pending)], Deliveries(hub));
    }

    [Fact]
    public async Task Two_codes_that_lead_to_the_same_agency_give_it_one_delivery()
    {
        var hub = await StartAsync();

        await hub.SendAsync(FinanceSystem, SignedDocument(Finance, Retired, Construction));

        Assert.Equal([(Construction, Retired, DeliveryMode.Pull, null, DeliveryState.Pending)], Deliveries(hub));
    }

    [Fact]
    public async Task A_recipient_without_a_route_does_not_refuse_the_package_its_delivery_is_created_failed_with_the_reason()
    {
        var hub = await StartAsync();

        await hub.SendAsync(FinanceSystem, SignedDocument(Finance, Construction, Unknown));

        Assert.Single(hub.Store.Packages);
        Assert.Empty(hub.Store.Refusals);
        Assert.Equal(
            [(Construction, Construction, DeliveryMode.Pull, null, DeliveryState.Pending), (Unknown, Unknown, DeliveryMode.Pull, null, DeliveryState.Failed)],
            Deliveries(hub));
        var failed = hub.Store.Deliveries[1].Delivery;
        Assert.Equal(("unknown-recipient", $"no route: {Unknown} is not in the directory and this hub has no parent hub"), (failed.FailureCode, failed.Failure));
    }

    [Fact]
    public async Task A_package_none_of_whose_recipients_has_a_route_is_still_accepted_and_nothing_is_enqueued()
    {
        var hub = await StartAsync();

        var acceptance = await hub.SendAsync(FinanceSystem, SignedDocument(Finance, Unknown));

        Assert.False(acceptance.Duplicate);
        Assert.Equal([(Unknown, Unknown, DeliveryMode.Pull, null, DeliveryState.Failed)], Deliveries(hub));
        Assert.Empty(hub.Queue.Enqueued);
    }

    [Fact]
    public async Task Below_a_parent_hub_an_unknown_code_is_pushed_to_the_parent_and_the_forward_is_enqueued()
    {
        var hub = await StartAsync();
        await hub.Directory.SaveHubAsync(new HubLink("national", HubRole.Parent, new Uri("http://127.0.0.1:9/vxp"), "province-h56", [1], null, true), "test");

        await hub.SendAsync(FinanceSystem, SignedDocument(Finance, Unknown));

        Assert.Equal([(Unknown, Unknown, DeliveryMode.Push, "national", DeliveryState.Pending)], Deliveries(hub));
        Assert.Equal([hub.Store.Deliveries[0].Id], hub.Queue.Enqueued);
    }

    [Fact]
    public async Task Asked_for_the_successor_of_a_retired_code_the_package_addresses_the_hub_routes_that_code()
    {
        var hub = await StartAsync();

        await hub.SendAsync(FinanceSystem, SignedDocument(Finance, Retired, Commune), arrival: new Arrival(Recipients: [Construction]));

        Assert.Equal([(Construction, Retired, DeliveryMode.Pull, null, DeliveryState.Pending)], Deliveries(hub));
    }

    [Fact]
    public async Task Several_recipients_behind_the_parent_get_one_forward_enqueued_for_the_group()
    {
        var hub = await StartAsync();
        await hub.Directory.SaveHubAsync(new HubLink("national", HubRole.Parent, new Uri("http://127.0.0.1:9/vxp"), "province-h56", [1], null, true), "test");

        await hub.SendAsync(FinanceSystem, SignedDocument(Finance, Unknown, "000.00.98.H56", "000.00.97.H56"));

        Assert.Equal(3, hub.Store.Deliveries.Count(d => d.Delivery.Via == "national"));
        Assert.Equal([hub.Store.Deliveries[0].Id], hub.Queue.Enqueued);
    }

    [Fact]
    public async Task The_front_door_may_narrow_the_recipients_to_some_of_those_the_package_addresses()
    {
        var hub = await StartAsync();

        await hub.SendAsync(FinanceSystem, SignedDocument(Finance, Construction, Commune), arrival: new(Recipients: [Commune]));

        Assert.Equal([(Commune, Commune, DeliveryMode.Push, null, DeliveryState.Pending)], Deliveries(hub));
    }

    private static List<(string Recipient, string AddressedTo, DeliveryMode Mode, string? Via, DeliveryState State)> Deliveries(AcceptHub hub) =>
        [.. hub.Store.Deliveries.Select(d => (d.Delivery.Recipient, d.Delivery.AddressedTo, d.Delivery.Mode, d.Delivery.Via, d.State))];
}
