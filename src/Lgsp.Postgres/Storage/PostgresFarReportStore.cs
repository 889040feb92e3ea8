using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;

namespace Lgsp.Postgres.Storage;

/// <summary>Far outcomes reported up the tree (<see cref="IFarReportStore"/>, migration 0025, ADR 0020).</summary>
/// <remarks>The parent's changes are one transaction each: the delivery changes and its ledger entry is
/// appended, or, when it is already final, nothing happens.</remarks>
public sealed class PostgresFarReportStore(NpgsqlDataSource dataSource) : IFarReportStore
{
    // A hand-off down to the child that no report made final yet.
    private const string HandedDown = "d.mode = 'pull' AND d.via_hub = $2 AND d.state <> 'failed' AND d.far_confirmed_at IS NULL";

    // Final here: failed, or acknowledged by its recipient (a hand-off further down only once its own
    // child reported it confirmed), as FarOutcome.Of says.
    private const string Final = """
        (d.state = 'failed' OR (d.state = 'acknowledged' AND NOT (d.mode = 'pull' AND d.via_hub IS NOT NULL AND d.far_confirmed_at IS NULL)))
        """;

    /// <inheritdoc />
    public async Task<bool> MarkPulledAsync(long packageId, string to, string hub, string docId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE lgsp.delivery SET upstream_hub = $3, upstream_doc_id = $4
            WHERE id = (SELECT id FROM lgsp.delivery WHERE package_id = $1 AND (recipient = $2 OR addressed_to = $2) AND upstream_doc_id IS NULL
                        ORDER BY id LIMIT 1)
            """);
        command.Parameters.AddWithValue(packageId);
        command.Parameters.AddWithValue(to);
        command.Parameters.AddWithValue(hub);
        command.Parameters.AddWithValue(docId);
        return await command.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutcomeToReport>> ToReportAsync(string hub, int max, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT d.id, d.upstream_doc_id, d.state, d.last_error_code, d.last_error FROM lgsp.delivery d
            WHERE d.upstream_hub = $1 AND d.reported_at IS NULL AND d.upstream_doc_id IS NOT NULL AND {Final}
            ORDER BY d.id LIMIT $2
            """);
        command.Parameters.AddWithValue(hub);
        command.Parameters.AddWithValue(max);
        var items = new List<OutcomeToReport>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(new OutcomeToReport(reader.GetInt64(0), reader.GetString(1), Words.State(reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return items;
    }

    /// <inheritdoc />
    public async Task MarkReportedAsync(IReadOnlyCollection<long> deliveryIds, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("UPDATE lgsp.delivery SET reported_at = $2 WHERE id = ANY($1) AND reported_at IS NULL");
        command.Parameters.AddWithValue(deliveryIds.ToArray());
        command.Parameters.AddWithValue(at);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <inheritdoc />
    public Task<bool> RecordConfirmedBelowAsync(long deliveryId, string childHub, DateTimeOffset at, CancellationToken ct = default) =>
        ChangeAsync(deliveryId, childHub, at,
            "state = 'acknowledged', acknowledged_at = coalesce(d.acknowledged_at, $3), delivered_at = coalesce(d.delivered_at, $3), far_confirmed_at = $3", [],
            d => DeliveryEntries.AcknowledgedBeyond(d, childHub, at), ct);

    /// <inheritdoc />
    public Task<bool> RecordFailedBelowAsync(long deliveryId, string childHub, string errorCode, string reason, DateTimeOffset at, CancellationToken ct = default) =>
        ChangeAsync(deliveryId, childHub, at, "state = 'failed', last_error = $4, last_error_code = $5, failed_at = $3, lease_until = NULL", [reason, errorCode],
            d => DeliveryEntries.FailedBeyond(d, childHub, errorCode, reason, at), ct);

    private Task<bool> ChangeAsync(long deliveryId, string childHub, DateTimeOffset at, string set, string[] texts,
        Func<DeliveryConcerned, NewLedgerEntry> entry, CancellationToken ct) =>
        DeliveryTransition.ApplyAsync(dataSource, deliveryId, set, HandedDown, [childHub, at, .. texts], entry, ct);
}
