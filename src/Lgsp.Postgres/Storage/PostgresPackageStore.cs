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
    // Two round trips, whatever the number of recipients (bench/README.md, "Accept"): BEGIN with the
    // duplicate check and, when there is none, the ids (for a status, the delivery it answers too); then
    // one batch of multi-row inserts ending with the COMMIT. The transaction is begun and committed in SQL
    // so that the COMMIT rides on the batch: its answer comes only once the COMMIT has completed, and an
    // error in any statement makes PostgreSQL skip the rest of the batch, the COMMIT included.
    public async Task<SaveOutcome> SaveAsync(NewPackage package, IReadOnlyList<NewDelivery> deliveries, Func<ReceiptFacts, byte[]> issueReceipt, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);

        // The package is new in this transaction, so each recipient's first delivery is created: the
        // rows, their ids and their entries are known before anything is written.
        var fresh = FirstPerRecipient(deliveries);

        // The receipt names the ledger position, so the ids are drawn before the inserts; inside the
        // transaction, through lgsp.next_ledger_seq, so the sealer knows the seq is in flight.
        var drawn = await BeginAndDrawIdsAsync(connection, package, fresh.Count, ct);
        if (drawn.Existing is { } existing)
        {
            await RollbackAsync(connection, ct);
            return await CompleteDuplicateAsync(connection, existing, package, deliveries, ct);
        }

        var (packageId, seq, deliveryIds, updated) = (drawn.PackageId, drawn.Seq, drawn.DeliveryIds, drawn.Updated);
        var sha = Words.Hex(package.Sha256);
        byte[] receipt;
        try
        {
            receipt = issueReceipt(new ReceiptFacts(package.Kind, package.From, package.DocumentId, sha, package.Body.Length, package.ReceivedAt, seq,
                package.Hops, package.PreviousReceiptSha256));
        }
        catch
        {
            await RollbackQuietlyAsync(connection);
            throw;
        }

        var at = package.ReceivedAt;
        var created = fresh.Select((delivery, i) => (deliveryIds[i], delivery)).ToList();
        var entries = new List<NewLedgerEntry> { PackageEntries.Received(package, packageId) };
        entries.AddRange(DeliveryCreatedEntries(packageId, package.DocumentId, at, created));
        if (updated is not null)
        {
            entries.Add(PackageEntries.StatusRouted(package, packageId, updated));
        }

        await using var body = package.Body.OpenRead();
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(PackageInsert(package, packageId, seq, receipt, body));
        batch.BatchCommands.Add(DeliveriesInsert(packageId, at, created));
        batch.BatchCommands.Add(LedgerWriter.AppendAll(entries, seq));
        foreach (var facts in FactsInserts(packageId, package))
        {
            batch.BatchCommands.Add(facts);
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        try
        {
            await batch.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException race) when (race is { SqlState: PostgresErrorCodes.UniqueViolation, TableName: "package" })
        {
            // A concurrent send of the same package won the race; nothing of this one was written.
            await RollbackAsync(connection, ct);
            return await FindExistingAsync(connection, package, ct) is { } winner
                ? await CompleteDuplicateAsync(connection, winner, package, deliveries, ct)
                : new SaveOutcome(SaveResult.DocumentIdConflict, null, []);
        }
        catch
        {
            await RollbackQuietlyAsync(connection);
            throw;
        }

        return new SaveOutcome(SaveResult.Saved, new Acceptance(packageId, package.DocumentId, sha, at, receipt, seq, false), created);
    }

    private static async Task RollbackAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
        await rollback.ExecuteNonQueryAsync(ct);
    }

    // After a failure the transaction begun in SQL is ended before the connection goes back to the pool;
    // a broken connection is discarded by the pool, so a failure here changes nothing.
    private static async Task RollbackQuietlyAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            await RollbackAsync(connection, CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The connection is unusable; Npgsql will not return it to the pool as it is.
        }
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

    // Same bytes from the same sender; else, for a status other than 05, the same status; else, for a
    // new document, the same DocumentId with other bytes (a conflict). Parameters $1 to $7 (ExistingParameters).
    private const string ExistingQuery = """
        SELECT id, document_id, sha256, received_at, receipt, ledger_seq, sha256 = $3 AS same FROM lgsp.package
        WHERE from_agency = $1 AND document_id = $2 AND kind = $4 AND (
            sha256 = $3
            OR (kind = 'status' AND status_code <> '05' AND status_target = $5 AND status_code = $6)
            OR (kind = 'document' AND $7 AND business_type IN (0, 1)))
        ORDER BY (sha256 = $3) DESC, id LIMIT 1
        """;

    private static async Task<SaveOutcome?> FindExistingAsync(NpgsqlConnection connection, NewPackage package, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(ExistingQuery, connection);
        command.Parameters.AddRange(ExistingParameters(package));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadExisting(reader, package) : null;
    }

    private static NpgsqlParameter[] ExistingParameters(NewPackage package) =>
    [
        new() { Value = package.From },
        new() { Value = package.DocumentId },
        new() { Value = package.Sha256 },
        new() { Value = Words.Of(package.Kind) },
        Nullable(package.StatusTarget),
        Nullable(package.StatusCode),
        new() { Value = package.BusinessType is BusinessDocType.New or BusinessDocType.Revoke },
    ];

    // The row ExistingQuery found, in its first seven columns.
    private static SaveOutcome ReadExisting(NpgsqlDataReader reader, NewPackage package)
    {
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
