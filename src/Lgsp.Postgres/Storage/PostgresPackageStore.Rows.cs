using Lgsp.Edxml.Model;
using Lgsp.Exchange.Documents;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Lgsp.Postgres.Storage;

// The rows SaveAsync writes, as statements for one batch: the ids drawn first, the package row, the
// deliveries in one multi-row insert and their ledger entries. Nothing here runs once per recipient.
public sealed partial class PostgresPackageStore
{
    // What the first round trip found: an earlier package that makes this one a duplicate or a conflict,
    // or the ids drawn for it.
    private sealed record Drawn(SaveOutcome? Existing, long PackageId, long Seq, long[] DeliveryIds, List<long>? Updated);

    // The first round trip: BEGIN; the duplicate check and, only when it finds nothing, the package id,
    // its ledger seq and the deliveries' ids (ascending, as one insert per delivery drew them) in one
    // statement: a duplicate draws nothing and gives its transaction no id. For a status, the delivery it
    // answers gets its last status code here, since the status's own ledger entry names the rows changed
    // (a duplicate's change is rolled back with its transaction).
    private static async Task<Drawn> BeginAndDrawIdsAsync(NpgsqlConnection connection, NewPackage package, int deliveries, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        var ids = new NpgsqlBatchCommand($"""
            WITH existing AS MATERIALIZED ({ExistingQuery})
            SELECT id, document_id, sha256, received_at, receipt, ledger_seq, same, NULL::bigint, NULL::bigint, NULL::bigint[] FROM existing
            UNION ALL
            SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, nextval('lgsp.package_id_seq'), lgsp.next_ledger_seq(),
                ARRAY(SELECT nextval('lgsp.delivery_id_seq') FROM generate_series(1, $8))
            WHERE NOT EXISTS (SELECT FROM existing)
            """);
        ids.Parameters.AddRange(ExistingParameters(package));
        ids.Parameters.AddWithValue(deliveries);
        batch.BatchCommands.Add(ids);
        if (package is { Kind: PackageKind.Status, StatusAbout: var (sender, recipient) })
        {
            // A status earlier in the handling order than the delivery's (03 arriving after 06: statuses
            // overtake each other across hubs) does not replace it; it is still stored and routed.
            var update = new NpgsqlBatchCommand("""
                UPDATE lgsp.delivery d SET last_status_code =
                    CASE WHEN array_position($5::text[], $1) < array_position($5::text[], d.last_status_code) THEN d.last_status_code ELSE $1 END
                FROM lgsp.package p
                WHERE d.package_id = p.id AND p.kind = 'document' AND p.document_id = $2 AND p.from_agency = $3 AND d.recipient = $4
                RETURNING d.id
                """);
            update.Parameters.AddWithValue(package.StatusCode!);
            update.Parameters.AddWithValue(package.DocumentId);
            update.Parameters.AddWithValue(sender);
            update.Parameters.AddWithValue(recipient);
            update.Parameters.AddWithValue(StatusProgression);
            batch.BatchCommands.Add(update);
        }

        try
        {
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            if (!reader.IsDBNull(0))
            {
                return new Drawn(ReadExisting(reader, package), 0, 0, [], null);
            }

            var packageId = reader.GetInt64(7);
            var seq = reader.GetInt64(8);
            var deliveryIds = reader.GetFieldValue<long[]>(9);
            Array.Sort(deliveryIds);
            List<long>? updated = null;
            if (await reader.NextResultAsync(ct))
            {
                updated = [];
                while (await reader.ReadAsync(ct))
                {
                    updated.Add(reader.GetInt64(0));
                }
            }

            return new Drawn(null, packageId, seq, deliveryIds, updated);
        }
        catch
        {
            await RollbackQuietlyAsync(connection);
            throw;
        }
    }

    private static readonly string[] StatusProgression = [.. StatusCodes.Progression];

    // A new package, so no ON CONFLICT: a concurrent send of the same package that committed first makes
    // this a unique violation, which aborts the whole batch before anything else is written.
    // body: the spool opened for reading, left open until the batch has run. No Size on the parameter:
    // with one, Npgsql 10 wraps the stream in a non-seekable one of that length and then sizes it by
    // copying it whole into a MemoryStream (a trace of the hub showed a ~100 KB copy per accept, a large
    // object; a 50 MB package on disk was copied whole too). Without it, the spool's seekable stream is
    // sized by its length and written as it is: a spool in memory in place (its bytes are visible), one
    // on disk in buffer-sized pieces (ADR 0016).
    private static NpgsqlBatchCommand PackageInsert(NewPackage package, long packageId, long seq, byte[] receipt, Stream body)
    {
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO lgsp.package (id, kind, sender_system, from_agency, document_id, sha256, size, body, received_at,
                business_type, status_code, status_target, code_number, code_notation, subject, legacy, signature,
                signer_subject, signer_sha256, ledger_seq, receipt, hops, previous_receipt_sha256, subject_folded, code_folded)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)
            """);
        insert.Parameters.AddWithValue(packageId);
        insert.Parameters.AddWithValue(Words.Of(package.Kind));
        insert.Parameters.AddWithValue(package.SenderSystem);
        insert.Parameters.AddWithValue(package.From);
        insert.Parameters.AddWithValue(package.DocumentId);
        insert.Parameters.AddWithValue(package.Sha256);
        insert.Parameters.AddWithValue(package.Body.Length);
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = body });
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
        return insert;
    }

    // The first delivery asked for each recipient (two retired codes may lead to one agency), as the
    // unique (package, recipient) kept the first of them when each was inserted on its own.
    private static List<NewDelivery> FirstPerRecipient(IReadOnlyList<NewDelivery> deliveries)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. deliveries.Where(d => seen.Add(d.Recipient))];
    }

    // The deliveries of a new package, with the ids drawn for them: one multi-row insert. A recipient
    // without a route gets its delivery created failed, with the reason.
    // The package is new in this transaction, so no delivery of it can exist yet: no ON CONFLICT (a
    // speculative insertion per row) and nothing returned.
    private static NpgsqlBatchCommand DeliveriesInsert(long packageId, DateTimeOffset at, IReadOnlyList<(long Id, NewDelivery Delivery)> created) =>
        DeliveryRows(packageId, at, [.. created.Select(c => (long?)c.Id)], [.. created.Select(c => c.Delivery)], fresh: true);

    // A repeat's deliveries: the ones the package has already (a concurrent repeat's included) are left
    // alone; the ids of those created come back, in the order asked.
    private static async Task<List<(long Id, NewDelivery Delivery)>> InsertMissingDeliveriesAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        long packageId, DateTimeOffset at, IReadOnlyList<NewDelivery> deliveries, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx) { BatchCommands = { DeliveryRows(packageId, at, new long?[deliveries.Count], deliveries, fresh: false) } };
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                ids[reader.GetString(1)] = reader.GetInt64(0);
            }
        }

        return [.. deliveries.Where(d => ids.ContainsKey(d.Recipient)).Select(d => (ids[d.Recipient], d))];
    }

    // A null id is drawn from the delivery sequence as the row is inserted, in list order. fresh: the
    // package's first deliveries, which cannot conflict; else a repeat's, which skips those it has.
    private static NpgsqlBatchCommand DeliveryRows(long packageId, DateTimeOffset at, long?[] ids, IReadOnlyList<NewDelivery> deliveries, bool fresh)
    {
        var command = new NpgsqlBatchCommand($"""
            INSERT INTO lgsp.delivery (id, package_id, recipient, addressed_to, mode, state, next_attempt_at, created_at, via_hub, last_error)
            SELECT coalesce(d.id, nextval('lgsp.delivery_id_seq')), $1, d.recipient, d.addressed_to, d.mode, d.state, d.next_attempt_at, $2, d.via_hub, d.last_error
            FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[], $10::text[]) WITH ORDINALITY
                AS d (id, recipient, addressed_to, mode, state, next_attempt_at, via_hub, last_error, n)
            ORDER BY d.n
            {(fresh ? "" : "ON CONFLICT (package_id, recipient) DO NOTHING RETURNING id, recipient")}
            """);
        command.Parameters.AddWithValue(packageId);
        command.Parameters.AddWithValue(at);
        command.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(TextArray(deliveries.Select(d => d.Recipient)));
        command.Parameters.Add(TextArray(deliveries.Select(d => d.AddressedTo)));
        command.Parameters.Add(TextArray(deliveries.Select(d => Words.Of(d.Mode))));
        command.Parameters.Add(TextArray(deliveries.Select(d => Words.Of(d.FailureCode is null ? DeliveryState.Pending : DeliveryState.Failed))));
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = deliveries.Select(d => d is { Mode: DeliveryMode.Push, FailureCode: null } ? at : (DateTimeOffset?)null).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        });
        command.Parameters.Add(TextArray(deliveries.Select(d => d.Via)));
        command.Parameters.Add(TextArray(deliveries.Select(d => d.FailureCode is null ? null : FailureText(d.FailureCode, d.Failure))));
        return command;
    }

    // Each created delivery's entries, in the order they were always written: redirected (when the code
    // written was retired), created, and failed for a recipient without a route.
    private static IEnumerable<NewLedgerEntry> DeliveryCreatedEntries(long packageId, string documentId, DateTimeOffset at,
        IEnumerable<(long Id, NewDelivery Delivery)> created)
    {
        foreach (var (id, delivery) in created)
        {
            var concerned = new DeliveryConcerned(packageId, documentId, id, delivery.Recipient);
            if (delivery.AddressedTo != delivery.Recipient)
            {
                yield return DeliveryEntries.Redirected(concerned, delivery.AddressedTo, at);
            }

            yield return DeliveryEntries.Created(concerned, delivery.Mode, delivery.Via, at);
            if (delivery.FailureCode is not null)
            {
                yield return DeliveryEntries.FailedWithoutRoute(concerned, delivery.Failure, delivery.FailureCode, at);
            }
        }
    }

    private static NpgsqlParameter TextArray(IEnumerable<string?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
