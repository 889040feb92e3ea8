namespace Lgsp.Server.Jobs;

/// <summary>Push delivery and background job settings.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Attempts before a delivery fails.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait after the first failure, doubled each time.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The timeout of one push.</summary>
    public TimeSpan PushTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the reconciler looks for deliveries without a job (a cron expression; a sixth,
    /// leading field gives seconds).</summary>
    public string ReconcileCron { get; set; } = "* * * * *";

    /// <summary>How overdue a push delivery must be before the reconciler re-enqueues it (its lease, if
    /// any, must also have expired).</summary>
    public TimeSpan ReconcileGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one push attempt holds its delivery against other workers; it must exceed
    /// <see cref="PushTimeout"/> and the timeout of a forward to another hub (<c>Hub:Parent:RequestTimeout</c>).
    /// The hub refuses to start when it does not (<see cref="Validate"/>).
    /// Null: see <see cref="LeaseFor"/>. After a crash, a delivery whose attempt was cut short is
    /// retried once its lease has expired.</summary>
    public TimeSpan? Lease { get; set; }

    /// <summary>The lease one attempt holds: <see cref="Lease"/> when set; otherwise twice the longer of
    /// <see cref="PushTimeout"/> and <paramref name="hubRequestTimeout"/>, plus 30 seconds.</summary>
    /// <param name="hubRequestTimeout">The timeout of one call to another hub (<c>Hub:Parent:RequestTimeout</c>):
    /// an attempt may be a forward to a hub rather than a push to an agency.</param>
    public TimeSpan LeaseFor(TimeSpan hubRequestTimeout)
    {
        // An attempt that outlives its lease can be claimed again and pushed twice at once.
        var longestCall = PushTimeout > hubRequestTimeout ? PushTimeout : hubRequestTimeout;
        return Lease ?? longestCall * 2 + TimeSpan.FromSeconds(30);
    }

    /// <summary>Refuses a <see cref="Lease"/> set no longer than the longest call it guards: an attempt
    /// that outlives its lease can be claimed again by another worker and sent twice at once.</summary>
    /// <param name="hubRequestTimeout">The timeout of one call to another hub (<c>Hub:Parent:RequestTimeout</c>).</param>
    /// <exception cref="InvalidOperationException">The lease does not exceed both timeouts; the message
    /// names the three settings and their values.</exception>
    public void Validate(TimeSpan hubRequestTimeout)
    {
        if (Lease is { } lease && (lease <= PushTimeout || lease <= hubRequestTimeout))
        {
            throw new InvalidOperationException(
                $"Hub:Delivery:Lease is {lease}; it must exceed Hub:Delivery:PushTimeout ({PushTimeout}) and Hub:Parent:RequestTimeout "
                + $"({hubRequestTimeout}), or an attempt that outlives its lease can be claimed again and sent twice. "
                + "Raise the lease, lower the timeout, or leave the lease unset (twice the longer timeout plus 30 seconds).");
        }
    }

    /// <summary>Background workers per instance.</summary>
    public int Workers { get; set; } = 10;

    /// <summary>How long a lock of the job system (the reconciler's, the recurring and delayed job
    /// schedulers') may stay held before another instance removes it as abandoned. A lock left by a
    /// crashed instance holds those jobs back until then.</summary>
    public TimeSpan JobLockTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often this instance polls for jobs other instances enqueued, and for due scheduled jobs.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
