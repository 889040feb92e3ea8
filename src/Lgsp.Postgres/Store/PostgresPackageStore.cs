using Lgsp.Edxml.Model;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;

namespace Lgsp.Postgres.Store;

/// <summary><see cref="IPackageStore"/> on PostgreSQL (schema <c>lgsp</c>).</summary>
/// <remarks>Thread safe: every call takes its own connection from the data source.</remarks>
public sealed class PostgresPackageStore(NpgsqlDataSource dataSource) : IPackageStore
{
    private const string ViewColumns = """
        d.id, d.recipient, d.addressed_to, d.mode, d.state, d.attempts, d.last_error, d.next_attempt_at,
        d.delivered_at, d.acknowledged_at, d.last_status_code, p.document_id, p.from_agency, d.last_error_code, d.failed_at, d.via_hub
        """;

    /// <inheritdoc />
    public async Task<SaveOutcome> SaveAsync(NewPackage package, IReadOnlyList<NewDelivery> deliveries, Func<ReceiptFacts, byte[]> issueReceipt, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var existing = await FindExistingAsync(connection, package, ct);
        if (existing is not null)
        {
            return existing;
        }

        // The receipt names the ledger position, so both ids are drawn before the transaction.
        long packageId, seq;
        await using (var ids = new NpgsqlCommand("SELECT nextval('lgsp.package_id_seq'), nextval('lgsp.ledger_seq_seq')", connection))
        await using (var reader = await ids.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            packageId = reader.GetInt64(0);
            seq = reader.GetInt64(1);
        }

        var sha = Words.Hex(package.Sha256);
        var receipt = issueReceipt(new ReceiptFacts(package.Kind, package.From, package.DocumentId, sha, package.Body.Length, package.ReceivedAt, seq));

        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO lgsp.package (id, kind, sender_system, from_agency, document_id, sha256, size, body, received_at,
                business_type, status_code, status_target, code_number, code_notation, subject, legacy, signature,
                signer_subject, signer_sha256, ledger_seq, receipt)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
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
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                // A concurrent send of the same package won the race.
                await tx.RollbackAsync(ct);
                return await FindExistingAsync(connection, package, ct) ?? new SaveOutcome(SaveResult.DocumentIdConflict, null, []);
            }
        }

        var at = package.ReceivedAt;
        await LedgerWriter.AppendAsync(connection, tx, LedgerKind.PackageReceived, package.SenderSystem, at, new
        {
            kind = Words.Of(package.Kind),
            system = package.SenderSystem,
            from = package.From,
            documentId = package.DocumentId,
            sha256 = sha,
            size = package.Body.Length,
            policy = package.Legacy ? "legacy" : "strict",
            signature = package.Signature,
            signer = package.SignerSubject,
            signerSha256 = package.SignerSha256 is null ? null : Words.Hex(package.SignerSha256),
            statusCode = package.StatusCode,
        }, packageId, package.DocumentId, seq: seq, ct: ct);

        var created = new List<(long, NewDelivery)>();
        foreach (var delivery in deliveries)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO lgsp.delivery (package_id, recipient, addressed_to, mode, state, next_attempt_at, created_at)
                VALUES ($1, $2, $3, $4, 'pending', $5, $6) RETURNING id
                """, connection, tx);
            insert.Parameters.AddWithValue(packageId);
            insert.Parameters.AddWithValue(delivery.Recipient);
            insert.Parameters.AddWithValue(delivery.AddressedTo);
            insert.Parameters.AddWithValue(Words.Of(delivery.Mode));
            insert.Parameters.Add(Nullable(delivery.Mode == DeliveryMode.Push ? at : null));
            insert.Parameters.AddWithValue(at);
            var id = (long)(await insert.ExecuteScalarAsync(ct))!;
            created.Add((id, delivery));
            if (delivery.AddressedTo != delivery.Recipient)
            {
                await LedgerWriter.AppendAsync(connection, tx, LedgerKind.DeliveryRedirected, "hub", at,
                    new { addressedTo = delivery.AddressedTo, recipient = delivery.Recipient }, packageId, package.DocumentId, id, ct: ct);
            }

            await LedgerWriter.AppendAsync(connection, tx, LedgerKind.DeliveryCreated, "hub", at,
                new { recipient = delivery.Recipient, mode = Words.Of(delivery.Mode) }, packageId, package.DocumentId, id, ct: ct);
        }

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

            await LedgerWriter.AppendAsync(connection, tx, LedgerKind.StatusRouted, "hub", at,
                new { code = package.StatusCode, to = package.StatusTarget, updates = updated }, packageId, package.DocumentId, ct: ct);
        }

        await tx.CommitAsync(ct);
        return new SaveOutcome(SaveResult.Saved, new Acceptance(packageId, package.DocumentId, sha, at, receipt, seq, false), created);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PendingItem>> PendingAsync(IReadOnlyCollection<string> recipients, PackageKind kind, int max, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT d.id, p.document_id, p.from_agency, d.recipient, p.code_number, p.code_notation, p.subject, p.status_code, p.received_at, p.size
            FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id
            WHERE d.recipient = ANY($1) AND d.state IN ('pending', 'delivered') AND d.mode = 'pull' AND p.kind = $2
            ORDER BY d.id LIMIT $3
            """);
        command.Parameters.AddWithValue(recipients.ToArray());
        command.Parameters.AddWithValue(Words.Of(kind));
        command.Parameters.AddWithValue(max);
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
            });
        }

        return items;
    }

    /// <inheritdoc />
    public async Task<DeliveryRecord?> FindDeliveryAsync(long deliveryId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT d.id, d.package_id, p.kind, p.document_id, d.recipient, d.state
            FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id WHERE d.id = $1
            """);
        command.Parameters.AddWithValue(deliveryId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new DeliveryRecord(reader.GetInt64(0), reader.GetInt64(1), Words.Kind(reader.GetString(2)), reader.GetString(3), reader.GetString(4), Words.State(reader.GetString(5)))
            : null;
    }

    /// <inheritdoc />
    public async Task<byte[]> ReadBodyAsync(long packageId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT body FROM lgsp.package WHERE id = $1");
        command.Parameters.AddWithValue(packageId);
        return (byte[])(await command.ExecuteScalarAsync(ct) ?? throw new InvalidOperationException($"Package {packageId} does not exist."));
    }

    /// <inheritdoc />
    public Task MarkFetchedAsync(long deliveryId, string actor, DateTimeOffset at, CancellationToken ct = default) =>
        TransitionAsync(deliveryId, "state = 'delivered', delivered_at = $2", "d.state = 'pending'", LedgerKind.DeliveryFetched, actor, at, null, ct);

    /// <inheritdoc />
    public Task ConfirmAsync(long deliveryId, bool done, string? reason, string actor, DateTimeOffset at, CancellationToken ct = default) => done
        ? TransitionAsync(deliveryId, "state = 'acknowledged', acknowledged_at = $2, delivered_at = coalesce(delivered_at, $2)",
            "d.state IN ('pending', 'delivered', 'retrying')", LedgerKind.DeliveryAcknowledged, actor, at, null, ct)
        : TransitionAsync(deliveryId, $"state = 'failed', last_error = $3, last_error_code = '{DeliveryErrorCode.ConfirmFail}', failed_at = $2, lease_until = NULL",
            "d.state IN ('pending', 'delivered', 'retrying')", LedgerKind.DeliveryFailed, actor, at, reason, ct);

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
    public async Task<IReadOnlyList<TraceEvent>> TraceAsync(string documentId, IReadOnlyCollection<string> senders, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT l.seq, l.at, l.kind, l.actor, l.detail::text
            FROM lgsp.ledger l
            WHERE l.document_id = $1 AND l.package_id IN (
                SELECT p.id FROM lgsp.package p
                WHERE p.document_id = $1 AND (p.from_agency = ANY($2) OR (p.kind = 'status' AND p.status_target = ANY($2))))
            ORDER BY l.seq
            """);
        command.Parameters.AddWithValue(documentId);
        command.Parameters.AddWithValue(senders.ToArray());
        var events = new List<TraceEvent>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            events.Add(new TraceEvent(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }

        return events;
    }

    private async Task TransitionAsync(long deliveryId, string set, string when, string ledgerKind, string actor, DateTimeOffset at, string? reason, CancellationToken ct)
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
        long packageId;
        string documentId, recipient;
        await using (var reader = await update.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                return;
            }

            (packageId, documentId, recipient) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
        }

        await LedgerWriter.AppendAsync(connection, tx, ledgerKind, actor, at, new { recipient, reason }, packageId, documentId, deliveryId, ct: ct);
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
                LastErrorCode = NullableString(reader, 13),
                FailedAt = reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14),
                Hub = NullableString(reader, 15),
            });
        }

        return views;
    }

    internal static NpgsqlParameter Nullable(object? value) => new() { Value = value ?? DBNull.Value };

    internal static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
