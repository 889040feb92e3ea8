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
    // Round trips, whatever the number of recipients (bench/README.md, "Accept"): the duplicate check;
    // the ids (and, for a status, the delivery it answers); one batch of multi-row inserts; the commit.
    public async Task<SaveOutcome> SaveAsync(NewPackage package, IReadOnlyList<NewDelivery> deliveries, Func<ReceiptFacts, byte[]> issueReceipt, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var existing = await FindExistingAsync(connection, package, ct);
        if (existing is not null)
        {
            return await CompleteDuplicateAsync(connection, existing, package, deliveries, ct);
        }

        // The package is new in this transaction, so each recipient's first delivery is created: the
        // rows, their ids and their entries are known before anything is written.
        var fresh = FirstPerRecipient(deliveries);

        // The receipt names the ledger position, so the ids are drawn before the inserts; inside the
        // transaction, through lgsp.next_ledger_seq, so the sealer knows the seq is in flight.
        await using var tx = await connection.BeginTransactionAsync(ct);
        var (packageId, seq, deliveryIds, updated) = await DrawIdsAsync(connection, tx, package, fresh.Count, ct);

        var sha = Words.Hex(package.Sha256);
        var receipt = issueReceipt(new ReceiptFacts(package.Kind, package.From, package.DocumentId, sha, package.Body.Length, package.ReceivedAt, seq,
            package.Hops, package.PreviousReceiptSha256));

        var at = package.ReceivedAt;
        var created = fresh.Select((delivery, i) => (deliveryIds[i], delivery)).ToList();
        var entries = new List<NewLedgerEntry> { PackageEntries.Received(package, packageId) };
        entries.AddRange(DeliveryCreatedEntries(packageId, package.DocumentId, at, created));
        if (updated is not null)
        {
            entries.Add(PackageEntries.StatusRouted(package, packageId, updated));
        }

        await using var body = package.Body.OpenRead();
        await using var batch = new NpgsqlBatch(connection, tx);
        batch.BatchCommands.Add(PackageInsert(package, packageId, seq, receipt, body));
        batch.BatchCommands.Add(DeliveriesInsert(packageId, at, created));
        batch.BatchCommands.Add(LedgerWriter.AppendAll(entries, seq));
        foreach (var facts in FactsInserts(packageId, package))
        {
            batch.BatchCommands.Add(facts);
        }

        try
        {
            await batch.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException race) when (race is { SqlState: PostgresErrorCodes.UniqueViolation, TableName: "package" })
        {
            // A concurrent send of the same package won the race; nothing of this one was written.
            await tx.RollbackAsync(ct);
            return await FindExistingAsync(connection, package, ct) is { } winner
                ? await CompleteDuplicateAsync(connection, winner, package, deliveries, ct)
                : new SaveOutcome(SaveResult.DocumentIdConflict, null, []);
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
        var created = await InsertMissingDeliveriesAsync(connection, tx, packageId, package.ReceivedAt, FirstPerRecipient(deliveries), ct);
        await using var batch = new NpgsqlBatch(connection, tx);
        if (created.Count > 0)
        {
            batch.BatchCommands.Add(LedgerWriter.AppendAll([.. DeliveryCreatedEntries(packageId, existing.Acceptance.DocumentId, package.ReceivedAt, created)]));
        }

        if (package.Facts is { } facts)
        {
            batch.BatchCommands.Add(RecipientFactsInsert(packageId, [.. facts.Recipients.Where(r => created.Any(c => c.Delivery.Recipient == r.Recipient))]));
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return existing with { Deliveries = created };
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
