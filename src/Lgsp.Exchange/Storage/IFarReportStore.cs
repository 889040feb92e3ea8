namespace Lgsp.Exchange.Storage;

/// <summary>Far outcomes reported up the tree (ADR 0020, docs/topology.md "Beyond the next hub"): a child
/// hub remembers which of its parent's deliveries each pulled delivery stands for and which it reported;
/// the parent records a child's report on the delivery it handed down to that child.</summary>
/// <remarks>Thread safe; safe with several hub instances. Every change is conditional, so a report
/// repeated (a crash between the call and <see cref="MarkReportedAsync"/>, a second instance) records
/// nothing twice.</remarks>
public interface IFarReportStore
{
    /// <summary>The child's side, after a pull's accept committed: the delivery of
    /// <paramref name="packageId"/> for <paramref name="to"/> (its recipient, or the code it was addressed
    /// to) stands for <paramref name="hub"/>'s delivery <paramref name="docId"/>. A delivery already
    /// marked keeps its mark; false when none was marked now.</summary>
    Task<bool> MarkPulledAsync(long packageId, string to, string hub, string docId, CancellationToken ct = default);

    /// <summary>The child's side: deliveries pulled from <paramref name="hub"/> that are final here and not
    /// reported yet, oldest first.</summary>
    Task<IReadOnlyList<OutcomeToReport>> ToReportAsync(string hub, int max, CancellationToken ct = default);

    /// <summary>The child's side: the parent took the report on these deliveries.</summary>
    Task MarkReportedAsync(IReadOnlyCollection<long> deliveryIds, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>The parent's side: acknowledges a delivery handed down to <paramref name="childHub"/> (a pull
    /// via that hub, not failed, not confirmed further down yet) that its recipient confirmed below, with a
    /// <c>delivery.acknowledged</c> entry whose <c>reportedBy</c> is the child; false when nothing changed.</summary>
    Task<bool> RecordConfirmedBelowAsync(long deliveryId, string childHub, DateTimeOffset at, CancellationToken ct = default);

    /// <summary>The parent's side: fails such a delivery with the far code and text, with a
    /// <c>delivery.failed</c> entry whose <c>reportedBy</c> is the child; false when nothing changed.</summary>
    Task<bool> RecordFailedBelowAsync(long deliveryId, string childHub, string errorCode, string reason, DateTimeOffset at, CancellationToken ct = default);
}

/// <summary>A final outcome a child hub owes its parent.</summary>
/// <param name="DeliveryId">The delivery here.</param>
/// <param name="UpstreamDocId">The parent's delivery it stands for (the parent's <c>docId</c>).</param>
/// <param name="State">Acknowledged (confirmed here or further down) or failed.</param>
/// <param name="LastErrorCode">A failure's stored code.</param>
/// <param name="LastError">A failure's stored text.</param>
public sealed record OutcomeToReport(long DeliveryId, string UpstreamDocId, DeliveryState State, string? LastErrorCode, string? LastError);
