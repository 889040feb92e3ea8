using Lgsp.Exchange.Reports.Facts;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Reports.Rollups;

/// <summary>A document as the rollups recount it: its facts from accept time, and its deliveries as
/// they stand now.</summary>
/// <param name="PackageId">The package row.</param>
/// <param name="From">The sending agency.</param>
/// <param name="FromTier">Its tier at accept time.</param>
/// <param name="FromScope">Inside the subtree or beyond the parent.</param>
/// <param name="ReceivedAt">When the hub accepted it.</param>
/// <param name="Priority">OtherInfo/Priority.</param>
/// <param name="Paper">Also sent on paper.</param>
/// <param name="PromulgationDate">Its promulgation date, when readable.</param>
/// <param name="EnvelopeSigner">Whose certificate signed the envelope.</param>
/// <param name="Attachments">Its PDF attachments.</param>
/// <param name="Deliveries">One per recipient.</param>
/// <param name="DocumentId">Its DocumentId (the drill-down links to the document's page by it).</param>
public sealed record DocumentFacts(
    long PackageId,
    string From,
    string? FromTier,
    ExchangeScope FromScope,
    DateTimeOffset ReceivedAt,
    int? Priority,
    bool Paper,
    DateOnly? PromulgationDate,
    SignerClass EnvelopeSigner,
    IReadOnlyList<AttachmentFact> Attachments,
    IReadOnlyList<DeliveryFacts> Deliveries,
    string? DocumentId = null);

/// <summary>One delivery of a document, with the recipient's answers.</summary>
/// <param name="Recipient">The agency that gets it.</param>
/// <param name="Tier">Its tier at accept time.</param>
/// <param name="Scope">Inside the subtree, beyond the parent, or without a route.</param>
/// <param name="State">The delivery's state now.</param>
/// <param name="FailureCode">The error code of a failed delivery (<c>unknown-recipient</c>, a push
/// error code, …), or <c>unspecified</c> when it failed without one.</param>
/// <param name="DeliveredAt">Fetched (pull) or pushed (push).</param>
/// <param name="AcknowledgedAt">Confirmed.</param>
/// <param name="ArrivedAt">The recipient's first status 01 about the document.</param>
/// <param name="Refused">The recipient sent status 02.</param>
/// <param name="TakeBackRequested">The sender sent status 13 to this recipient.</param>
/// <param name="ChangeAccepted">The recipient sent status 15.</param>
/// <param name="ChangeRejected">The recipient sent status 16.</param>
/// <param name="RefusedAt">The recipient's first status 02.</param>
/// <param name="AcceptedAt">The recipient's first status 03 (accepted, registered).</param>
/// <param name="FinishedAt">The recipient's first status 06 (done).</param>
public sealed record DeliveryFacts(
    string Recipient,
    string? Tier,
    ExchangeScope Scope,
    DeliveryState State,
    string? FailureCode,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? ArrivedAt,
    bool Refused,
    bool TakeBackRequested,
    bool ChangeAccepted,
    bool ChangeRejected,
    DateTimeOffset? RefusedAt = null,
    DateTimeOffset? AcceptedAt = null,
    DateTimeOffset? FinishedAt = null)
{
    /// <summary>The recipient's first sign of life: fetched, confirmed or status 01, whichever came first.</summary>
    public DateTimeOffset? FirstAnswer => new[] { DeliveredAt, AcknowledgedAt, ArrivedAt }.Where(t => t is not null).Min();

    /// <summary>The first pick-up: fetched, pushed or confirmed, whichever came first (statuses aside).</summary>
    public DateTimeOffset? PickedUpAt => new[] { DeliveredAt, AcknowledgedAt }.Where(t => t is not null).Min();

    /// <summary>When the delivery got the answer a time measure times (<see cref="TimeMeasure"/>), or null.</summary>
    public DateTimeOffset? AnsweredAt(TimeMeasure measure)
    {
        ArgumentNullException.ThrowIfNull(measure);
        return measure.Count switch
        {
            Figure.PickedUp => PickedUpAt,
            Figure.Arrived => ArrivedAt,
            Figure.Refused => RefusedAt,
            Figure.Accepted => AcceptedAt,
            _ => FinishedAt,
        };
    }
}

/// <summary>One agency's figures for one local day.</summary>
/// <param name="Day">The local day the documents were accepted.</param>
/// <param name="Agency">The agency (sender for sender figures, recipient for receiver figures).</param>
/// <param name="Tier">The agency's tier as recorded at accept time, or null.</param>
/// <param name="Counts">The figures.</param>
/// <param name="Failures">Failed deliveries to this agency by error code.</param>
public sealed record DailyRollup(DateOnly Day, string Agency, string? Tier, FigureCounts Counts, IReadOnlyDictionary<string, long> Failures);
