using System.Runtime.CompilerServices;
using System.Security.Cryptography;
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
public sealed partial class AcceptService(
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
}
