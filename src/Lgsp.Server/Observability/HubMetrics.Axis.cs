using System.Diagnostics.CodeAnalysis;
using Prometheus;

namespace Lgsp.Server.Observability;

// Axis-protocol requests and stale timestamps.
public sealed partial class HubMetrics
{
    private Counter _axisRequests;
    private Counter _axisStale;

    [MemberNotNull(nameof(_axisRequests), nameof(_axisStale))]
    private void CreateAxis(MetricFactory factory)
    {
        _axisRequests = factory.CreateCounter("lgsp_axis_requests_total", "Axis-protocol requests, by operation.", "operation");
        _axisStale = factory.CreateCounter("lgsp_axis_stale_timestamps_total", "Axis-protocol requests whose signed timestamp was stale or unreadable (accepted: the SDK freezes it), by operation.", "operation");
    }

    /// <summary>Counts an axis-protocol request.</summary>
    public void AxisRequest(string operation) => _axisRequests.WithLabels(operation).Inc();

    /// <summary>Counts an axis-protocol request with a stale timestamp. By operation, never by client
    /// system: <c>/metrics</c> may be open to scrapers, and the log names the system.</summary>
    public void AxisStaleTimestamp(string operation) => _axisStale.WithLabels(operation).Inc();
}
