using Lgsp.Edxml.Model;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Lgsp.Postgres.Storage;

/// <summary><see cref="IPackageStore"/> on PostgreSQL (schema <c>lgsp</c>).</summary>
/// <remarks>Thread safe: every call takes its own connection from the data source.</remarks>
public sealed class PostgresPackageStore(NpgsqlDataSource dataSource) : IPackageStore
{
    private const string ViewColumns = """
        d.id, d.recipient, d.addressed_to, d.mode, d.state, d.attempts, d.last_error, d.next_attempt_at,
        d.delivered_at, d.acknowledged_at, d.last_status_code, p.document_id, p.from_agency, d.via_hub, d.peer_doc_id, d.last_error_code, d.failed_at
        """;

    /// <inheritdoc />
    public async Task<SaveOutcome> SaveAsync(NewPackage package, IReadOnlyList<NewDelivery> deliveries, Func<ReceiptFacts, byte[]> issueReceipt, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var existing = await FindExistingAsync(connection, package, ct);
        if (existing is not null)
        {
            return await CompleteDuplicateAsync(connection, existing, package, deliveries, ct);
        }

        // The receipt names the ledger position, so both ids are drawn before the inserts; inside the
        // transaction, through lgsp.next_ledger_seq, so the sealer knows the seq is in flight.
        await using var tx = await connection.BeginTransactionAsync(ct);
        long packageId, seq;
        await using (var ids = new NpgsqlCommand("SELECT nextval('lgsp.package_id_seq'), lgsp.next_ledger_seq()", connection, tx))
        await using (var reader = await ids.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            packageId = reader.GetInt64(0);
            seq = reader.GetInt64(1);
        }

        var sha = Words.Hex(package.Sha256);
        var receipt = issueReceipt(new ReceiptFacts(package.Kind, package.From, package.DocumentId, sha, package.Body.Length, package.ReceivedAt, seq,
            package.Hops, package.PreviousReceiptSha256));

        await using (var insert = new NpgsqlCommand("""
            INSERT INTO lgsp.package (id, kind, sender_system, from_agency, document_id, sha256, size, body, received_at,
                business_type, status_code, status_target, code_number, code_notation, subject, legacy, signature,
                signer_subject, signer_sha256, ledger_seq, receipt, hops, previous_receipt_sha256)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
            ON CONFLICT DO NOTHING
            """, connection, tx))
        {
            insert.Parameters.AddWithValue(packageId);
            insert.Parameters.AddWithValue(Words.Of(package.Kind));
            insert.Parameters.AddWithValue(package.SenderSystem);
            insert.Parameters.AddWithValue(package.From);
            insert.Parameters.AddWithValue(package.DocumentId);
            insert.Parameters.AddWithValue(package.Sha256);
            insert.Parameters.AddWithValue(package.Body.Length);
            insert.Parameters.AddWithValue(package.Body);
            insert.Parameters.AddWithValue(package.ReceivedAt);
            insert.Parameters.Add(Nullable(package.BusinessType is { } b ? (short)b : null));
            insert.Parameters.Add(Nullable(package.StatusCode));
            insert.Parameters.Add(Nullable(package.StatusTarget));
            insert.Parameters.Add(Nullable(package.CodeNumber));
            insert.Parameters.Add(Nullable(package.CodeNotation));
            insert.Parameters.Add(Nullable(package.Subject));
            insert.Parameters.AddWithValue(package.Legacy);
            insert.Parameters.AddWithValue(package.Signature);
            insert.Parameters.Add(Nullable(package.SignerSubject));
            insert.Parameters.Add(Nullable(package.SignerSha256));
            insert.Parameters.AddWithValue(seq);
            insert.Parameters.AddWithValue(receipt);
            insert.Parameters.AddWithValue(package.Hops.ToArray());
            insert.Parameters.Add(Nullable(package.PreviousReceiptSha256));
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                // A concurrent send of the same package won the race.
                await tx.RollbackAsync(ct);
                return await FindExistingAsync(connection, package, ct) is { } winner
                    ? await CompleteDuplicateAsync(connection, winner, package, deliveries, ct)
                    : new SaveOutcome(SaveResult.DocumentIdConflict, null, []);
            }
        }

        var at = package.ReceivedAt;
        await LedgerWriter.AppendAsync(tx, PackageEntries.Received(package, packageId), seq, ct);

        var created = await InsertDeliveriesAsync(connection, tx, packageId, package.DocumentId, at, deliveries, ct);

        if (package is { Kind: PackageKind.Status, StatusAbout: var (sender, recipient) })
        {
            await using var update = new NpgsqlCommand("""
                UPDATE lgsp.delivery d SET last_status_code = $1
                FROM lgsp.package p
                WHERE d.package_id = p.id AND p.kind = 'document' AND p.document_id = $2 AND p.from_agency = $3 AND d.recipient = $4
                RETURNING d.id
                """, connection, tx);
            update.Parameters.AddWithValue(package.StatusCode!);
            update.Parameters.AddWithValue(package.DocumentId);
            update.Parameters.AddWithValue(sender);
            update.Parameters.AddWithValue(recipient);
            var updated = new List<long>();
            await using (var reader = await update.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    updated.Add(reader.GetInt64(0));
                }
            }

            await LedgerWriter.AppendAsync(tx, PackageEntries.StatusRouted(package, packageId, updated), ct: ct);
        }

        await tx.CommitAsync(ct);
        return new SaveOutcome(SaveResult.Saved, new Acceptance(packageId, package.DocumentId, sha, at, receipt, seq, false), created);
    }

    // The package is stored already. A hub forwards one recipient per call, so a repeat may ask for
    // recipients the first arrival did not: those deliveries are created now, and the original answer
    // stands. The unique (package, recipient) keeps concurrent repeats from creating one twice.
    private static async Task<SaveOutcome> CompleteDuplicateAsync(NpgsqlConnection connection, SaveOutcome existing, NewPackage package,
        IReadOnlyList<NewDelivery> deliveries, CancellationToken ct)
    {
        if (existing.Result != SaveResult.Duplicate || deliveries.Count == 0)
        {
            return existing;
        }

        var packageId = existing.Acceptance!.PackageId;
        await using var tx = await connection.BeginTransactionAsync(ct);
        var created = await InsertDeliveriesAsync(connection, tx, packageId, existing.Acceptance.DocumentId, package.ReceivedAt, deliveries, ct);
        await tx.CommitAsync(ct);
        return existing with { Deliveries = created };
    }

    // Creates the deliveries a package does not have yet, with their ledger entries. A recipient without
    // a route gets its delivery created failed, with the reason.
    private static async Task<List<(long Id, NewDelivery Delivery)>> InsertDeliveriesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long packageId,
        string documentId, DateTimeOffset at, IReadOnlyList<NewDelivery> deliveries, CancellationToken ct)
    {
        var created = new List<(long, NewDelivery)>();
        foreach (var delivery in deliveries)
        {
            var failed = delivery.FailureCode is not null;
            var lastError = failed ? FailureText(delivery.FailureCode!, delivery.Failure) : null;
            await using var insert = new NpgsqlCommand("""
                INSERT INTO lgsp.delivery (package_id, recipient, addressed_to, mode, state, next_attempt_at, created_at, via_hub, last_error)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (package_id, recipient) DO NOTHING RETURNING id
                """, connection, tx);
            insert.Parameters.AddWithValue(packageId);
            insert.Parameters.AddWithValue(delivery.Recipient);
            insert.Parameters.AddWithValue(delivery.AddressedTo);
            insert.Parameters.AddWithValue(Words.Of(delivery.Mode));
            insert.Parameters.AddWithValue(Words.Of(failed ? DeliveryState.Failed : DeliveryState.Pending));
            insert.Parameters.Add(Nullable(delivery.Mode == DeliveryMode.Push && !failed ? at : null));
            insert.Parameters.AddWithValue(at);
            insert.Parameters.Add(Nullable(delivery.Via));
            insert.Parameters.Add(Nullable(lastError));
            if (await insert.ExecuteScalarAsync(ct) is not long id)
            {
                continue;
            }

            created.Add((id, delivery));
            var concerned = new DeliveryConcerned(packageId, documentId, id, delivery.Recipient);
            if (delivery.AddressedTo != delivery.Recipient)
            {
                await LedgerWriter.AppendAsync(tx, DeliveryEntries.Redirected(concerned, delivery.AddressedTo, at), ct: ct);
            }

            await LedgerWriter.AppendAsync(tx, DeliveryEntries.Created(concerned, delivery.Mode, delivery.Via, at), ct: ct);
            if (failed)
            {
                await LedgerWriter.AppendAsync(tx, DeliveryEntries.FailedWithoutRoute(concerned, delivery.Failure, delivery.FailureCode!, at), ct: ct);
            }
        }

        return created;
    }

    /// <summary>A failed delivery's <c>last_error</c> when the hub knows why by a stable code word: the
    /// code, a colon, the sentence (e.g. <c>unknown-recipient: no route: …</c>).</summary>
    internal static string FailureText(string code, string? reason) => $"{code}: {reason}";

    /// <inheritdoc />
    public async Task RecordRefusalAsync(Refusal refusal, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await LedgerWriter.AppendAsync(tx, PackageEntries.Refused(refusal), ct: ct);
        await tx.CommitAsync(ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PendingItem>> PendingAsync(IReadOnlyCollection<string> recipients, PackageKind kind, int max, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(PendingQuery("d.recipient = ANY($1) AND d.via_hub IS NULL"));
        command.Parameters.AddWithValue(recipients.ToArray());
        command.Parameters.AddWithValue(Words.Of(kind));
        command.Parameters.AddWithValue(max);
        return await ReadPendingAsync(command, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PendingItem>> PendingViaAsync(string hub, string? recipient, PackageKind kind, int max, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(PendingQuery("d.via_hub = $1 AND ($4::text IS NULL OR d.recipient = $4)"));
        command.Parameters.AddWithValue(hub);
        command.Parameters.AddWithValue(Words.Of(kind));
        command.Parameters.AddWithValue(max);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)recipient ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return await ReadPendingAsync(command, ct);
    }

    private static string PendingQuery(string whose) => $"""
        SELECT d.id, p.document_id, p.from_agency, d.recipient, p.code_number, p.code_notation, p.subject, p.status_code, p.received_at, p.size,
            d.state, coalesce(d.delivered_at, d.created_at)
        FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id
        WHERE {whose} AND d.state IN ('pending', 'delivered') AND d.mode = 'pull' AND p.kind = $2
        ORDER BY d.id LIMIT $3
        """;

    private static async Task<IReadOnlyList<PendingItem>> ReadPendingAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var items = new List<PendingItem>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(new PendingItem
            {
                Id = reader.GetInt64(0),
                DocumentId = reader.GetString(1),
                From = reader.GetString(2),
                To = reader.GetString(3),
                CodeNumber = NullableString(reader, 4),
                CodeNotation = NullableString(reader, 5),
                Subject = NullableString(reader, 6),
                StatusCode = NullableString(reader, 7),
                ReceivedAt = reader.GetFieldValue<DateTimeOffset>(8),
                Size = reader.GetInt32(9),
                State = Words.State(reader.GetString(10)),
                UpdatedAt = reader.GetFieldValue<DateTimeOffset>(11),
            });
        }

        return items;
    }

    /// <inheritdoc />
    public async Task<DeliveryRecord?> FindDeliveryAsync(long deliveryId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT d.id, d.package_id, p.kind, p.document_id, d.recipient, d.state, d.mode, d.via_hub, p.hops
            FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id WHERE d.id = $1
            """);
        command.Parameters.AddWithValue(deliveryId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new DeliveryRecord(reader.GetInt64(0), reader.GetInt64(1), Words.Kind(reader.GetString(2)), reader.GetString(3), reader.GetString(4), Words.State(reader.GetString(5)))
            {
                Mode = Words.Mode(reader.GetString(6)),
                Via = NullableString(reader, 7),
                Hops = reader.GetFieldValue<string[]>(8),
            }
            : null;
    }

    /// <inheritdoc />
    public Task<byte[]> ReadBodyAsync(long packageId, CancellationToken ct = default) => ReadPackageBytesAsync("body", packageId, ct);

    /// <inheritdoc />
    public Task<byte[]> ReadReceiptAsync(long packageId, CancellationToken ct = default) => ReadPackageBytesAsync("receipt", packageId, ct);

    private async Task<byte[]> ReadPackageBytesAsync(string column, long packageId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {column} FROM lgsp.package WHERE id = $1");
        command.Parameters.AddWithValue(packageId);
        return (byte[])(await command.ExecuteScalarAsync(ct) ?? throw new InvalidOperationException($"Package {packageId} does not exist."));
    }

    /// <inheritdoc />
    public Task MarkFetchedAsync(long deliveryId, string actor, DateTimeOffset at, CancellationToken ct = default) =>
        TransitionAsync(deliveryId, "state = 'delivered', delivered_at = $2", "d.state = 'pending'", at, null, d => DeliveryEntries.Fetched(d, actor, at), ct);

    /// <inheritdoc />
    public Task ConfirmAsync(long deliveryId, bool done, string? reason, string actor, DateTimeOffset at, CancellationToken ct = default) => done
        ? TransitionAsync(deliveryId, "state = 'acknowledged', acknowledged_at = $2, delivered_at = coalesce(delivered_at, $2)",
            "d.state IN ('pending', 'delivered', 'retrying')", at, null, d => DeliveryEntries.Acknowledged(d, actor, at), ct)
        : TransitionAsync(deliveryId, $"state = 'failed', last_error = $3, last_error_code = '{DeliveryErrorCode.ConfirmFail}', failed_at = $2, lease_until = NULL",
            "d.state IN ('pending', 'delivered', 'retrying')", at, reason, d => DeliveryEntries.RefusedByRecipient(d, actor, at, reason), ct);

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeliveryView>> DeliveriesOfAsync(string documentId, IReadOnlyCollection<string> senders, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {ViewColumns}
            FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id
            WHERE p.kind = 'document' AND p.document_id = $1 AND p.from_agency = ANY($2)
            ORDER BY d.id
            """);
        command.Parameters.AddWithValue(documentId);
        command.Parameters.AddWithValue(senders.ToArray());
        return await ReadViewsAsync(command, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeliveryView>> ListDeliveriesAsync(DeliveryFilter filter, int? max, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {ViewColumns}
            FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id
            WHERE ($1::bigint IS NULL OR d.id = $1)
              AND ($2::text IS NULL OR d.state = $2)
              AND ($3::text IS NULL OR d.recipient = $3)
              AND ($4::text IS NULL OR d.via_hub = $4)
              AND ($5::timestamptz IS NULL OR d.failed_at >= $5)
              AND ($6::text IS NULL OR d.last_error_code = $6)
            ORDER BY d.id DESC LIMIT $7
            """);
        command.Parameters.Add(Nullable(filter.DeliveryId));
        command.Parameters.Add(Nullable(filter.State is { } s ? Words.Of(s) : null));
        command.Parameters.Add(Nullable(filter.Recipient));
        command.Parameters.Add(Nullable(filter.Hub));
        command.Parameters.Add(Nullable(filter.FailedSince));
        command.Parameters.Add(Nullable(filter.ErrorCode));
        command.Parameters.Add(Nullable(max));
        return await ReadViewsAsync(command, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TraceEvent>> TraceAsync(string documentId, IReadOnlyCollection<string>? senders, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT l.seq, l.at, l.kind, l.actor, l.detail::text, l.package_id, l.delivery_id, d.recipient,
                   l.detail->>'{LedgerDetailKeys.PeerReceipt}', l.detail->>'{LedgerDetailKeys.PreviousReceiptSha256}'
            FROM lgsp.ledger l LEFT JOIN lgsp.delivery d ON d.id = l.delivery_id
            WHERE l.document_id = $1 AND l.package_id IN (
                SELECT p.id FROM lgsp.package p
                WHERE p.document_id = $1 AND ($2::text[] IS NULL OR p.from_agency = ANY($2) OR (p.kind = 'status' AND p.status_target = ANY($2))))
            ORDER BY l.seq
            """);
        command.Parameters.AddWithValue(documentId);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)senders?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var events = new List<TraceEvent>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            events.Add(new TraceEvent(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4))
            {
                PackageId = reader.IsDBNull(5) ? null : reader.GetInt64(5),
                DeliveryId = reader.IsDBNull(6) ? null : reader.GetInt64(6),
                Recipient = reader.IsDBNull(7) ? null : reader.GetString(7),
                PeerReceipt = reader.IsDBNull(8) ? null : Base64OrNull(reader.GetString(8)),
                PreviousReceiptSha256 = reader.IsDBNull(9) ? null : reader.GetString(9),
            });
        }

        return events;
    }

    /// <summary>A peer receipt that is not base64 is shown as absent rather than failing the whole trace.</summary>
    private static byte[]? Base64OrNull(string text)
    {
        var buffer = new byte[text.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }

    // Changes the delivery when its state is one `when` allows, and records the entry made for it; a
    // delivery in any other state is left as it is, with no entry.
    private async Task TransitionAsync(long deliveryId, string set, string when, DateTimeOffset at, string? reason, Func<DeliveryConcerned, NewLedgerEntry> entry,
        CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var update = new NpgsqlCommand($"""
            UPDATE lgsp.delivery d SET {set}
            FROM lgsp.package p
            WHERE d.id = $1 AND p.id = d.package_id AND {when}
            RETURNING p.id, p.document_id, d.recipient
            """, connection, tx);
        update.Parameters.AddWithValue(deliveryId);
        update.Parameters.AddWithValue(at);
        update.Parameters.Add(new NpgsqlParameter { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        DeliveryConcerned concerned;
        await using (var reader = await update.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                return;
            }

            concerned = new DeliveryConcerned(reader.GetInt64(0), reader.GetString(1), deliveryId, reader.GetString(2));
        }

        await LedgerWriter.AppendAsync(tx, entry(concerned), ct: ct);
        await tx.CommitAsync(ct);
    }

    private static async Task<SaveOutcome?> FindExistingAsync(NpgsqlConnection connection, NewPackage package, CancellationToken ct)
    {
        // Same bytes from the same sender; else, for a status other than 05, the same status; else, for
        // a new document, the same DocumentId with other bytes (a conflict).
        await using var command = new NpgsqlCommand("""
            SELECT id, document_id, sha256, received_at, receipt, ledger_seq, sha256 = $3 AS same FROM lgsp.package
            WHERE from_agency = $1 AND document_id = $2 AND kind = $4 AND (
                sha256 = $3
                OR (kind = 'status' AND status_code <> '05' AND status_target = $5 AND status_code = $6)
                OR (kind = 'document' AND $7 AND business_type IN (0, 1)))
            ORDER BY (sha256 = $3) DESC, id LIMIT 1
            """, connection);
        command.Parameters.AddWithValue(package.From);
        command.Parameters.AddWithValue(package.DocumentId);
        command.Parameters.AddWithValue(package.Sha256);
        command.Parameters.AddWithValue(Words.Of(package.Kind));
        command.Parameters.Add(Nullable(package.StatusTarget));
        command.Parameters.Add(Nullable(package.StatusCode));
        command.Parameters.AddWithValue(package.BusinessType is BusinessDocType.New or BusinessDocType.Revoke);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var same = reader.GetBoolean(6);
        if (!same && package.Kind == PackageKind.Document)
        {
            return new SaveOutcome(SaveResult.DocumentIdConflict, null, []);
        }

        return new SaveOutcome(SaveResult.Duplicate, new Acceptance(reader.GetInt64(0), reader.GetString(1), Words.Hex(reader.GetFieldValue<byte[]>(2)),
            reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<byte[]>(4), reader.GetInt64(5), true), []);
    }

    private static async Task<IReadOnlyList<DeliveryView>> ReadViewsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var views = new List<DeliveryView>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var recipient = reader.GetString(1);
            var addressedTo = reader.GetString(2);
            views.Add(new DeliveryView
            {
                Id = reader.GetInt64(0),
                Recipient = recipient,
                AddressedTo = addressedTo == recipient ? null : addressedTo,
                Mode = Words.Mode(reader.GetString(3)),
                State = Words.State(reader.GetString(4)),
                Attempts = reader.GetInt32(5),
                LastError = NullableString(reader, 6),
                NextAttemptAt = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                DeliveredAt = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                AcknowledgedAt = reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                LastStatusCode = NullableString(reader, 10),
                DocumentId = reader.GetString(11),
                From = reader.GetString(12),
                Via = NullableString(reader, 13),
                PeerDocId = NullableString(reader, 14),
                LastErrorCode = NullableString(reader, 15),
                FailedAt = reader.IsDBNull(16) ? null : reader.GetFieldValue<DateTimeOffset>(16),
            });
        }

        return views;
    }

    internal static NpgsqlParameter Nullable(object? value) => new() { Value = value ?? DBNull.Value };

    internal static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
