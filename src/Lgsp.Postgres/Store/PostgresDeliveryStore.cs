using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;
using static Lgsp.Postgres.Store.PostgresPackageStore;

namespace Lgsp.Postgres.Store;

/// <summary><see cref="IDeliveryStore"/> on PostgreSQL: a claim is a lease on the delivery row, so
/// several workers and hub instances never push the same delivery at once.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class PostgresDeliveryStore(NpgsqlDataSource dataSource) : IDeliveryStore
{
    // Instances' clocks may differ slightly.
    private static readonly TimeSpan DueTolerance = TimeSpan.FromMilliseconds(250);

    /// <inheritdoc />
    public async Task<PushWork?> ClaimPushAsync(long deliveryId, DateTimeOffset now, TimeSpan lease, CancellationToken ct = default)
    {
        // A delivery via another hub goes to that hub, whatever endpoint an agency of that name has here;
        // a code beyond the parent has no agency row at all.
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        PushWork work;
        string? via;
        await using (var command = new NpgsqlCommand("""
            UPDATE lgsp.delivery d SET lease_until = $2
            FROM lgsp.package p
            WHERE d.id = $1 AND p.id = d.package_id
              AND d.mode = 'push' AND d.state IN ('pending', 'retrying')
              AND (d.lease_until IS NULL OR d.lease_until < $3)
              AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= $4)
            RETURNING d.id, p.id, p.kind, p.document_id, p.sha256, d.recipient,
                CASE WHEN d.via_hub IS NULL THEN (SELECT a.push_endpoint FROM lgsp.agency a WHERE a.code = d.recipient) END,
                d.attempts, p.body, d.via_hub, d.addressed_to, p.hops, p.receipt
            """, connection))
        {
            command.Parameters.AddWithValue(deliveryId);
            command.Parameters.AddWithValue(now + lease);
            command.Parameters.AddWithValue(now);
            command.Parameters.AddWithValue(now + DueTolerance);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            via = NullableString(reader, 9);
            work = new PushWork(reader.GetInt64(0), reader.GetInt64(1), Words.Kind(reader.GetString(2)), reader.GetString(3),
                Words.Hex(reader.GetFieldValue<byte[]>(4)), reader.GetString(5), reader.IsDBNull(6) ? null : new Uri(reader.GetString(6)), reader.GetInt32(7),
                reader.GetFieldValue<byte[]>(8), AddressedTo: reader.GetString(10), Hops: reader.GetFieldValue<string[]>(11), Receipt: reader.GetFieldValue<byte[]>(12));
        }

        return via is null ? work : work with { Via = await PostgresDirectoryStore.FindHubAsync(connection, via, ct) };
    }

    /// <inheritdoc />
    public async Task<bool> RecordPushAsync(PushRecord record, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var outcome = record.NewState == Exchange.Storage.DeliveryState.Delivered ? "delivered" : record.Permanent ? "permanent" : "transient";
        await using (var attempt = new NpgsqlCommand("""
            INSERT INTO lgsp.delivery_attempt (delivery_id, number, started_at, finished_at, outcome, error) VALUES ($1, $2, $3, $4, $5, $6)
            """, connection, tx))
        {
            attempt.Parameters.AddWithValue(record.DeliveryId);
            attempt.Parameters.AddWithValue(record.Attempt);
            attempt.Parameters.AddWithValue(record.StartedAt);
            attempt.Parameters.AddWithValue(record.FinishedAt);
            attempt.Parameters.AddWithValue(outcome);
            attempt.Parameters.Add(Nullable(record.Error));
            await attempt.ExecuteNonQueryAsync(ct);
        }

        // Only a delivery still waiting for a push takes the attempt's outcome: one the recipient
        // confirmed or refused meanwhile keeps its state (the attempt stays on record).
        long packageId;
        string documentId, recipient;
        await using (var update = new NpgsqlCommand("""
            UPDATE lgsp.delivery d SET attempts = $2, state = $3, last_error = $4, next_attempt_at = $5, lease_until = NULL,
                delivered_at = CASE WHEN $3 = 'delivered' THEN $6 ELSE d.delivered_at END, peer_doc_id = coalesce($7, d.peer_doc_id)
            FROM lgsp.package p
            WHERE d.id = $1 AND p.id = d.package_id AND d.state IN ('pending', 'retrying')
            RETURNING p.id, p.document_id, d.recipient
            """, connection, tx))
        {
            update.Parameters.AddWithValue(record.DeliveryId);
            update.Parameters.AddWithValue(record.Attempt);
            update.Parameters.AddWithValue(Words.Of(record.NewState));
            update.Parameters.Add(Nullable(record.Error));
            update.Parameters.Add(new NpgsqlParameter { Value = (object?)record.NextAttemptAt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
            update.Parameters.AddWithValue(record.FinishedAt);
            update.Parameters.Add(new NpgsqlParameter { Value = (object?)record.PeerDocId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await using var reader = await update.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                await reader.DisposeAsync();
                await tx.CommitAsync(ct);
                return false;
            }

            (packageId, documentId, recipient) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
        }

        var delivered = record.NewState == Exchange.Storage.DeliveryState.Delivered;
        await LedgerWriter.AppendAsync(connection, tx, delivered ? LedgerKind.AttemptSucceeded : LedgerKind.AttemptFailed, "hub", record.FinishedAt,
            new
            {
                recipient, attempt = record.Attempt, error = record.Error, permanent = record.Permanent ? true : (bool?)null, nextAttemptAt = record.NextAttemptAt,
                peerDocId = record.PeerDocId, peerReceipt = record.PeerReceipt is { } receipt ? Convert.ToBase64String(receipt) : null,
            },
            packageId, documentId, record.DeliveryId, ct: ct);
        if (record.NewState == Exchange.Storage.DeliveryState.Failed)
        {
            await LedgerWriter.AppendAsync(connection, tx, LedgerKind.DeliveryFailed, "hub", record.FinishedAt,
                new { recipient, reason = record.Error }, packageId, documentId, record.DeliveryId, ct: ct);
        }

        await tx.CommitAsync(ct);
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> OverduePushesAsync(DateTimeOffset dueBefore, int max, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id FROM lgsp.delivery
            WHERE mode = 'push' AND state IN ('pending', 'retrying') AND coalesce(next_attempt_at, created_at) < $1
              AND (lease_until IS NULL OR lease_until < now())
            ORDER BY id LIMIT $2
            """);
        command.Parameters.AddWithValue(dueBefore);
        command.Parameters.AddWithValue(max);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }
}
