using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Reports.Facts;
using Lgsp.Exchange.Routing;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Accept;

// Which recipients the package goes to and by which route, and the scope the report facts record.
public sealed partial class AcceptService
{
    // The recipients the front door asks for must be among those the package addresses: a transport
    // header may narrow the routing, never widen it. A code asked for may also be where an addressed code
    // leads in this hub's directory (a retired code's successor): the parent routed the package there and
    // lists it under the successor (ADR 0017); the delivery keeps the code the sender wrote.
    private async Task<IEnumerable<(string Code, string Field)>> AskedAsync(List<(string Code, string Field)> addressed, IReadOnlyList<string>? asked,
        IReadOnlyList<string> hops, CancellationToken ct)
    {
        if (asked is null)
        {
            return addressed;
        }

        var chosen = new List<(string Code, string Field)>();
        foreach (var code in asked)
        {
            if (addressed.FirstOrDefault(a => a.Code == code) is { Code: not null } named)
            {
                chosen.Add(named);
                continue;
            }

            var led = false;
            foreach (var candidate in addressed)
            {
                if (await router.SuccessorOfAsync(candidate.Code, code, ct))
                {
                    chosen.Add(candidate);
                    led = true;
                    break;
                }
            }

            if (!led)
            {
                throw ExchangeException.Of(HubErrorCode.InvalidRequest, "to", $"'{code}' is not among the recipients the package addresses");
            }
        }

        return addressed.Where(chosen.Contains);
    }

    // A recipient without a route is not a refusal: the package is accepted and that delivery is created
    // failed with the reason, so the sender sees it per recipient (and the others still go).
    private async Task<(IReadOnlyList<NewDelivery> Deliveries, IReadOnlyList<RecipientFact> Facts)> RouteAsync(
        IEnumerable<(string Code, string Field)> recipients, IReadOnlyList<string> hops, CancellationToken ct)
    {
        var deliveries = new List<NewDelivery>();
        var facts = new List<RecipientFact>();
        foreach (var route in await router.ResolveAllAsync([.. recipients.Select(r => r.Code)], hops, ct))
        {
            var code = route.AddressedTo;

            // Two retired codes merged into one agency: it gets the package once.
            if (!deliveries.Any(d => d.Recipient == route.Recipient))
            {
                deliveries.Add(new NewDelivery(route.Recipient, code, route.Mode)
                {
                    Via = route.Via?.Id,
                    FailureCode = route.FailureCode,
                    Failure = route.Failure,
                });
                facts.Add(new RecipientFact(route.Recipient, route.Agency?.Tier, ScopeOf(route)));
            }
        }

        return (deliveries, facts);
    }

    // Internal: both ends served inside this hub's subtree (here or by a child hub); external: through the parent.
    private static ExchangeScope ScopeOf(Route route) => route.Kind switch
    {
        RouteKind.Unroutable => ExchangeScope.Unrouted,
        RouteKind.ViaHub when route.Via?.Role != HubRole.Child => ExchangeScope.External,
        _ => ExchangeScope.Internal,
    };

    // A client system of this hub sends for agencies served here; a child hub for its subtree; the
    // parent for agencies beyond this subtree.
    private async Task<ExchangeScope> ScopeOfCallerAsync(ClientSystem caller, CancellationToken ct) =>
        caller.Hub is not { } hub || (await directory.FindHubAsync(hub, ct))?.Role == HubRole.Child
            ? ExchangeScope.Internal
            : ExchangeScope.External;
}
