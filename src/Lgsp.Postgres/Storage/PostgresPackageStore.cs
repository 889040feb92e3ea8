using Lgsp.Edxml.Model;
using Lgsp.Exchange.Documents;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Lgsp.Postgres.Storage;

/// <summary><see cref="IPackageStore"/> on PostgreSQL (schema <c>lgsp</c>).</summary>
/// <remarks>Thread safe: every call takes its own connection from the data source.</remarks>
// This file saves packages, with their deliveries and ledger entries, and records refusals; what
// recipients do with their deliveries is in PostgresPackageStore.Deliveries.cs, the delivery views
// and the ledger trace of a document in PostgresPackageStore.Tracking.cs.
public sealed partial class PostgresPackageStore(NpgsqlDataSource dataSource) : IPackageStore
{
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
                signer_subject, signer_sha256, ledger_seq, receipt, hops, previous_receipt_sha256, subject_folded, code_folded)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)
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

            // From the spool as a stream: Npgsql copies it to the wire in buffer-sized pieces, so the
            // package is never held whole here (ADR 0016).
            await using var body = package.Body.OpenRead();
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = body, Size = checked((int)package.Body.Length) });
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
            insert.Parameters.Add(Nullable(package.Kind == PackageKind.Document ? Folded(SearchText.Fold(package.Subject)) : null));
            insert.Parameters.Add(Nullable(package.Kind == PackageKind.Document ? Folded(SearchText.FoldCode(package.CodeNumber, package.CodeNotation)) : null));
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
        await InsertFactsAsync(connection, tx, packageId, package, ct);

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
        if (package.Facts is { } facts)
        {
            await InsertRecipientFactsAsync(connection, tx, packageId, [.. facts.Recipients.Where(r => created.Any(c => c.Delivery.Recipient == r.Recipient))], ct);
        }

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

    // What search needs is stored with the package (migration 0015); blank folds as null, as the backfill does.
    private static string? Folded(string folded) => folded.Length == 0 ? null : folded;

    internal static NpgsqlParameter Nullable(object? value) => new() { Value = value ?? DBNull.Value };

    internal static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
