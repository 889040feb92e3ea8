using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Delivery;

/// <summary>Runs push deliveries later, in the background. Implementations carry only the delivery id.</summary>
/// <remarks>Best effort: a failure to enqueue must not fail the caller, because the reconciler finds
/// deliveries left without a job. Thread safe.</remarks>
public interface IDeliveryQueue
{
    /// <summary>Runs the delivery's next attempt soon.</summary>
    void Enqueue(long deliveryId);

    /// <summary>Runs the delivery's next attempt at <paramref name="at"/>.</summary>
    void Schedule(long deliveryId, DateTimeOffset at);

    /// <summary>The deliveries that have a job still to run: queued, scheduled, or running since
    /// <paramref name="runningSince"/>. A job listed as running since earlier holds nothing: an attempt
    /// ends within its lease, so its process died and the job is not coming back soon.</summary>
    /// <remarks>Unlike the other members, throws when the queue cannot be read: the reconciler must not
    /// take "cannot tell" for "no job".</remarks>
    IReadOnlySet<long> WithLiveJobs(DateTimeOffset runningSince);
}

/// <summary>How a push attempt ended.</summary>
public enum PushOutcome
{
    /// <summary>The peer took the package.</summary>
    Delivered,

    /// <summary>The peer could not take it now (network, timeout, 5xx, 408, 429); try again.</summary>
    Transient,

    /// <summary>The peer refused it for good (other 4xx); do not retry.</summary>
    Permanent,
}

/// <summary>The result of one push.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Error">What went wrong, when not delivered.</param>
/// <param name="ErrorCode">The stable code for what went wrong (<see cref="DeliveryErrorCode"/>), when not delivered.</param>
/// <param name="PeerDocId">The id the next hub gave the package, when forwarded to a hub.</param>
/// <param name="PeerReceipt">The next hub's signed receipt, when forwarded to a hub that gave one.</param>
public sealed record PushResult(PushOutcome Outcome, string? Error = null, string? ErrorCode = null, string? PeerDocId = null, byte[]? PeerReceipt = null);

/// <summary>Sends a package's exact bytes to a recipient's endpoint.</summary>
/// <remarks>Thread safe. Never throws for the peer's failures: they are <see cref="PushResult"/>s.</remarks>
public interface IPushTransport
{
    /// <summary>Pushes the package.</summary>
    Task<PushResult> PushAsync(PushWork work, CancellationToken ct = default);
}

/// <summary>Backoff and limits for push deliveries.</summary>
public sealed record RetryPolicy
{
    /// <summary>Attempts before a delivery fails (dead letter); a replay grants a fresh budget.</summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>The wait after the first failure; doubled after each further one.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between attempts.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long one attempt holds its delivery (longer than the push timeout).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How overdue a delivery must be before the reconciler re-enqueues it.</summary>
    public TimeSpan ReconcileGrace { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The default of <see cref="MaxForwardGroup"/>: the list of codes travels as a signed header,
    /// which the next hub's server limits (32 KiB in all by default); 200 codes stay far below.</summary>
    public const int DefaultForwardGroup = 200;

    /// <summary>The most deliveries one forward to another hub carries (ADR 0017): a package's
    /// deliveries via the same hub go in one upload; 1 forwards one recipient per upload.</summary>
    public int MaxForwardGroup { get; init; } = DefaultForwardGroup;

    /// <summary>The wait after <paramref name="failedAttempts"/> failures (≥ 1).</summary>
    public TimeSpan DelayAfter(int failedAttempts)
    {
        var factor = Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 30));
        var ticks = Math.Min(MaxDelay.Ticks, FirstDelay.Ticks * factor);
        return TimeSpan.FromTicks((long)ticks);
    }
}
