using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Routing;
using Lgsp.Exchange.Storage;
using Lgsp.Exchange.Tests.Fakes;

namespace Lgsp.Exchange.Tests.Delivery;

/// <summary>Where a replayed delivery goes: wherever the directory says now, not where it went when the
/// package was accepted.</summary>
public sealed class ReplayRouteTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:9/in");
    private static readonly HubLink Parent = new("national", HubRole.Parent, new Uri("http://127.0.0.1:9/vxp"), "province-a", [1], null, true);
    private static readonly HubLink Child = new("district-1", HubRole.Child, null, null, null, "district-1-system", true);

    private static Agency Active(string code, Uri? push = null, string? servedBy = null) =>
        new(code, code, null, AgencyTier.Department, true, null, push, default) { ServedBy = servedBy };

    private static DeliveryView Failed(string recipient, DeliveryMode mode, string? via = null, string? addressedTo = null) => new()
    {
        Id = 12, Recipient = recipient, AddressedTo = addressedTo, Mode = mode, Via = via, State = DeliveryState.Failed, Attempts = 1,
        DocumentId = "D1", From = "000.00.01.H56",
    };

    private static async Task<(ReplayRoute? Route, Route Resolved)> ReplayAsync(DeliveryView delivery, InMemoryDirectory directory, params string[] hops)
    {
        var resolved = await ReplayRoute.ResolveAsync(new Router(directory), delivery, hops);
        return (ReplayRoute.Of(resolved), resolved);
    }

    [Fact]
    public async Task APushThatFoundNoEndpointIsPulledOnceTheAgencyPulls()
    {
        var (route, _) = await ReplayAsync(Failed("A", DeliveryMode.Push), new InMemoryDirectory([Active("A")]));
        Assert.Equal(new ReplayRoute("A", DeliveryMode.Pull, null), route);
    }

    [Fact]
    public async Task APullIsPushedOnceTheAgencyHasAnEndpoint()
    {
        var (route, _) = await ReplayAsync(Failed("A", DeliveryMode.Pull), new InMemoryDirectory([Active("A", Endpoint)]));
        Assert.Equal(new ReplayRoute("A", DeliveryMode.Push, null), route);
    }

    [Fact]
    public async Task ARecipientRetiredSinceGoesToItsSuccessorFollowedFromTheCodeTheSenderWrote()
    {
        var directory = new InMemoryDirectory([
            new Agency("OLD", "OLD", null, AgencyTier.Department, false, "MID", null, default),
            new Agency("MID", "MID", null, AgencyTier.Department, false, "NEW", null, default),
            Active("NEW", Endpoint)]);

        var (route, resolved) = await ReplayAsync(Failed("MID", DeliveryMode.Pull, addressedTo: "OLD"), directory);

        Assert.Equal(new ReplayRoute("NEW", DeliveryMode.Push, null), route);
        Assert.Equal(["OLD", "MID"], resolved.Redirects);
    }

    [Fact]
    public async Task AForwardViaAHubDisabledSinceGoesWhereTheServingHubNowIs()
    {
        var disabledParent = Parent with { Active = false };
        var directory = new InMemoryDirectory([Active("A", servedBy: Child.Id)], [disabledParent, Child]);

        var (route, _) = await ReplayAsync(Failed("A", DeliveryMode.Push, via: Parent.Id), directory);

        Assert.Equal(new ReplayRoute("A", DeliveryMode.Pull, Child.Id), route);
    }

    [Fact]
    public async Task ARecipientWhoseServingHubIsDisabledHasNoRouteAndTheAnswerSaysWhy()
    {
        var directory = new InMemoryDirectory([Active("A", servedBy: Child.Id)], [Child with { Active = false }]);

        var (route, resolved) = await ReplayAsync(Failed("A", DeliveryMode.Pull, via: Child.Id), directory);

        Assert.Null(route);
        Assert.Equal("no route: A is served by hub district-1, which is disabled", resolved.Failure);
    }

    [Fact]
    public async Task TheLoopGuardStillHoldsOnReplay()
    {
        var (route, resolved) = await ReplayAsync(Failed("X", DeliveryMode.Push, via: Parent.Id), new InMemoryDirectory([], [Parent]), Parent.Id);

        Assert.Null(route);
        Assert.Equal(NoRouteReason.LoopDetected, resolved.Reason);
    }

    [Fact]
    public void AnItemSaysWhereAReroutedDeliveryGoesAndWhyOneWithoutARouteStaysFailed()
    {
        var before = Failed("A", DeliveryMode.Push);
        var rerouted = new ReplayItem(12, ReplayOutcome.Replayed, before, DeliveryState.Pending) { Route = new ReplayRoute("A", DeliveryMode.Pull, Child.Id) };
        var same = new ReplayItem(12, ReplayOutcome.Replayed, before, DeliveryState.Retrying) { Route = ReplayRoute.Of(before) };
        var stuck = new ReplayItem(12, ReplayOutcome.NoRoute, before) { NoRoute = "no route: A is retired without a successor" };

        Assert.True(rerouted.Rerouted);
        Assert.Equal("delivery 12 replayed; it is pending again, now pull by A via hub district-1", rerouted.Explanation);
        Assert.False(same.Rerouted);
        Assert.Equal("delivery 12 replayed; it is retrying again", same.Explanation);
        Assert.Equal("delivery 12 stays failed: no route: A is retired without a successor", stuck.Explanation);
    }
}
