using System.Diagnostics.CodeAnalysis;
using Prometheus;

namespace Lgsp.Server.Observability;

// The ledger: unsealed entries and seal lag (read at scrape time), what sealing wrote.
public sealed partial class HubMetrics
{
    private Gauge _unsealed;
    private Gauge _sealLag;
    private Counter _checkpoints;
    private Counter _sealedEntries;

    [MemberNotNull(nameof(_unsealed), nameof(_sealLag), nameof(_checkpoints), nameof(_sealedEntries))]
    private void CreateLedger(MetricFactory factory)
    {
        _unsealed = factory.CreateGauge("lgsp_ledger_unsealed_entries", "Ledger entries not yet covered by a checkpoint.");
        _sealLag = factory.CreateGauge("lgsp_ledger_seal_lag_seconds", "Age of the oldest unsealed ledger entry (0 when all are sealed).");
        _checkpoints = factory.CreateCounter("lgsp_ledger_checkpoints_total", "Signed ledger checkpoints written by this instance.");
        _sealedEntries = factory.CreateCounter("lgsp_ledger_sealed_entries_total", "Ledger entries sealed by this instance.");
    }

    /// <summary>Counts what one sealing round wrote.</summary>
    public void Sealed(int checkpoints, long entries)
    {
        _checkpoints.Inc(checkpoints);
        _sealedEntries.Inc(entries);
    }
}
