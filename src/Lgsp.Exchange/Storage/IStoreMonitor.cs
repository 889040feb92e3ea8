namespace Lgsp.Exchange.Storage;

/// <summary>The store's figures the hub's metrics show.</summary>
/// <param name="Deliveries">Deliveries by state; every state is present, zero when it has none.</param>
/// <param name="UnsealedEntries">Ledger entries not yet covered by a checkpoint.</param>
/// <param name="OldestUnsealedAt">When the oldest of them was written; null when every entry is sealed.</param>
public sealed record StoreFigures(IReadOnlyDictionary<DeliveryState, long> Deliveries, long UnsealedEntries, DateTimeOffset? OldestUnsealedAt);

/// <summary>What the store tells about itself to metrics and readiness checks, read when they ask.</summary>
/// <remarks>Implementations are thread safe.</remarks>
public interface IStoreMonitor
{
    /// <summary>Reads the figures now.</summary>
    /// <exception cref="Exception">The store cannot be reached.</exception>
    Task<StoreFigures> ReadFiguresAsync(CancellationToken ct = default);

    /// <summary>Asks the store for a trivial answer.</summary>
    /// <returns>Null when it answers; otherwise why it did not (unreachable, timed out, no connection free).</returns>
    Task<Exception?> ProbeAsync(CancellationToken ct = default);
}
