using System.Diagnostics.CodeAnalysis;
using Prometheus;

namespace Lgsp.Server.Observability;

// The console's data-protection key ring shared in the database.
public sealed partial class HubMetrics
{
    private Gauge _keyRingRefused;

    [MemberNotNull(nameof(_keyRingRefused))]
    private void CreateKeyRing(MetricFactory factory) =>
        _keyRingRefused = factory.CreateGauge("lgsp_console_key_ring_refused",
            "1 while this instance cannot open the console's key ring (sealed with another secret key: KeyRingForeignSeal), 0 otherwise.");

    /// <summary>Reads at each scrape whether the console's key ring is refused on this instance.</summary>
    public void WatchKeyRing(Func<bool> refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        Registry.AddBeforeCollectCallback(() => _keyRingRefused.Set(refused() ? 1 : 0));
    }
}
