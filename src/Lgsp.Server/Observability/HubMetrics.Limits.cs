using System.Diagnostics.CodeAnalysis;
using Prometheus;

namespace Lgsp.Server.Observability;

// Requests held off by limits, and the memory budget.
public sealed partial class HubMetrics
{
    private Counter _limited;
    private Gauge _budgetBytes;
    private Gauge _budgetInUse;
    private Counter _budgetWaits;
    private Counter _budgetRefusals;

    [MemberNotNull(nameof(_limited), nameof(_budgetBytes), nameof(_budgetInUse), nameof(_budgetWaits), nameof(_budgetRefusals))]
    private void CreateLimits(MetricFactory factory)
    {
        _limited = factory.CreateCounter("lgsp_requests_limited_total", "Requests held off with HTTP 429 (503 for memory), by door and limit (address, system, large-body, login, memory).", "door", "limit");
        _budgetBytes = factory.CreateGauge("lgsp_memory_budget_bytes", "The memory budget large requests in flight share (Hub:Limits:MemoryBudget:Bytes).");
        _budgetInUse = factory.CreateGauge("lgsp_memory_budget_in_use_bytes", "Bytes of the memory budget reserved by large requests in flight.");
        _budgetWaits = factory.CreateCounter("lgsp_memory_budget_waits_total", "Large requests that had to wait for room in the memory budget.");
        _budgetRefusals = factory.CreateCounter("lgsp_memory_budget_refusals_total", "Large requests refused (503 HubBusy) because the memory budget had no room within the wait.");
    }

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
}
