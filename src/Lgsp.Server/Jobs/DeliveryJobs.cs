using Hangfire;
using Hangfire.Common;
using Hangfire.Storage.Monitoring;
using Lgsp.Exchange.Delivery;

namespace Lgsp.Server.Jobs;

/// <summary>The background jobs. They carry only ids: the system of record is our own tables, and a
/// job that runs twice does no harm (the delivery row is leased and its state checked).</summary>
public sealed class DeliveryJobs(PushDeliveries pushes, ILogger<DeliveryJobs> log)
{
    /// <summary>The queue push jobs run on.</summary>
    public const string Queue = "deliver";

    /// <summary>The reconciler's recurring job id.</summary>
    public const string ReconcilerId = "reconcile-deliveries";

    /// <summary>One push attempt. Our own backoff schedules the next one, so Hangfire does not retry.</summary>
    [AutomaticRetry(Attempts = 0)]
    [Queue(Queue)]
    public async Task PushAsync(long deliveryId, CancellationToken ct)
    {
        var state = await pushes.RunAsync(deliveryId, ct);
        log.LogInformation("Push delivery {DeliveryId}: {State}", deliveryId, state?.ToString() ?? "nothing to do");
    }

    /// <summary>Re-enqueues push deliveries left without a live job (a crash between commit and enqueue,
    /// a lost scheduled job).</summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    public async Task ReconcileAsync(CancellationToken ct)
    {
        var count = await pushes.ReconcileAsync(ct: ct);
        if (count > 0)
        {
            log.LogWarning("Reconciler re-enqueued {Count} overdue push deliveries", count);
        }
    }
}

/// <summary><see cref="IDeliveryQueue"/> on Hangfire.</summary>
/// <remarks>Never throws: a lost enqueue is found by the reconciler.</remarks>
public sealed class HangfireDeliveryQueue(IBackgroundJobClient jobs, JobStorage storage, ILogger<HangfireDeliveryQueue> log) : IDeliveryQueue
{
    // Jobs read from the monitoring API per query.
    private const int Page = 5000;

    /// <inheritdoc />
    public void Enqueue(long deliveryId)
    {
        try
        {
            jobs.Enqueue<DeliveryJobs>(j => j.PushAsync(deliveryId, CancellationToken.None));
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Could not enqueue push delivery {DeliveryId}; the reconciler will", deliveryId);
        }
    }

    /// <inheritdoc />
    public void Schedule(long deliveryId, DateTimeOffset at)
    {
        try
        {
            // Hangfire's PostgreSQL storage keeps schedule times in whole seconds and may start a job up
            // to a second early; starting it a little late keeps the backoff honest.
            var notBefore = new DateTimeOffset((at.UtcTicks / TimeSpan.TicksPerSecond + 1) * TimeSpan.TicksPerSecond, TimeSpan.Zero);
            jobs.Schedule<DeliveryJobs>(j => j.PushAsync(deliveryId, CancellationToken.None), notBefore);
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Could not schedule push delivery {DeliveryId}; the reconciler will", deliveryId);
        }
    }

    /// <inheritdoc />
    /// <remarks>Reads every push job queued on <see cref="DeliveryJobs.Queue"/>, scheduled or processing,
    /// page by page; a job that changes state between two pages may be missed, which costs at most one
    /// job that ends with nothing to do.</remarks>
    public IReadOnlySet<long> WithLiveJobs(DateTimeOffset runningSince)
    {
        var monitoring = storage.GetMonitoringApi();
        var live = new HashSet<long>();
        Collect(live, from => monitoring.EnqueuedJobs(DeliveryJobs.Queue, from, Page), j => j.Job);
        Collect(live, from => monitoring.ScheduledJobs(from, Page), j => j.Job);
        Collect(live, from => monitoring.ProcessingJobs(from, Page), j => j.StartedAt is { } started && started < runningSince.UtcDateTime ? null : j.Job);
        return live;
    }

    private static void Collect<T>(HashSet<long> live, Func<int, JobList<T>> page, Func<T, Job?> job)
    {
        for (var from = 0; ; from += Page)
        {
            var jobs = page(from);
            foreach (var (_, dto) in jobs)
            {
                if (job(dto) is { Method.Name: nameof(DeliveryJobs.PushAsync), Args: [long deliveryId, ..] } push && push.Type == typeof(DeliveryJobs))
                {
                    live.Add(deliveryId);
                }
            }

            if (jobs.Count < Page)
            {
                return;
            }
        }
    }
}
