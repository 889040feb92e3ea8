using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Routing;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Tests.Routing;

public sealed class RouterTests
{
    private static readonly HubLink Parent = new("national", HubRole.Parent, new Uri("http://127.0.0.1:9/vxp"), "province-a", [1], null, true);
    private static readonly HubLink Child = new("district-1", HubRole.Child, null, null, null, "district-1-system", true);

    private static Agency Active(string code, Uri? push = null, string? servedBy = null) =>
        new(code, code, null, AgencyTier.Department, true, null, push, default) { ServedBy = servedBy };

    private static Agency Retired(string code, string? successor) => new(code, code, null, AgencyTier.Department, false, successor, null, default);

    [Fact]
    public async Task AnActiveAgencyThisHubServesIsLocalAndPulledWhenItHasNoEndpoint()
    {
        var route = await new Router(new RoutingDirectory([Active("000.00.02.H56")], [Parent])).ResolveAsync("000.00.02.H56");
        Assert.Equal(RouteKind.Local, route.Kind);
        Assert.True(route.IsLocal);
        Assert.Equal(DeliveryMode.Pull, route.Mode);
        Assert.Equal("000.00.02.H56", route.Recipient);
        Assert.Null(route.Via);
        Assert.Empty(route.Redirects);
    }

    [Fact]
    public async Task ALocalAgencyWithAnEndpointIsPushed()
    {
        var route = await new Router(new RoutingDirectory([Active("000.00.02.H56", new Uri("http://127.0.0.1:9/in"))], [])).ResolveAsync("000.00.02.H56");
        Assert.Equal(RouteKind.Local, route.Kind);
        Assert.Equal(DeliveryMode.Push, route.Mode);
    }

    [Fact]
    public async Task ARetiredCodeIsFollowedThroughEverySuccessor()
    {
        var router = new Router(new RoutingDirectory([Retired("A", "B"), Retired("B", "C"), Active("C")], []));
        var route = await router.ResolveAsync("A");
        Assert.Equal("C", route.Recipient);
        Assert.Equal("C", route.Agency?.Code);
        Assert.Equal(["A", "B"], route.Redirects);
        Assert.Equal("A", route.AddressedTo);
    }

    [Fact]
    public async Task AnAgencyAnActiveChildHubServesGoesViaThatChildAsAPull()
    {
        var route = await new Router(new RoutingDirectory([Active("C1", servedBy: Child.Id)], [Parent, Child])).ResolveAsync("C1");
        Assert.Equal(RouteKind.ViaHub, route.Kind);
        Assert.Equal(Child, route.Via);
        Assert.Equal(DeliveryMode.Pull, route.Mode);
        Assert.Equal("C1", route.Recipient);
    }

    [Fact]
    public async Task ARetiredCodeFollowsItsSuccessorFirstAndThenTheChildThatServesTheSuccessor()
    {
        // The retired code itself names no hub: only where its successor is served counts.
        var router = new Router(new RoutingDirectory([Retired("OLD", "NEW") with { ServedBy = null }, Active("NEW", servedBy: Child.Id)], [Parent, Child]));
        var route = await router.ResolveAsync("OLD");
        Assert.Equal(RouteKind.ViaHub, route.Kind);
        Assert.Equal(Child.Id, route.Via?.Id);
        Assert.Equal("NEW", route.Recipient);
        Assert.Equal(["OLD"], route.Redirects);
    }

    [Fact]
    public async Task AnAgencyTheParentServesIsPushedViaTheParent()
    {
        var route = await new Router(new RoutingDirectory([Active("B1", servedBy: Parent.Id)], [Parent, Child])).ResolveAsync("B1");
        Assert.Equal(RouteKind.ViaHub, route.Kind);
        Assert.Equal(Parent, route.Via);
        Assert.Equal(DeliveryMode.Push, route.Mode);
        Assert.Equal("B1", route.Agency?.Code);
    }

    [Fact]
    public async Task ACodeNotInTheDirectoryGoesToTheParentWhenThereIsOne()
    {
        var route = await new Router(new RoutingDirectory([Active("B")], [Child, Parent])).ResolveAsync("000.00.99.H56");
        Assert.Equal(RouteKind.ViaHub, route.Kind);
        Assert.Equal(Parent, route.Via);
        Assert.Equal(DeliveryMode.Push, route.Mode);
        Assert.Equal("000.00.99.H56", route.Recipient);
        Assert.Null(route.Agency);
    }

    [Fact]
    public async Task ACodeNotInTheDirectoryHasNoRouteAtTheRoot()
    {
        var route = await new Router(new RoutingDirectory([Active("B")], [Child])).ResolveAsync("000.00.99.H56");
        Assert.Equal(RouteKind.Unroutable, route.Kind);
        Assert.Equal(NoRouteReason.UnknownRecipient, route.Reason);
        Assert.Equal("unknown-recipient", route.FailureCode);
        Assert.Equal("no route: 000.00.99.H56 is not in the directory and this hub has no parent hub", route.Failure);
        Assert.Equal("000.00.99.H56", route.Recipient);
    }

    [Fact]
    public async Task ADisabledParentCountsAsNoParent()
    {
        var route = await new Router(new RoutingDirectory([], [Parent with { Active = false }])).ResolveAsync("X");
        Assert.Equal(NoRouteReason.UnknownRecipient, route.Reason);
    }

    [Fact]
    public async Task ARetiredCodeWithoutASuccessorHasNoRouteEvenWithAParent()
    {
        var route = await new Router(new RoutingDirectory([Retired("A", null)], [Parent])).ResolveAsync("A");
        Assert.Equal(RouteKind.Unroutable, route.Kind);
        Assert.Equal(NoRouteReason.UnknownRecipient, route.Reason);
        Assert.Equal("no route: A is retired without a successor", route.Failure);
    }

    [Fact]
    public async Task ASuccessorLoopHasNoRouteInsteadOfSpinning()
    {
        var route = await new Router(new RoutingDirectory([Retired("A", "B"), Retired("B", "A")], [Parent])).ResolveAsync("A");
        Assert.Equal(RouteKind.Unroutable, route.Kind);
        Assert.Equal(NoRouteReason.UnknownRecipient, route.Reason);
    }

    [Fact]
    public async Task AnAgencyServedByADisabledChildHubHasNoRoute()
    {
        var route = await new Router(new RoutingDirectory([Active("C1", servedBy: Child.Id)], [Parent, Child with { Active = false }])).ResolveAsync("C1");
        Assert.Equal(RouteKind.Unroutable, route.Kind);
        Assert.Equal("no route: C1 is served by hub district-1, which is disabled", route.Failure);
        Assert.Null(route.Via);
    }

    [Fact]
    public async Task ARouteToTheParentThePackageCameThroughIsALoop()
    {
        var route = await new Router(new RoutingDirectory([], [Parent])).ResolveAsync("X", ["district-9", Parent.Id]);
        Assert.Equal(RouteKind.Unroutable, route.Kind);
        Assert.Equal(NoRouteReason.LoopDetected, route.Reason);
        Assert.Equal("loop-detected", route.FailureCode);
        Assert.Equal("no route: X is reached through hub national, which the package already passed through", route.Failure);
        Assert.Null(route.Via);
    }

    [Fact]
    public async Task ARouteToAChildThePackageCameThroughIsALoop()
    {
        var route = await new Router(new RoutingDirectory([Active("C1", servedBy: Child.Id)], [Parent, Child])).ResolveAsync("C1", [Child.Id]);
        Assert.Equal(NoRouteReason.LoopDetected, route.Reason);
    }

    [Fact]
    public async Task HopsThroughOtherHubsLeaveTheRouteAsItIs()
    {
        var router = new Router(new RoutingDirectory([Active("C1", servedBy: Child.Id), Active("L")], [Parent, Child]));
        Assert.Equal(Child, (await router.ResolveAsync("C1", ["national", "province-b"])).Via);
        Assert.Equal(Parent, (await router.ResolveAsync("X", ["district-1", "province-b"])).Via);
        Assert.Equal(RouteKind.Local, (await router.ResolveAsync("L", ["national", "district-1"])).Kind);
    }
}
