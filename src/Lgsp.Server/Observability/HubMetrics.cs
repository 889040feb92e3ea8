using Lgsp.Exchange.Storage;
using Prometheus;

namespace Lgsp.Server.Observability;

/// <summary>The hub's metrics, exposed at <c>/metrics</c> in the Prometheus text format: packages
/// accepted and refused (by code), accept latency, deliveries by state, the job queue's depth and
/// the ledger's unsealed entries and seal lag (read at scrape time), checkpoints and entries sealed
/// by this instance, and the counters of each concern in its partial file.</summary>
/// <remarks>One registry per hub instance, so several hubs in one process (tests) do not mix. Thread safe.
/// Each concern keeps its metrics in its own partial file (<c>HubMetrics.Concern.cs</c>) with a
/// <c>CreateConcern</c> method the constructor calls.</remarks>
public sealed partial class HubMetrics
{
    private readonly Counter _accepted;
    private readonly Counter _refused;
    private readonly Histogram _acceptSeconds;
    private readonly Gauge _deliveries;
    private readonly Gauge _queue;

    /// <summary>Creates the metrics in a fresh registry.</summary>
    public HubMetrics(IStoreMonitor store, IJobQueueMonitor jobs, TimeProvider clock)
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _accepted = factory.CreateCounter("lgsp_packages_accepted_total", "Packages accepted (duplicates included).", "kind", "duplicate");
        _refused = factory.CreateCounter("lgsp_packages_refused_total", "Requests refused, by error code.", "operation", "code");
        _acceptSeconds = factory.CreateHistogram("lgsp_accept_duration_seconds", "Time from request to committed answer for SendDocument/SendStatus.",
            new HistogramConfiguration { LabelNames = ["kind"], Buckets = Histogram.ExponentialBuckets(0.002, 2, 14) });
        _deliveries = factory.CreateGauge("lgsp_deliveries", "Deliveries by state.", "state");
        _queue = factory.CreateGauge("lgsp_queue_depth", "Background jobs waiting, by kind.", "kind");
        CreateAxis(factory);
        CreateLedger(factory);
        CreateLimits(factory);
        CreateAuth(factory);
        CreateCluster(factory);
        CreateKeyRing(factory);
        Registry.AddBeforeCollectCallback(async ct =>
        {
            var figures = await store.ReadFiguresAsync(ct);
            foreach (var (state, count) in figures.Deliveries)
            {
                _deliveries.WithLabels(state.ToString().ToLowerInvariant()).Set(count);
            }

            _unsealed.Set(figures.UnsealedEntries);
            _sealLag.Set(figures.OldestUnsealedAt is { } oldest ? Math.Max(0, (clock.GetUtcNow() - oldest).TotalSeconds) : 0);

            var queue = jobs.ReadFigures();
            _queue.WithLabels("enqueued").Set(queue.Enqueued);
            _queue.WithLabels("scheduled").Set(queue.Scheduled);
            _queue.WithLabels("processing").Set(queue.Processing);
        });
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Counts an accepted package.</summary>
    public void Accepted(string kind, bool duplicate, TimeSpan elapsed)
    {
        _accepted.WithLabels(kind, duplicate ? "true" : "false").Inc();
        _acceptSeconds.WithLabels(kind).Observe(elapsed.TotalSeconds);
    }

    /// <summary>Counts a refusal.</summary>
    public void Refused(string operation, string code) => _refused.WithLabels(operation, code).Inc();
}
