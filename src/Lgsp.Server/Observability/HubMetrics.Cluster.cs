using System.Diagnostics.CodeAnalysis;
using Prometheus;

namespace Lgsp.Server.Observability;

// The private PostgreSQL cluster this hub started.
public sealed partial class HubMetrics
{
    private Counter _clusterRestarts;
    private Gauge _clusterUp;

    [MemberNotNull(nameof(_clusterRestarts), nameof(_clusterUp))]
    private void CreateCluster(MetricFactory factory)
    {
        _clusterRestarts = factory.CreateCounter("lgsp_cluster_restarts_total", "Times this hub started its private PostgreSQL cluster again after it died.");
        _clusterUp = factory.CreateGauge("lgsp_cluster_up", "1 while the private PostgreSQL cluster this hub started runs, 0 while it is down (absent without one).",
            new GaugeConfiguration { SuppressInitialValue = true });
    }

    /// <summary>Records whether the private cluster runs.</summary>
    public void ClusterUp(bool up) => _clusterUp.Set(up ? 1 : 0);

    /// <summary>Counts a restart of the private cluster.</summary>
    public void ClusterRestarted() => _clusterRestarts.Inc();
}
