using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Lgsp.Edxml.Agencies;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Spooling;
using Lgsp.Edxml.Validation;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Reports.Facts;
using Lgsp.Exchange.Routing;
using Lgsp.Exchange.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lgsp.Exchange.Accept;

/// <summary>
/// The accept path: judge a package sent by an authenticated client system, route its recipients,
/// store it once with its deliveries and ledger entries in one transaction, answer with a signed
/// receipt, then enqueue its push deliveries.
/// </summary>
/// <remarks>
/// <para>Checks run in the order of the design: the package reads; it is of the kind the operation
/// expects; the client system may send as its <c>From</c> (<see cref="AgencyMandate"/>); schema and business rules (including
/// secret marking); the signature policy (XMLDSig, chain, CRL, signer registered for <c>From</c>, or
/// vouched for by the hub that serves <c>From</c> when the caller is that hub); de-duplication. A package
/// that already passed through this hub is refused (<see cref="HubErrorCode.LoopDetected"/>). The first
/// failure is thrown as an <see cref="ExchangeException"/> and nothing is stored.</para>
/// <para>Every recipient is routed (<see cref="Router"/>); one without a route does not refuse the
/// package: its delivery is created failed, with the reason, in the same transaction.</para>
/// <para>A refusal whose <c>package.refused</c> record cannot be written (the database is down) is
/// still answered as that refusal; the failure to record it is logged.</para>
/// <para>Thread safe.</para>
/// </remarks>
public sealed class AcceptService(
    IDirectoryStore directory,
    IPackageStore store,
    TrustCache trust,
    ReceiptIssuer receipts,
    Router router,
    IDeliveryQueue queue,
    TimeProvider clock,
    ILogger<AcceptService>? log = null,
    FactsReader? facts = null)
{
    private readonly ILogger _log = log ?? NullLogger<AcceptService>.Instance;
    private readonly FactsReader _facts = facts ?? new FactsReader();

    private const string Header = "edXMLEnvelope/edXMLHeader/MessageHeader/";

    private readonly AgencyMandate _mandate = new(router, store, directory);

    /// <summary>Accepts a package.</summary>
    /// <param name="caller">The authenticated client system.</param>
    /// <param name="package">The exact bytes it sent.</param>
    /// <param name="expected">The kind the operation takes.</param>
    /// <param name="arrival">What the front door was told beside the bytes; null: <see cref="Arrival.Direct"/>.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The answer: stored now, or the original answer of a duplicate.</returns>
    /// <exception cref="ExchangeException">The package is refused; nothing was stored but one
    /// <c>package.refused</c> ledger entry.</exception>
    public async Task<Acceptance> AcceptAsync(ClientSystem caller, byte[] package, PackageKind expected, Arrival? arrival = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(package);
        using var spool = PackageSpool.FromBytes(package);
        return await AcceptAsync(caller, spool, expected, arrival, ct);
    }

    /// <summary>Accepts a spooled package: every check and the storage stream it from the spool, which
    /// the caller owns and disposes after the call (ADR 0016).</summary>
    /// <param name="caller">The authenticated client system.</param>
    /// <param name="package">The exact bytes it sent, complete.</param>
    /// <param name="expected">The kind the operation takes.</param>
    /// <param name="arrival">What the front door was told beside the bytes; null: <see cref="Arrival.Direct"/>.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The answer: stored now, or the original answer of a duplicate.</returns>
    /// <exception cref="ExchangeException">The package is refused; nothing was stored but one
    /// <c>package.refused</c> ledger entry.</exception>
    public async Task<Acceptance> AcceptAsync(ClientSystem caller, PackageSpool package, PackageKind expected, Arrival? arrival = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(package);
        arrival ??= Arrival.Direct;
        var receivedAt = Timestamps.Truncate(clock.GetUtcNow());
        var claimedFrom = new StrongBox<string?>();
        try
        {
            return await AcceptCoreAsync(caller, package, expected, arrival, CheckHops(caller, arrival), receivedAt, claimedFrom, ct);
        }
        catch (ExchangeException refused)
        {
            await RecordRefusalAsync(new Refusal(expected, caller.Id, claimedFrom.Value, refused.Error.Code, refused.Error.Field,
                Convert.ToHexStringLower(package.Sha256), package.Length, receivedAt), ct);
            throw;
        }
    }

    // The refusal is the answer the client is owed; a store that cannot record it must not turn it
    // into an internal error, which would hide the reason and invite a blind resend.
    private async Task RecordRefusalAsync(Refusal refusal, CancellationToken ct)
    {
        try
        {
            await store.RecordRefusalAsync(refusal, ct);
        }
        catch (Exception failure)
        {
            _log.LogError(failure, "Could not record the refusal {Code} at {Field} of {Kind} sha256 {Sha256} from client system {ClientSystem}; the refusal is answered, its package.refused ledger entry is missing",
                refusal.Code, refusal.Field, refusal.Kind, refusal.Sha256, refusal.SenderSystem);
        }
    }

    private async Task<Acceptance> AcceptCoreAsync(ClientSystem caller, PackageSpool package, PackageKind expected, Arrival arrival, IReadOnlyList<string> hops,
        DateTimeOffset receivedAt, StrongBox<string?> claimedFrom, CancellationToken ct)
    {
        // Over an inherit link, what the previous hub accepted under legacy is judged under legacy here.
        var inheritedFrom = await InheritedLegacyAsync(caller, arrival, ct);
        var policy = inheritedFrom is null ? caller.Policy : PackagePolicy.Legacy;
        var options = policy == PackagePolicy.Legacy
            ? CheckOptions.Legacy(await trust.GetAsync(ct))
            : CheckOptions.Strict(await trust.GetAsync(ct));
        if (policy == PackagePolicy.Strict)
        {
            // The strict policy's only exceptions to the code forms are the directory's.
            options = options with { Validation = options.Validation with { AcceptedNonStandardCodes = await directory.ListNonStandardCodesAsync(ct) } };
        }

        var check = PackageCheck.Evaluate(package, options);
        using var model = check.Validation.Package;
        if (model is null)
        {
            throw Refused(FirstError(check.Validation.Findings));
        }

        if (model.Kind != expected)
        {
            throw ExchangeException.Of(HubErrorCode.WrongPackageKind, "edXML", expected == PackageKind.Document ? "SendDocument" : "SendStatus",
                KindWord(expected), KindWord(model.Kind));
        }

        var from = model.From?.OrganId;
        claimedFrom.Value = from;
        if (!await _mandate.MaySendAsAsync(caller, from, ct))
        {
            throw ExchangeException.Of(HubErrorCode.Forbidden, Header + "From/OrganId", caller.Id, from ?? "(no agency)");
        }

        if (!check.Validation.IsValid)
        {
            throw Refused(FirstError(check.Validation.Findings));
        }

        await RequireKnownNonStandardCodesAsync(model, arrival.Recipients, ct);

        var verdict = check.Signature!;
        if (!check.IsAccepted)
        {
            throw Refused(verdict.Errors.FirstOrDefault(e => e.IsError) ?? EdxmlError.Create(ErrorCode.SignatureRequired, "edXMLEnvelope/edXMLHeader/Signature"));
        }

        var signerSha = verdict.Status == SignatureStatus.Valid && verdict.Signer is { } signer ? SHA256.HashData(signer.RawData) : null;

        // The sender's record (its tier goes into the report facts) and, for a client system, whether the
        // signer is registered for From: one directory lookup.
        var sender = await directory.FindSenderAsync(from!, caller.Hub is null ? signerSha : null, ct);
        string? signerBinding = null;
        if (signerSha is not null)
        {
            // A hub caller sends for agencies another hub serves: that hub bound the signer to From when
            // the package entered the network. The signature itself was still verified and trusted here.
            if (caller.Hub is { } hub)
            {
                signerBinding = $"vouched by {hub}";
            }
            else if (sender.SignerRegistered)
            {
                signerBinding = "registered";
            }
            else
            {
                throw ExchangeException.Of(HubErrorCode.SignerMismatch, "edXMLEnvelope/edXMLHeader/Signature/KeyInfo", verdict.Signer!.Subject, from);
            }
        }

        // Hashed while it was spooled: no pass of its own.
        var sha = package.Sha256;
        var stored = model switch
        {
            DocumentPackage document => new NewPackage
            {
                Kind = PackageKind.Document,
                SenderSystem = caller.Id,
                From = from!,
                DocumentId = document.DocumentId!,
                Sha256 = sha,
                Body = package,
                ReceivedAt = receivedAt,
                BusinessType = document.Operation,
                CodeNumber = document.Code?.CodeNumber,
                CodeNotation = document.Code?.CodeNotation,
                Subject = document.Subject,
                Legacy = check.Legacy,
                Signature = SignatureWord(verdict.Status),
                SignerSubject = signerSha is null ? null : verdict.Signer!.Subject,
                SignerSha256 = signerSha,
            },
            StatusPackage status => StatusToStore(status, caller, from!, sha, package, receivedAt, check.Legacy, verdict, signerSha),
            _ => throw new InvalidOperationException("Unknown package kind."),
        } with
        {
            SignerBinding = signerBinding,
            Warnings = [.. check.Validation.Warnings.Select(f => $"{f.Code} {f.Field}")],
            Hops = hops,
            PreviousReceiptSha256 = arrival.PreviousReceiptSha256,
            LegacyInheritedFrom = inheritedFrom,
            InheritedReceipt = inheritedFrom is null ? null : arrival.PreviousReceipt,
        };

        var addressed = model switch
        {
            DocumentPackage document => document.To.Select((to, i) => (to.OrganId!, $"{Header}To[{i + 1}]/OrganId")).ToList(),
            _ => [(stored.StatusTarget!, Header + "ResponseFor/OrganId")],
        };
        var (deliveries, recipients) = await RouteAsync(await AskedAsync(addressed, arrival.Recipients, hops, ct), hops, ct);
        stored = stored with
        {
            Facts = _facts.Read(model, signerSha is null ? null : verdict.Signer) with
            {
                FromTier = sender.Agency?.Tier,
                FromScope = await ScopeOfCallerAsync(caller, ct),
                Recipients = recipients,
            },
        };

        var outcome = await store.SaveAsync(stored, deliveries, receipts.Issue, ct);
        if (outcome.Result == SaveResult.DocumentIdConflict)
        {
            throw ExchangeException.Of(HubErrorCode.DuplicateDocumentId, Header + "DocumentId", from, stored.DocumentId);
        }

        // A duplicate may still have created deliveries: a repeated forward may ask for recipients the
        // first did not. Deliveries via the same hub go in one upload (ADR 0017): one job for the group,
        // whose claim takes the others along; a sibling it misses is found by the reconciler.
        var forwarded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, delivery) in outcome.Deliveries)
        {
            if (delivery is { Mode: DeliveryMode.Push, FailureCode: null } && (delivery.Via is null || forwarded.Add(delivery.Via)))
            {
                queue.Enqueue(id);
            }
        }

        return outcome.Acceptance!;
    }

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

    private static NewPackage StatusToStore(StatusPackage status, ClientSystem caller, string from, byte[] sha, PackageSpool package,
        DateTimeOffset receivedAt, bool legacy, SignatureVerdict verdict, byte[]? signerSha)
    {
        var target = status.ResponseFor?.OrganId;
        var documentId = status.ResponseFor?.DocumentId;
        if (string.IsNullOrEmpty(target) || string.IsNullOrEmpty(documentId))
        {
            throw Refused(EdxmlError.Create(ErrorCode.MissingField, Header + "ResponseFor", "ResponseFor/OrganId and ResponseFor/DocumentId"));
        }

        // Every status goes to ResponseFor.OrganId. For 13 (take back) the sender is the document's
        // sender and the target its recipient; for the others it is the other way round.
        var takeBack = status.Code == StatusCode.TakeBackRequested;
        return new NewPackage
        {
            Kind = PackageKind.Status,
            SenderSystem = caller.Id,
            From = from,
            DocumentId = documentId,
            Sha256 = sha,
            Body = package,
            ReceivedAt = receivedAt,
            StatusCode = status.StatusCode,
            StatusTarget = target,
            StatusAbout = takeBack ? (from, target) : (target, from),
            Legacy = legacy,
            Signature = SignatureWord(verdict.Status),
            SignerSubject = signerSha is null ? null : verdict.Signer!.Subject,
            SignerSha256 = signerSha,
        };
    }

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

    private static string SignatureWord(SignatureStatus status) => status switch
    {
        SignatureStatus.Valid => "valid",
        SignatureStatus.Placeholder => "placeholder",
        _ => "unsigned",
    };
}
