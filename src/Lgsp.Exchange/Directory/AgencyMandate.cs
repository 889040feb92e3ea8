using System.Globalization;
using Lgsp.Edxml.Agencies;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Routing;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Directory;

/// <summary>
/// Which agencies a caller may act for. An ordinary client system acts for the agencies it is
/// registered for (<see cref="ClientSystem.Agencies"/>). The inbound system of another hub
/// (<see cref="ClientSystem.Hub"/>) acts for the agencies routed through that hub: it sends as the
/// agencies this hub routes to it (a child: those it serves; the parent: codes beyond this hub), and
/// fetches and confirms the pull deliveries that go via it. A client system may ask to register agencies
/// only below its own (<see cref="CheckRegistrationAsync"/>).
/// </summary>
/// <remarks>Reads the routes (<see cref="Router"/>), the deliveries (<see cref="IPackageStore"/>) and the
/// directory's parents (<see cref="IDirectoryStore"/>).
/// Refusals are <see cref="ExchangeException"/>s naming the field the caller gave. Thread safe.</remarks>
public sealed class AgencyMandate(Router router, IPackageStore packages, IDirectoryStore directory)
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

    /// <summary>Checks that <paramref name="caller"/> may ask to register <paramref name="code"/> under
    /// <paramref name="parentCode"/>: both are valid agency codes (the format core's rules), the parent is
    /// in the directory, and it is one of the caller's own agencies or below one (its chain of parents in
    /// the directory reaches one). An auditor's system registers nothing; a system with no agencies of its
    /// own (a hub's inbound system, usually) has no subtree to register in. Without this, a system could
    /// claim any code the directory does not know yet and receive what is sent to it.</summary>
    /// <returns>The code and parent in their normal form (trimmed, upper-case).</returns>
    /// <exception cref="ExchangeException"><c>InvalidAgencyCode</c> (<c>code</c> or <c>pcode</c>);
    /// <see cref="HubErrorCode.InvalidRequest"/> (<c>pcode</c> missing or the code itself);
    /// <see cref="HubErrorCode.RegistrationNotAllowed"/> (<c>code</c>: an auditor);
    /// <see cref="HubErrorCode.NotFound"/> (<c>pcode</c>: not in the directory);
    /// <see cref="HubErrorCode.RegistrationOutsideMandate"/> (<c>pcode</c>).</exception>
    public async Task<(string Code, string ParentCode)> CheckRegistrationAsync(ClientSystem caller, string code, string? parentCode, CancellationToken ct = default)
    {
        if (caller.IsAuditor)
        {
            throw ExchangeException.Of(HubErrorCode.RegistrationNotAllowed, "code", caller.Id);
        }

        var agency = AgencyCode.TryParse(code, out var parsed, out _) ? parsed.Value : throw new ExchangeException(AgencyCode.Check(code, "code")!);
        if (string.IsNullOrWhiteSpace(parentCode))
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "pcode", "pcode is required: an agency is registered under one of the caller's own agencies");
        }

        var parent = AgencyCode.TryParse(parentCode, out var parsedParent, out _) ? parsedParent.Value : throw new ExchangeException(AgencyCode.Check(parentCode, "pcode")!);
        if (parent == agency)
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "pcode", "an agency cannot be its own parent");
        }

        // Up the directory's parents (data, never the code's digits), with a bound against a loop.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var current = parent; current is not null && seen.Add(current) && seen.Count <= Router.MaxRedirects * 4;)
        {
            var found = await directory.FindAgencyAsync(current, ct);
            if (found is null)
            {
                return current == parent
                    ? throw ExchangeException.Of(HubErrorCode.NotFound, "pcode", "pcode", parent)
                    : throw Outside(caller, parent);
            }

            if (caller.ActsFor(found.Code) && found.Code != agency)
            {
                return (agency, parent);
            }

            current = found.ParentCode;
        }

        throw Outside(caller, parent);
    }

    private static ExchangeException Outside(ClientSystem caller, string parent) =>
        ExchangeException.Of(HubErrorCode.RegistrationOutsideMandate, "pcode", caller.Id,
            caller.Agencies.Count == 0 ? "-" : string.Join(", ", caller.Agencies.Order(StringComparer.Ordinal)), parent);

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
