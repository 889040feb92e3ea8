using Lgsp.Exchange.Routing;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Delivery;

/// <summary>Where a delivery goes: its recipient, how it runs, and the hub that takes it, if another
/// hub does. A replay recomputes it through the current directory, so a delivery that failed because
/// the directory was wrong (a missing or stale push endpoint, a successor added later, a serving hub
/// changed or disabled) goes where the directory now says.</summary>
/// <param name="Recipient">The agency the delivery is for.</param>
/// <param name="Mode">Pull or push.</param>
/// <param name="Via">The hub that takes the package; null when this hub delivers to the agency.</param>
public sealed record ReplayRoute(string Recipient, DeliveryMode Mode, string? Via)
{
    /// <summary>The route the delivery has now.</summary>
    public static ReplayRoute Of(DeliveryView delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new ReplayRoute(delivery.Recipient, delivery.Mode, delivery.Via);
    }

    /// <summary>The route <paramref name="route"/> leads to; null when it has none.</summary>
    public static ReplayRoute? Of(Route route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return route.Kind == RouteKind.Unroutable ? null : new ReplayRoute(route.Recipient, route.Mode, route.Via?.Id);
    }

    /// <summary>Routes <paramref name="delivery"/> again through <paramref name="router"/>'s current
    /// directory, from the code the sender wrote, with the package's <paramref name="hops"/> (the loop
    /// guard still holds).</summary>
    public static Task<Route> ResolveAsync(Router router, DeliveryView delivery, IReadOnlyCollection<string> hops, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(delivery);

        // The sender's code, not the recipient it resolved to then: a successor may have been added since.
        return router.ResolveAsync(delivery.AddressedTo ?? delivery.Recipient, hops, ct);
    }

    /// <summary>For operators: <c>push to CODE</c>, <c>pull by CODE via hub ID</c>.</summary>
    public override string ToString() =>
        (Mode == DeliveryMode.Push ? "push to " : "pull by ") + Recipient + (Via is null ? "" : " via hub " + Via);
}
