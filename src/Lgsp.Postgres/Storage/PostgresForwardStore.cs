using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;

namespace Lgsp.Postgres.Storage;

/// <summary>The forwards a hub still follows beyond the next hub, and what it records of them
/// (<see cref="IForwardStore"/>).</summary>
/// <remarks>Each change is one transaction: the delivery leaves <c>delivered</c> and its ledger entry is
/// appended, or, when it already left, nothing happens; concurrent or repeated reports cannot record
/// the same change twice.</remarks>
public sealed class PostgresForwardStore(NpgsqlDataSource dataSource) : IForwardStore
{
    // The forwards still on their way: delivered push deliveries via the hub, with its id for the package.
    private const string OnItsWay = "d.state = 'delivered' AND d.mode = 'push' AND d.via_hub = $2";

    /// <inheritdoc />
    public async Task<IReadOnlyList<ForwardOnItsWay>> OnTheirWayAsync(string hub, DateTimeOffset deliveredSince, int max, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT d.id, d.peer_doc_id, d.addressed_to, p.kind FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id
            WHERE {OnItsWay} AND d.peer_doc_id IS NOT NULL AND d.delivered_at >= $1
            ORDER BY d.id LIMIT $3
            """);
        command.Parameters.AddWithValue(deliveredSince);
        command.Parameters.AddWithValue(hub);
        command.Parameters.AddWithValue(max);
        var items = new List<ForwardOnItsWay>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(new ForwardOnItsWay(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), Words.Kind(reader.GetString(3))));
        }

        return items;
    }

    /// <inheritdoc />
    public Task<bool> RecordFailedBeyondAsync(long deliveryId, string hub, string errorCode, string reason, DateTimeOffset at, CancellationToken ct = default) =>
        TransitionAsync(deliveryId, hub, at, "state = 'failed', last_error = $4, last_error_code = $5, failed_at = $3", [reason, errorCode],
            d => DeliveryEntries.FailedBeyond(d, hub, errorCode, reason, at), ct);

    /// <inheritdoc />
    public Task<bool> RecordAcknowledgedBeyondAsync(long deliveryId, string hub, DateTimeOffset at, CancellationToken ct = default) =>
        TransitionAsync(deliveryId, hub, at, "state = 'acknowledged', acknowledged_at = $3", [],
            d => DeliveryEntries.AcknowledgedBeyond(d, hub, at), ct);

    // $2 is the hub (in OnItsWay), $3 the time, then the texts.
    private Task<bool> TransitionAsync(long deliveryId, string hub, DateTimeOffset at, string set, string[] texts,
        Func<DeliveryConcerned, NewLedgerEntry> entry, CancellationToken ct) =>
        DeliveryTransition.ApplyAsync(dataSource, deliveryId, set, OnItsWay, [hub, at, .. texts], entry, ct);
}
