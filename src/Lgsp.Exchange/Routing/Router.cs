using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Routing;

/// <summary>What a route leads to.</summary>
public enum RouteKind
{
    /// <summary>This hub delivers to the agency's system: its pending list (pull) or its endpoint (push).</summary>
    Local,

    /// <summary>Another hub takes the package: a child (which pulls it from this hub) or the parent
    /// (to which this hub forwards it).</summary>
    ViaHub,

    /// <summary>No hub can take it; the delivery fails at once and the sender sees why.</summary>
    Unroutable,
}

/// <summary>Why a code has no route. Each has a stable code word (<see cref="Route.FailureCode"/>).</summary>
public enum NoRouteReason
{
    /// <summary>The code is not in the directory and this hub is the root (no active parent), or it is
    /// retired without an active successor, or its serving hub is disabled or unknown.</summary>
    UnknownRecipient,

    /// <summary>The route leads to a hub the package already passed through.</summary>
    LoopDetected,
}

/// <summary>Where a recipient code leads.</summary>
/// <remarks>Exactly one shape per <see cref="Kind"/>: <see cref="RouteKind.Local"/> has
/// <see cref="Agency"/>; <see cref="RouteKind.ViaHub"/> has <see cref="Via"/> (and <see cref="Agency"/>
/// when the directory knows the code); <see cref="RouteKind.Unroutable"/> has <see cref="Reason"/> and
/// <see cref="Failure"/>.</remarks>
public sealed record Route
{
    /// <summary>The code as written.</summary>
    public required string AddressedTo { get; init; }

    /// <summary>The code the delivery is for: the active agency after successor links, or the code as
    /// far as the directory could follow it.</summary>
    public required string Recipient { get; init; }

    /// <summary>Retired codes followed to reach <see cref="Recipient"/>, in order (empty when the code
    /// itself is the recipient).</summary>
    public IReadOnlyList<string> Redirects { get; init; } = [];

    /// <summary>What the route leads to.</summary>
    public required RouteKind Kind { get; init; }

    /// <summary>The active agency in this hub's directory, when it has one.</summary>
    public Agency? Agency { get; init; }

    /// <summary>The hub that takes the package, for <see cref="RouteKind.ViaHub"/>.</summary>
    public HubLink? Via { get; init; }

    /// <summary>Why there is no route, for <see cref="RouteKind.Unroutable"/>.</summary>
    public NoRouteReason? Reason { get; init; }

    /// <summary>For <see cref="RouteKind.Unroutable"/>: what the sender is told, in English, starting
    /// with <c>no route: </c>.</summary>
    public string? Failure { get; init; }

    /// <summary>The stable code word of <see cref="Reason"/>: <c>unknown-recipient</c> or
    /// <c>loop-detected</c>; null when routed.</summary>
    public string? FailureCode => Reason switch
    {
        NoRouteReason.UnknownRecipient => "unknown-recipient",
        NoRouteReason.LoopDetected => "loop-detected",
        _ => null,
    };

    /// <summary>True when this hub delivers to the agency's own system.</summary>
    public bool IsLocal => Kind == RouteKind.Local;

    /// <summary>How the delivery runs: locally, push when the agency registered an endpoint, otherwise
    /// pull; via a child hub, pull (the child polls this hub); via the parent, push (this hub forwards).
    /// Unroutable deliveries are created failed and never run; they are recorded as pull.</summary>
    public DeliveryMode Mode => Kind switch
    {
        RouteKind.Local when Agency?.PushEndpoint is not null => DeliveryMode.Push,
        RouteKind.ViaHub when Via?.Role == HubRole.Parent => DeliveryMode.Push,
        _ => DeliveryMode.Pull,
    };
}

/// <summary>Resolves recipient codes through the directory of agencies and hubs: successor links first
/// (retired and merged agencies); then an agency this hub serves is local; one a child hub serves goes
/// to that child; one the parent serves, or a code the directory does not know, goes to the parent;
/// with no parent (this hub is the root) an unknown code has no route. A route never leads to a hub
/// the package already passed through.</summary>
/// <remarks>Reads only <see cref="IDirectoryStore"/>: the codes of one call in one query
/// (<see cref="IDirectoryStore.FindAgenciesAsync"/>), the hubs in one more when a route needs them. Thread safe.</remarks>
public sealed class Router(IDirectoryStore directory)
{
    /// <summary>Successor chains longer than this are treated as broken.</summary>
    public const int MaxRedirects = 16;

    /// <summary>Resolves one code for a package sent here directly (no hops).</summary>
    public Task<Route> ResolveAsync(string code, CancellationToken ct = default) => ResolveAsync(code, [], ct);

    /// <summary>Resolves one code for a package that already passed through <paramref name="hops"/>.</summary>
    /// <param name="code">The recipient code as written.</param>
    /// <param name="hops">Ids of the hubs the package passed through; a route to one of them is
    /// <see cref="NoRouteReason.LoopDetected"/>.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<Route> ResolveAsync(string code, IReadOnlyCollection<string> hops, CancellationToken ct = default) =>
        (await ResolveAllAsync([code], hops, ct))[0];

    /// <summary>Resolves a package's recipient codes at once: the directory is read in one query for all
    /// of them (their successors included), the hubs in at most one more, whatever their number.</summary>
    /// <param name="codes">The recipient codes as written.</param>
    /// <param name="hops">Ids of the hubs the package passed through; a route to one of them is
    /// <see cref="NoRouteReason.LoopDetected"/>.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>One route per code, in the order of <paramref name="codes"/>.</returns>
    public async Task<IReadOnlyList<Route>> ResolveAllAsync(IReadOnlyList<string> codes, IReadOnlyCollection<string> hops, CancellationToken ct = default)
    {
        var view = new DirectoryView(await directory.FindAgenciesAsync(codes, ct), directory);
        var routes = new List<Route>(codes.Count);
        foreach (var code in codes)
        {
            var route = await FollowAsync(code, view, ct);
            routes.Add(route.Kind == RouteKind.ViaHub && hops.Contains(route.Via!.Id, StringComparer.Ordinal)
                ? route with
                {
                    Kind = RouteKind.Unroutable,
                    Via = null,
                    Reason = NoRouteReason.LoopDetected,
                    Failure = $"no route: {route.Recipient} is reached through hub {route.Via.Id}, which the package already passed through",
                }
                : route);
        }

        return routes;
    }

    /// <summary>True when <paramref name="successor"/> is on the successor chain of the retired code
    /// <paramref name="code"/> in this hub's directory (<c>lgsp agencies retire CODE --successor</c>), at
    /// most <see cref="MaxRedirects"/> links away.</summary>
    public async Task<bool> SuccessorOfAsync(string code, string successor, CancellationToken ct = default)
    {
        var current = code;
        for (var hop = 0; hop < MaxRedirects; hop++)
        {
            if (await directory.FindAgencyAsync(current, ct) is not { Active: false, SuccessorCode: { } next } || next == code)
            {
                return false;
            }

            if (next == successor)
            {
                return true;
            }

            current = next;
        }

        return false;
    }

    private static async Task<Route> FollowAsync(string code, DirectoryView view, CancellationToken ct)
    {
        var redirects = new List<string>();
        var current = code;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            var agency = view.Agency(current);
            if (agency is null)
            {
                // Unknown here: beyond this hub's part of the tree, so up to the parent if there is one.
                var parent = (await view.HubsAsync(ct)).FirstOrDefault(h => h is { Role: HubRole.Parent, Active: true });
                return parent is null
                    ? NoRoute(code, current, redirects, $"no route: {current} is not in the directory and this hub has no parent hub")
                    : new Route { AddressedTo = code, Recipient = current, Redirects = redirects, Kind = RouteKind.ViaHub, Via = parent };
            }

            if (agency.Active)
            {
                return await ServeAsync(code, agency, redirects, view, ct);
            }

            if (agency.SuccessorCode is null)
            {
                return NoRoute(code, current, redirects, $"no route: {current} is retired without a successor");
            }

            if (redirects.Contains(agency.SuccessorCode) || agency.SuccessorCode == code)
            {
                return NoRoute(code, current, redirects, $"no route: the successors of {code} lead back to {agency.SuccessorCode}");
            }

            redirects.Add(current);
            current = agency.SuccessorCode;
        }

        return NoRoute(code, current, redirects, $"no route: the successors of {code} go on for more than {MaxRedirects} codes");
    }

    private static async Task<Route> ServeAsync(string code, Agency agency, List<string> redirects, DirectoryView view, CancellationToken ct)
    {
        var local = new Route { AddressedTo = code, Recipient = agency.Code, Redirects = redirects, Kind = RouteKind.Local, Agency = agency };
        if (agency.ServedBy is not { } hubId)
        {
            return local;
        }

        var hub = (await view.HubsAsync(ct)).FirstOrDefault(h => h.Id == hubId);
        return hub is { Active: true }
            ? local with { Kind = RouteKind.ViaHub, Via = hub }
            : NoRoute(code, agency.Code, redirects, $"no route: {agency.Code} is served by hub {hubId}, which is {(hub is null ? "unknown" : "disabled")}");
    }

    // What one routing call read: the agencies (with their successors), and the hubs, read on first need.
    private sealed class DirectoryView(IReadOnlyDictionary<string, Agency> agencies, IDirectoryStore directory)
    {
        private IReadOnlyList<HubLink>? _hubs;

        public Agency? Agency(string code) => agencies.GetValueOrDefault(code);

        public async Task<IReadOnlyList<HubLink>> HubsAsync(CancellationToken ct) => _hubs ??= await directory.ListHubsAsync(ct);
    }

    private static Route NoRoute(string code, string recipient, List<string> redirects, string failure) => new()
    {
        AddressedTo = code,
        Recipient = recipient,
        Redirects = redirects,
        Kind = RouteKind.Unroutable,
        Reason = NoRouteReason.UnknownRecipient,
        Failure = failure,
    };
}
