using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;
using static Lgsp.Postgres.Storage.PostgresPackageStore;

namespace Lgsp.Postgres.Storage;

/// <summary><see cref="IDeliveryStore"/> and <see cref="IReplayStore"/> on PostgreSQL: a claim is a
/// lease on the delivery row, so several workers and hub instances never push the same delivery at once.</summary>
/// <remarks>Thread safe.</remarks>
public sealed partial class PostgresDeliveryStore(NpgsqlDataSource dataSource) : IDeliveryStore, IReplayStore
{
    // Instances' clocks may differ slightly.
    private static readonly TimeSpan DueTolerance = TimeSpan.FromMilliseconds(250);

    /// <inheritdoc />
    public async Task<PushWork?> ClaimPushAsync(long deliveryId, DateTimeOffset now, TimeSpan lease, int maxGroup = RetryPolicy.DefaultForwardGroup, CancellationToken ct = default)
    {
        // A delivery via another hub goes to that hub, whatever endpoint an agency of that name has here;
        // a code beyond the parent has no agency row at all.
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
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
                d.attempts, p.from_agency, d.via_hub, d.addressed_to, p.hops, p.receipt, d.attempt_base, d.lease_until, p.legacy
            """, connection, tx))
        {
            command.Parameters.AddWithValue(deliveryId);
            command.Parameters.AddWithValue(now + lease);
            command.Parameters.AddWithValue(now);
            command.Parameters.AddWithValue(now + DueTolerance);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                await reader.DisposeAsync();
                await tx.CommitAsync(ct);
                return null;
            }

            via = NullableString(reader, 9);
            var packageId = reader.GetInt64(1);
            // The body is not read here: the transport opens it when it sends, and streams it.
            work = new PushWork(reader.GetInt64(0), packageId, Words.Kind(reader.GetString(2)), reader.GetString(3),
                Words.Hex(reader.GetFieldValue<byte[]>(4)), reader.GetString(5), reader.IsDBNull(6) ? null : new Uri(reader.GetString(6)), reader.GetInt32(7),
                token => OpenBodyAsync(dataSource, packageId, token), AddressedTo: reader.GetString(10), Hops: reader.GetFieldValue<string[]>(11),
                Receipt: reader.GetFieldValue<byte[]>(12), AttemptBase: reader.GetInt32(13))
            {
                LeaseUntil = reader.GetFieldValue<DateTimeOffset>(14),
                From = reader.GetString(8),
                Legacy = reader.GetBoolean(15),
            };
        }

        // The attempt is on record from the moment it is claimed: a hub killed mid-push leaves a started
        // attempt without an outcome, which is what happened.
        await LedgerWriter.AppendAsync(tx, AttemptEntries.Started(work, via, now), ct: ct);
        if (via is not null)
        {
            work = work with { Via = await PostgresDirectoryStore.FindHubAsync(connection, via, ct) };
            if (maxGroup > 1)
            {
                work = work with { Companions = await ClaimCompanionsAsync(connection, tx, work, via, now, maxGroup - 1, ct) };
            }
        }

        await tx.CommitAsync(ct);
        return work;
    }

    /// <inheritdoc />
    public async Task<bool> RecordPushAsync(PushRecord record, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var outcome = record.NewState == Exchange.Storage.DeliveryState.Delivered ? "delivered" : record.Permanent ? "permanent" : "transient";
        await using (var attempt = new NpgsqlCommand("""
            INSERT INTO lgsp.delivery_attempt (delivery_id, number, started_at, finished_at, outcome, error, error_code) VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, connection, tx))
        {
            attempt.Parameters.AddWithValue(record.DeliveryId);
            attempt.Parameters.AddWithValue(record.Attempt);
            attempt.Parameters.AddWithValue(record.StartedAt);
            attempt.Parameters.AddWithValue(record.FinishedAt);
            attempt.Parameters.AddWithValue(outcome);
            attempt.Parameters.Add(Nullable(record.Error));
            attempt.Parameters.Add(Nullable(record.ErrorCode));
            await attempt.ExecuteNonQueryAsync(ct);
        }

        // Only a delivery still waiting for a push under this attempt's lease takes its outcome: one the
        // recipient confirmed or refused, a replay, or a later claim (this lease expired) took over
        // meanwhile keeps its state (the attempt stays on record, it did happen).
        DeliveryConcerned concerned;
        await using (var update = new NpgsqlCommand("""
            UPDATE lgsp.delivery d SET attempts = $2, state = $3, last_error = $4, next_attempt_at = $5, lease_until = NULL,
                delivered_at = CASE WHEN $3 = 'delivered' THEN $6 ELSE d.delivered_at END,
                failed_at = CASE WHEN $3 = 'failed' THEN $6 ELSE d.failed_at END,
                last_error_code = $7, peer_doc_id = coalesce($8, d.peer_doc_id)
            FROM lgsp.package p
            WHERE d.id = $1 AND p.id = d.package_id AND d.state IN ('pending', 'retrying')
              AND d.lease_until IS NOT DISTINCT FROM $9
            RETURNING p.id, p.document_id, d.recipient
            """, connection, tx))
        {
            update.Parameters.AddWithValue(record.DeliveryId);
            update.Parameters.AddWithValue(record.Attempt);
            update.Parameters.AddWithValue(Words.Of(record.NewState));
            update.Parameters.Add(Nullable(record.Error));
            update.Parameters.Add(new NpgsqlParameter { Value = (object?)record.NextAttemptAt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
            update.Parameters.AddWithValue(record.FinishedAt);
            update.Parameters.Add(Nullable(record.ErrorCode));
            update.Parameters.Add(new NpgsqlParameter { Value = (object?)record.PeerDocId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            update.Parameters.Add(new NpgsqlParameter { Value = (object?)record.LeaseUntil ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
            await using var reader = await update.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                await reader.DisposeAsync();
                await tx.CommitAsync(ct);
                return false;
            }

            concerned = new DeliveryConcerned(reader.GetInt64(0), reader.GetString(1), record.DeliveryId, reader.GetString(2));
        }

        await LedgerWriter.AppendAsync(tx, AttemptEntries.Ended(concerned, record), ct: ct);
        if (record.NewState == Exchange.Storage.DeliveryState.Failed)
        {
            await LedgerWriter.AppendAsync(tx, DeliveryEntries.FailedAfterAttempt(concerned, record), ct: ct);
        }

        await tx.CommitAsync(ct);
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OverdueGroup>> OverduePushesAsync(DateTimeOffset dueBefore, int max, long afterLead = 0, CancellationToken ct = default)
    {
        // One group per job (ADR 0017): a package's overdue deliveries via a hub together, since the claim
        // of the first takes the others along where a job each would race to split the upload.
        await using var command = dataSource.CreateCommand("""
            SELECT array_agg(id ORDER BY id) FROM lgsp.delivery
            WHERE mode = 'push' AND state IN ('pending', 'retrying')
              AND (coalesce(next_attempt_at, created_at) < $1
                   -- Replayed and not attempted since: the command line replays without a job queue, so
                   -- the reconciler's next run is what starts it; no grace to wait for.
                   OR (replayed_at IS NOT NULL AND attempts = attempt_base AND next_attempt_at <= now()))
              AND (lease_until IS NULL OR lease_until < now())
            GROUP BY package_id, coalesce(via_hub, id::text)
            HAVING min(id) > $3
            ORDER BY min(id) LIMIT $2
            """);
        command.Parameters.AddWithValue(dueBefore);
        command.Parameters.AddWithValue(max);
        command.Parameters.AddWithValue(afterLead);
        var groups = new List<OverdueGroup>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            groups.Add(new OverdueGroup(reader.GetFieldValue<long[]>(0)));
        }

        return groups;
    }

    /// <inheritdoc />
    public async Task<ReplayItem> ReplayAsync(long deliveryId, ReplayRoute route, ReplayNote note, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(route);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);

        // The row lock orders a replay after a push outcome or a confirmation being recorded meanwhile.
        string state;
        ReplayRoute previousRoute;
        long packageId;
        await using (var read = new NpgsqlCommand("SELECT state, recipient, mode, via_hub, package_id FROM lgsp.delivery WHERE id = $1 FOR UPDATE", connection, tx))
        {
            read.Parameters.AddWithValue(deliveryId);
            await using var reader = await read.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return new ReplayItem(deliveryId, ReplayOutcome.NotFound, null);
            }

            state = reader.GetString(0);
            previousRoute = new ReplayRoute(reader.GetString(1), Words.Mode(reader.GetString(2)), NullableString(reader, 3));
            packageId = reader.GetInt64(4);
        }

        if (Words.State(state) is not Exchange.Storage.DeliveryState.Failed and var other)
        {
            var outcome = other is Exchange.Storage.DeliveryState.Delivered or Exchange.Storage.DeliveryState.Acknowledged
                ? ReplayOutcome.AlreadyDelivered
                : ReplayOutcome.NotFailed;
            return new ReplayItem(deliveryId, outcome, null);
        }

        // One delivery per (package, recipient): a successor that already has its own stays the one.
        if (route.Recipient != previousRoute.Recipient && await OtherDeliveryAsync(connection, tx, packageId, route.Recipient, ct) is { } existing)
        {
            return new ReplayItem(deliveryId, ReplayOutcome.NoRoute, null)
            {
                NoRoute = $"its route now leads to {route.Recipient}, which already has delivery {existing} of this package",
            };
        }

        // The earlier attempts stay as they are; attempt_base makes the retry limit count from here. The
        // route is the one the current directory gives (the caller routed it again).
        DeliveryConcerned concerned;
        Exchange.Storage.DeliveryState newState;
        string? previousError, previousErrorCode;
        await using (var update = new NpgsqlCommand("""
            UPDATE lgsp.delivery d SET
                recipient = $3, mode = $4, via_hub = $5,
                state = CASE WHEN $4 = 'push' THEN 'retrying' ELSE 'pending' END,
                next_attempt_at = CASE WHEN $4 = 'push' THEN $2 END,
                attempt_base = d.attempts, replayed_at = $2, lease_until = NULL,
                -- Its next outcome is reported up again, and a hand-off down is followed again (ADR 0020).
                reported_at = NULL, far_confirmed_at = NULL
            FROM lgsp.package p
            WHERE d.id = $1 AND p.id = d.package_id
            RETURNING p.id, p.document_id, d.recipient, d.state, d.last_error, d.last_error_code
            """, connection, tx))
        {
            update.Parameters.AddWithValue(deliveryId);
            update.Parameters.AddWithValue(at);
            update.Parameters.AddWithValue(route.Recipient);
            update.Parameters.AddWithValue(Words.Of(route.Mode));
            update.Parameters.Add(Nullable(route.Via));
            await using var reader = await update.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            concerned = new DeliveryConcerned(reader.GetInt64(0), reader.GetString(1), deliveryId, reader.GetString(2));
            newState = Words.State(reader.GetString(3));
            (previousError, previousErrorCode) = (NullableString(reader, 4), NullableString(reader, 5));
        }

        await LedgerWriter.AppendAsync(tx,
            DeliveryEntries.Replayed(concerned, note, Words.State(state), previousError, previousErrorCode, newState, at, previousRoute, route), ct: ct);
        await tx.CommitAsync(ct);
        return new ReplayItem(deliveryId, ReplayOutcome.Replayed, null, newState) { Route = route };
    }

    private static async Task<long?> OtherDeliveryAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long packageId, string recipient, CancellationToken ct)
    {
        await using var find = new NpgsqlCommand("SELECT id FROM lgsp.delivery WHERE package_id = $1 AND recipient = $2", connection, tx);
        find.Parameters.AddWithValue(packageId);
        find.Parameters.AddWithValue(recipient);
        return await find.ExecuteScalarAsync(ct) as long?;
    }
}
