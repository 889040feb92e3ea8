using Lgsp.Edxml.Agencies;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;

namespace Lgsp.Exchange.Accept;

// The checks around the package's own: the hop metadata, the inherited legacy verdict, the codes in
// neither form, and how a refusal is worded.
public sealed partial class AcceptService
{
    // A code in neither form passed validation (legacy, or a strict exception): the hub takes it only when
    // its directory holds that exact code. Unknown, it has no route this hub can vouch for: a standard
    // code unknown here goes to the parent, a code in no form would only be guessed at. Only the recipients
    // routed here count: a hub forwarding one recipient per call may address others this directory lacks.
    private async Task RequireKnownNonStandardCodesAsync(EdxmlPackage model, IReadOnlyList<string>? asked, CancellationToken ct)
    {
        IEnumerable<(string? Code, string Field)> named = model switch
        {
            DocumentPackage d => [(d.From?.OrganId, Header + "From/OrganId"), .. d.To.Select((to, i) => (to.OrganId, $"{Header}To[{i + 1}]/OrganId"))
                .Where(to => asked is null || asked.Contains(to.OrganId!))],
            StatusPackage s => [(s.From?.OrganId, Header + "From/OrganId"), (s.ResponseFor?.OrganId, Header + "ResponseFor/OrganId")],
            _ => [],
        };
        foreach (var (code, field) in named)
        {
            if (AgencyCode.IsNonStandard(code, out var token) && await directory.FindAgencyAsync(token, ct) is null)
            {
                throw ExchangeException.Of(HubErrorCode.UnknownNonStandardCode, field, token);
            }
        }
    }

    // The previous hub's verdict counts only over a link whose policy says so (ADR 0017): the hub that
    // sent it, as its own client system here, vouches for it, as it vouches for the signer's binding.
    // A system judged under legacy anyway needs nothing inherited.
    private async Task<string?> InheritedLegacyAsync(ClientSystem caller, Arrival arrival, CancellationToken ct) =>
        caller is { Hub: { } hub, Policy: PackagePolicy.Strict } && arrival.PreviousPolicy == PackagePolicy.Legacy
            && await directory.FindHubAsync(hub, ct) is { Policy: LinkPolicy.Inherit, Active: true }
            ? hub
            : null;

    // The hop metadata comes from the wire: this hub in it means the package went round in a circle.
    // Only another hub has a journey to tell; from anyone else it would put hops and a previous receipt
    // that never were into this hub's signed receipt and ledger.
    private IReadOnlyList<string> CheckHops(ClientSystem caller, Arrival arrival)
    {
        var hops = arrival.Hops ?? [];
        if (hops.Any(h => string.IsNullOrWhiteSpace(h) || h.Contains(',', StringComparison.Ordinal)))
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "lgsp-hops", "hub ids in lgsp-hops must be non-empty and without commas");
        }

        if (hops.Contains(receipts.HubId, StringComparer.Ordinal))
        {
            throw ExchangeException.Of(HubErrorCode.LoopDetected, "lgsp-hops", receipts.HubId, string.Join(',', hops));
        }

        if (arrival.PreviousReceiptSha256 is { } previous && (previous.Length != 64 || !previous.All(char.IsAsciiHexDigitLower)))
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "lgsp-prev-receipt", "lgsp-prev-receipt must be 64 lower-case hex digits");
        }

        if (caller.Hub is null && (hops.Count > 0 || arrival.PreviousReceiptSha256 is not null || arrival.PreviousPolicy is not null))
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, hops.Count > 0 ? "lgsp-hops" : arrival.PreviousReceiptSha256 is not null ? "lgsp-prev-receipt" : "lgsp-prev-policy",
                "lgsp-hops, lgsp-prev-receipt and lgsp-prev-policy are hub-to-hub metadata; only another hub's system may send them");
        }

        return hops;
    }

    private static EdxmlError FirstError(IReadOnlyList<EdxmlError> findings) =>
        findings.FirstOrDefault(f => f.IsError) ?? EdxmlError.Create(ErrorCode.MalformedXml, "/", "unreadable package");

    private static ExchangeException Refused(EdxmlError error) => new(error);

    private static string KindWord(PackageKind kind) => kind == PackageKind.Document ? "document" : "status";
}
