using Lgsp.Edxml.Model;
using Lgsp.Exchange.Storage;
using Npgsql;

namespace Lgsp.Postgres.Storage;

// One document's whole file: its packages, deliveries and ledger entries, cut to the reader's scope.
public sealed partial class PostgresDocumentStore
{
    /// <inheritdoc />
    /// <remarks>A DocumentId has a handful of packages, so all of them are read (one snapshot, through
    /// the <c>package_document</c> and <c>ledger_document</c> indexes) and the scope is applied here,
    /// in the store: an agency clerk sees a document its agency sent whole; one its agency only
    /// received, with its own agencies' deliveries and statuses only.</remarks>
    public async Task<DocumentFile?> FindAsync(string documentId, IReadOnlyCollection<string>? agencies, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var packages = await PackagesAsync(connection, tx, documentId, ct);
        var deliveries = await DeliveriesAsync(connection, tx, documentId, ct);
        var events = await EventsAsync(connection, tx, documentId, ct);
        await tx.CommitAsync(ct);

        if (agencies is not null)
        {
            var own = agencies.ToHashSet(StringComparer.Ordinal);
            bool Whole(StoredPackage p) => own.Contains(p.From);
            var documents = packages.Where(p => p.Kind == PackageKind.Document
                && (Whole(p) || deliveries.Any(d => d.PackageId == p.Id && own.Contains(d.View.Recipient)))).ToList();
            // A status goes from a recipient to the sender, or (13, take back) from the sender to a recipient.
            var statuses = packages.Where(p => p.Kind == PackageKind.Status && documents.Any(d =>
                (d.From == p.StatusTarget && (Whole(d) || own.Contains(p.From))) || (d.From == p.From && (Whole(d) || own.Contains(p.StatusTarget!)))));
            packages = [.. documents.Concat(statuses).OrderBy(p => p.Id)];
            var visible = packages.Select(p => p.Id).ToHashSet();
            deliveries = [.. deliveries.Where(d => visible.Contains(d.PackageId)
                && (packages.First(p => p.Id == d.PackageId) is var p && (p.Kind == PackageKind.Status || Whole(p) || own.Contains(d.View.Recipient))))];
            var deliveryIds = deliveries.Select(d => d.View.Id).ToHashSet();
            events = [.. events.Where(e => e.PackageId is { } id && visible.Contains(id) && (e.DeliveryId is not { } delivery || deliveryIds.Contains(delivery)))];
        }

        return packages.Any(p => p.Kind == PackageKind.Document) ? new DocumentFile(documentId, packages, deliveries, events) : null;
    }

    private static async Task<List<StoredPackage>> PackagesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string documentId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT id, kind, from_agency, sender_system, received_at, size, sha256, business_type, status_code, status_target,
                   legacy, signature, signer_subject, hops, previous_receipt_sha256, ledger_seq
            FROM lgsp.package WHERE document_id = $1 ORDER BY id
            """, connection, tx);
        command.Parameters.AddWithValue(documentId);
        var packages = new List<StoredPackage>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            packages.Add(new StoredPackage
            {
                Id = reader.GetInt64(0),
                Kind = Words.Kind(reader.GetString(1)),
                From = reader.GetString(2),
                SenderSystem = reader.GetString(3),
                ReceivedAt = reader.GetFieldValue<DateTimeOffset>(4),
                Size = reader.GetInt32(5),
                Sha256 = Words.Hex(reader.GetFieldValue<byte[]>(6)),
                BusinessType = reader.IsDBNull(7) ? null : (BusinessDocType)reader.GetInt16(7),
                StatusCode = PostgresPackageStore.NullableString(reader, 8),
                StatusTarget = PostgresPackageStore.NullableString(reader, 9),
                Legacy = reader.GetBoolean(10),
                Signature = reader.GetString(11),
                SignerSubject = PostgresPackageStore.NullableString(reader, 12),
                Hops = reader.GetFieldValue<string[]>(13),
                PreviousReceiptSha256 = PostgresPackageStore.NullableString(reader, 14),
                LedgerSeq = reader.GetInt64(15),
            });
        }

        return packages;
    }

    private static async Task<List<DocumentDelivery>> DeliveriesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string documentId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT {PostgresPackageStore.ViewColumns}, d.package_id
            FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id
            WHERE p.document_id = $1 ORDER BY d.id
            """, connection, tx);
        command.Parameters.AddWithValue(documentId);
        var deliveries = new List<DocumentDelivery>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            deliveries.Add(new DocumentDelivery(reader.GetInt64(18), PostgresPackageStore.ReadView(reader)));
        }

        return deliveries;
    }

    private static async Task<List<TraceEvent>> EventsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string documentId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT {PostgresPackageStore.TraceColumns}
            FROM lgsp.ledger l LEFT JOIN lgsp.delivery d ON d.id = l.delivery_id
            WHERE l.document_id = $1 AND l.package_id IS NOT NULL
            ORDER BY l.seq
            """, connection, tx);
        command.Parameters.AddWithValue(documentId);
        var events = new List<TraceEvent>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            events.Add(PostgresPackageStore.ReadTraceEvent(reader));
        }

        return events;
    }
}
