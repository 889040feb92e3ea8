using System.Globalization;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Routing;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Directory;

/// <summary>
/// Which agencies a caller may act for. An ordinary client system acts for the agencies it is
/// registered for (<see cref="ClientSystem.Agencies"/>). The inbound system of another hub
/// (<see cref="ClientSystem.Hub"/>) acts for the agencies routed through that hub: it sends as the
/// agencies this hub routes to it (a child: those it serves; the parent: codes beyond this hub), and
/// fetches and confirms the pull deliveries that go via it.
/// </summary>
/// <remarks>Reads the routes (<see cref="Router"/>) and the deliveries (<see cref="IPackageStore"/>).
/// Refusals are <see cref="ExchangeException"/>s naming the field the caller gave. Thread safe.</remarks>
public sealed class AgencyMandate(Router router, IPackageStore packages)
{
    /// <summary>True when <paramref name="caller"/> may send a package whose <c>From</c> is
    /// <paramref name="from"/> (null: the package names no sender, which nobody may send as).</summary>
    public async Task<bool> MaySendAsAsync(ClientSystem caller, string? from, CancellationToken ct = default)
    {
        if (caller.Hub is not { } hub)
        {
            return caller.ActsFor(from);
        }

        if (from is null)
        {
            return false;
        }

        var route = await router.ResolveAsync(from, ct);
        return route is { Kind: RouteKind.ViaHub, Via: { } via } && via.Id == hub;
    }

    /// <summary>Checks a sender the caller names beside the package (the axis protocol's <c>from</c>)
    /// before the package is read: an ordinary client system must act for it. A hub's claim is left to
    /// the accept path, which checks the package's own <c>From</c> against the routes
    /// (<see cref="MaySendAsAsync"/>); so is an empty one.</summary>
    /// <exception cref="ExchangeException"><see cref="HubErrorCode.Forbidden"/> naming
    /// <paramref name="field"/>.</exception>
    public static void CheckClaimedSender(ClientSystem caller, string? from, string field)
    {
        if (!string.IsNullOrEmpty(from) && caller.Hub is null)
        {
            CheckActsFor(caller, from, field);
        }
    }

    /// <summary>Checks a recipient agency the caller names to narrow its pending list: an ordinary client
    /// system must act for it; none named (null) means all of its agencies. A hub caller's list is what
    /// waits via its hub, whichever agency it names, so its choice is not checked here.</summary>
    /// <exception cref="ExchangeException"><see cref="HubErrorCode.Forbidden"/> naming
    /// <paramref name="field"/>.</exception>
    public static void CheckNamedRecipient(ClientSystem caller, string? agency, string field)
    {
        if (agency is not null && caller.Hub is null)
        {
            CheckActsFor(caller, agency, field);
        }
    }

    /// <summary>The delivery <paramref name="deliveryId"/> names (a decimal id as the caller wrote it), when
    /// <paramref name="caller"/> is the one that fetches and confirms it (<see cref="DeliveryRecord.IsFor"/>).</summary>
    /// <exception cref="ExchangeException"><see cref="HubErrorCode.InvalidRequest"/> when the id is empty;
    /// <see cref="HubErrorCode.NotFound"/> when it names no delivery (an id that cannot be ours included);
    /// <see cref="HubErrorCode.Forbidden"/> when the delivery is another's. Each names
    /// <paramref name="field"/>.</exception>
    public async Task<DeliveryRecord> OwnDeliveryAsync(ClientSystem caller, string? deliveryId, string field, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(deliveryId))
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, field, $"{field} is required");
        }

        var delivery = long.TryParse(deliveryId.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await packages.FindDeliveryAsync(id, ct)
            : null;
        return Own(caller, delivery, field, deliveryId);
    }

    /// <summary>The delivery <paramref name="deliveryId"/>, when <paramref name="caller"/> is the one that
    /// fetches and confirms it (<see cref="DeliveryRecord.IsFor"/>).</summary>
    /// <exception cref="ExchangeException"><see cref="HubErrorCode.NotFound"/> when it names no delivery;
    /// <see cref="HubErrorCode.Forbidden"/> when the delivery is another's. Each names
    /// <paramref name="field"/>.</exception>
    public async Task<DeliveryRecord> OwnDeliveryAsync(ClientSystem caller, long deliveryId, string field, CancellationToken ct = default) =>
        Own(caller, await packages.FindDeliveryAsync(deliveryId, ct), field, deliveryId);

    // The id is reported as the caller gave it: text from the axis protocol, a number from SOAP.
    private static DeliveryRecord Own(ClientSystem caller, DeliveryRecord? delivery, string field, object deliveryId)
    {
        if (delivery is null)
        {
            throw ExchangeException.Of(HubErrorCode.NotFound, field, field, deliveryId);
        }

        return delivery.IsFor(caller)
            ? delivery
            : throw ExchangeException.Of(HubErrorCode.Forbidden, field, caller.Id, delivery.Recipient);
    }

    private static void CheckActsFor(ClientSystem caller, string agency, string field)
    {
        if (!caller.ActsFor(agency))
        {
            throw ExchangeException.Of(HubErrorCode.Forbidden, field, caller.Id, agency);
        }
    }
}
