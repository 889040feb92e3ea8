using Lgsp.Exchange.Delivery;

namespace Lgsp.Exchange.Storage;

/// <summary>Push deliveries: claiming one for an attempt and recording its outcome.</summary>
/// <remarks>Thread safe; safe with several hub instances on one database.</remarks>
public interface IDeliveryStore
{
    /// <summary>Claims a due push delivery for one attempt, holding it for <paramref name="lease"/>
    /// so no other worker pushes it meanwhile. Null when it is not due, already delivered, failed,
    /// or held by another worker. A delivery via another hub is claimed with its companions (ADR 0017):
    /// the package's other deliveries via the same hub that wait for a push and are not held, up to
    /// <paramref name="maxGroup"/> deliveries in all (1: none).</summary>
    Task<PushWork?> ClaimPushAsync(long deliveryId, DateTimeOffset now, TimeSpan lease, int maxGroup = RetryPolicy.DefaultForwardGroup, CancellationToken ct = default);

    /// <summary>Records an attempt and, when the delivery still waits for a push under the attempt's
    /// lease (<see cref="PushRecord.LeaseUntil"/>), its new state and the ledger entries, releasing the
    /// claim. Returns false, and changes nothing but the attempt row, when the delivery had meanwhile
    /// been confirmed or refused by its recipient, replayed, or claimed again after the lease expired.</summary>
    Task<bool> RecordPushAsync(PushRecord record, CancellationToken ct = default);

    /// <summary>Push deliveries pending or retrying, due before <paramref name="dueBefore"/> and not
    /// held: the ones a lost job may have left behind, in groups one job serves, ordered by their
    /// <see cref="OverdueGroup.Lead"/>; at most <paramref name="max"/> groups whose lead is above
    /// <paramref name="afterLead"/> (the previous page's last).</summary>
    Task<IReadOnlyList<OverdueGroup>> OverduePushesAsync(DateTimeOffset dueBefore, int max, long afterLead = 0, CancellationToken ct = default);
}
