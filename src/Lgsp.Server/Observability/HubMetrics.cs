using Lgsp.Exchange.Storage;
using Prometheus;

namespace Lgsp.Server.Observability;

/// <summary>The hub's metrics, exposed at <c>/metrics</c> in the Prometheus text format: packages
/// accepted and refused (by code), accept latency, deliveries by state, the job queue's depth and
/// the ledger's unsealed entries and seal lag (read at scrape time), checkpoints and entries sealed
/// by this instance.</summary>
/// <remarks>One registry per hub instance, so several hubs in one process (tests) do not mix. Thread safe.</remarks>
public sealed class HubMetrics
{
    private readonly Counter _accepted;
    private readonly Counter _refused;
    private readonly Histogram _acceptSeconds;
    private readonly Gauge _deliveries;
    private readonly Gauge _queue;
    private readonly Counter _axisRequests;
    private readonly Counter _axisStale;
    private readonly Gauge _unsealed;
    private readonly Gauge _sealLag;
    private readonly Counter _checkpoints;
    private readonly Counter _sealedEntries;
    private readonly Counter _limited;
    private readonly Counter _secretChecks;
    private readonly Counter _clusterRestarts;
    private readonly Gauge _clusterUp;
    private readonly Counter _tokensRefused;
    private readonly Gauge _budgetBytes;
    private readonly Gauge _budgetInUse;
    private readonly Counter _budgetWaits;
    private readonly Counter _budgetRefusals;

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
        _axisRequests = factory.CreateCounter("lgsp_axis_requests_total", "Axis-protocol requests, by operation.", "operation");
        _axisStale = factory.CreateCounter("lgsp_axis_stale_timestamps_total", "Axis-protocol requests whose signed timestamp was stale or unreadable (accepted: the SDK freezes it), by operation.", "operation");
        _unsealed = factory.CreateGauge("lgsp_ledger_unsealed_entries", "Ledger entries not yet covered by a checkpoint.");
        _sealLag = factory.CreateGauge("lgsp_ledger_seal_lag_seconds", "Age of the oldest unsealed ledger entry (0 when all are sealed).");
        _checkpoints = factory.CreateCounter("lgsp_ledger_checkpoints_total", "Signed ledger checkpoints written by this instance.");
        _sealedEntries = factory.CreateCounter("lgsp_ledger_sealed_entries_total", "Ledger entries sealed by this instance.");
        _limited = factory.CreateCounter("lgsp_requests_limited_total", "Requests held off with HTTP 429 (503 for memory), by door and limit (address, system, large-body, login, memory).", "door", "limit");
        _secretChecks = factory.CreateCounter("lgsp_secret_checks_total", "Client-system and administrator secrets checked (system: a PBKDF2 derivation; axis: an HMAC check; admin): what the login throttle spares.", "kind");
        _clusterRestarts = factory.CreateCounter("lgsp_cluster_restarts_total", "Times this hub started its private PostgreSQL cluster again after it died.");
        _clusterUp = factory.CreateGauge("lgsp_cluster_up", "1 while the private PostgreSQL cluster this hub started runs, 0 while it is down (absent without one).",
            new GaugeConfiguration { SuppressInitialValue = true });
        _tokensRefused = factory.CreateCounter("lgsp_tokens_refused_total", "Gateway bearer tokens refused (401, or 403 without the admin right), by door and reason.", "door", "reason");
        _budgetBytes = factory.CreateGauge("lgsp_memory_budget_bytes", "The memory budget large requests in flight share (Hub:Limits:MemoryBudget:Bytes).");
        _budgetInUse = factory.CreateGauge("lgsp_memory_budget_in_use_bytes", "Bytes of the memory budget reserved by large requests in flight.");
        _budgetWaits = factory.CreateCounter("lgsp_memory_budget_waits_total", "Large requests that had to wait for room in the memory budget.");
        _budgetRefusals = factory.CreateCounter("lgsp_memory_budget_refusals_total", "Large requests refused (503 HubBusy) because the memory budget had no room within the wait.");
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

    /// <summary>Counts an axis-protocol request.</summary>
    public void AxisRequest(string operation) => _axisRequests.WithLabels(operation).Inc();

    /// <summary>Counts an axis-protocol request with a stale timestamp. By operation, never by client
    /// system: <c>/metrics</c> may be open to scrapers, and the log names the system.</summary>
    public void AxisStaleTimestamp(string operation) => _axisStale.WithLabels(operation).Inc();

    /// <summary>Counts what one sealing round wrote.</summary>
    public void Sealed(int checkpoints, long entries)
    {
        _checkpoints.Inc(checkpoints);
        _sealedEntries.Inc(entries);
    }

    /// <summary>Counts a refusal.</summary>
    public void Refused(string operation, string code) => _refused.WithLabels(operation, code).Inc();

    /// <summary>Counts a request held off by a limit. By door and limit only, never by caller.</summary>
    public void Limited(string door, string limit) => _limited.WithLabels(door, limit).Inc();

    /// <summary>Sets the memory budget's size and the bytes reserved now.</summary>
    public void MemoryBudget(long bytes, long inUse)
    {
        _budgetBytes.Set(bytes);
        _budgetInUse.Set(inUse);
    }

    /// <summary>Counts a large request that waited for room in the memory budget.</summary>
    public void MemoryBudgetWaited() => _budgetWaits.Inc();

    /// <summary>Counts a large request the memory budget refused.</summary>
    public void MemoryBudgetRefused() => _budgetRefusals.Inc();

    /// <summary>Counts one secret check (<c>system</c>: a PBKDF2 derivation; <c>axis</c>: an HMAC check; <c>admin</c>).</summary>
    public void SecretChecked(string kind) => _secretChecks.WithLabels(kind).Inc();

    /// <summary>Counts a refused bearer token. By door and reason only, never by client system.</summary>
    public void TokenRefused(string door, string reason) => _tokensRefused.WithLabels(door, reason).Inc();

    /// <summary>Secret checks made so far of <paramref name="kind"/>.</summary>
    public double SecretChecks(string kind) => _secretChecks.WithLabels(kind).Value;

    /// <summary>Records whether the private cluster runs.</summary>
    public void ClusterUp(bool up) => _clusterUp.Set(up ? 1 : 0);

    /// <summary>Counts a restart of the private cluster.</summary>
    public void ClusterRestarted() => _clusterRestarts.Inc();
}
