using System.Globalization;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Delivery;

/// <summary>The parent's side of a far outcome reported up the tree (ADR 0020): a child hub says what became
/// of deliveries this hub handed down to it (pull deliveries via that hub), and this hub records each once
/// on its own delivery: <c>acknowledged</c> when the recipient confirmed it below, <c>failed</c> with
/// <c>far:CODE</c> and <c>failed at hub ID: TEXT</c> when it failed below. From there the forwarding hub's
/// follow-up (<c>getSentEdocList</c>) carries it on to the sender's side.</summary>
/// <remarks>Only an active child hub's inbound system may report, and only on the deliveries handed down
/// to that hub: a report on any other delivery is refused item by item and changes nothing. Thread safe.</remarks>
public sealed class BelowReports(IDirectoryStore directory, IPackageStore packages, IFarReportStore store, TimeProvider clock)
{
    /// <summary>The most outcomes one report carries.</summary>
    public const int MaxPerReport = 500;

    /// <summary>The longest failure text kept (characters); a longer one is cut.</summary>
    public const int MaxTextLength = 1000;

    private const int MaxCodeLength = 64;

    /// <summary>Records a child hub's report.</summary>
    /// <param name="caller">The calling system: an active child hub's inbound system.</param>
    /// <param name="outcomes">The outcomes, each naming this hub's delivery (<c>docId</c>).</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>What became of each outcome, in order.</returns>
    /// <exception cref="ExchangeException"><c>Forbidden</c>: the caller is no active child hub;
    /// <c>InvalidRequest</c>: an outcome is malformed, or there are too many (nothing is recorded).</exception>
    public async Task<IReadOnlyList<BelowReportResult>> RecordAsync(ClientSystem caller, IReadOnlyList<ReportedOutcome> outcomes, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(outcomes);
        var child = caller.Hub is not null && await directory.FindHubAsync(caller.Hub, ct) is { Role: HubRole.Child, Active: true } hub
            ? hub
            : throw ExchangeException.Of(HubErrorCode.Forbidden, "systemid", caller.Id, "a child hub");
        if (outcomes.Count > MaxPerReport)
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "outcomes", $"at most {MaxPerReport} outcomes per report, not {outcomes.Count}");
        }

        // Every outcome is checked before any is recorded: a malformed report stores nothing.
        var ids = outcomes.Select(Checked).ToList();
        var at = Timestamps.Truncate(clock.GetUtcNow());
        var results = new List<BelowReportResult>(outcomes.Count);
        for (var i = 0; i < outcomes.Count; i++)
        {
            results.Add(await RecordOneAsync(child.Id, ids[i], outcomes[i], at, ct));
        }

        return results;
    }

    private async Task<BelowReportResult> RecordOneAsync(string child, long deliveryId, ReportedOutcome outcome, DateTimeOffset at, CancellationToken ct)
    {
        // Only a delivery handed down to the reporting hub; any other is refused the same way whether it
        // exists or not, so a report cannot probe another subtree's deliveries.
        if (await packages.FindDeliveryAsync(deliveryId, ct) is not { Mode: DeliveryMode.Pull } delivery || delivery.Via != child)
        {
            return new BelowReportResult(outcome.DocId, BelowReportTaken.Refused);
        }

        if (outcome.Outcome == FarOutcome.Confirmed)
        {
            return new BelowReportResult(outcome.DocId,
                await store.RecordConfirmedBelowAsync(deliveryId, child, at, ct) ? BelowReportTaken.Acknowledged : BelowReportTaken.AlreadyFinal);
        }

        var childCode = string.IsNullOrEmpty(outcome.Code) ? FarOutcome.Failed : outcome.Code;
        var text = outcome.Text is { Length: > MaxTextLength } longText ? longText[..MaxTextLength] : outcome.Text;
        var recorded = await store.RecordFailedBelowAsync(deliveryId, child, FarOutcome.Code(childCode), FarOutcome.Reason(child, childCode, text), at, ct);
        return new BelowReportResult(outcome.DocId, recorded ? BelowReportTaken.Failed : BelowReportTaken.AlreadyFinal);
    }

    private static long Checked(ReportedOutcome outcome)
    {
        if (!long.TryParse(outcome.DocId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "docId", $"docId must be a delivery id, not '{outcome.DocId}'");
        }

        if (outcome.Outcome is not (FarOutcome.Confirmed or FarOutcome.Failed))
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "outcome", $"outcome must be '{FarOutcome.Confirmed}' or '{FarOutcome.Failed}', not '{outcome.Outcome}'");
        }

        if (outcome.Code is { } code && (code.Length > MaxCodeLength || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')))
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "code", $"code must be at most {MaxCodeLength} ASCII letters, digits, '-', '_', '.' or ':'");
        }

        return id;
    }
}

/// <summary>One outcome a child hub reports.</summary>
/// <param name="DocId">This hub's delivery (the <c>docId</c> the child pulled it by).</param>
/// <param name="Outcome"><see cref="FarOutcome.Confirmed"/> or <see cref="FarOutcome.Failed"/>.</param>
/// <param name="Code">A failure's stable code at the child (<c>confirm-fail</c>, <c>far:unknown-recipient</c>).</param>
/// <param name="Text">A failure's text as the child's sender view shows it (no endpoint in it).</param>
public sealed record ReportedOutcome(string DocId, string Outcome, string? Code, string? Text);

/// <summary>What became of one reported outcome.</summary>
/// <param name="DocId">As reported.</param>
/// <param name="Taken">Recorded, already final, or refused.</param>
public sealed record BelowReportResult(string DocId, BelowReportTaken Taken);

/// <summary>What a parent did with one reported outcome.</summary>
public enum BelowReportTaken
{
    /// <summary>Its delivery is now acknowledged (confirmed below).</summary>
    Acknowledged,

    /// <summary>Its delivery is now failed (<c>far:CODE</c>).</summary>
    Failed,

    /// <summary>Its delivery was already final: a repeated report, nothing recorded.</summary>
    AlreadyFinal,

    /// <summary>Not a delivery handed down to the reporting hub: nothing recorded.</summary>
    Refused,
}
