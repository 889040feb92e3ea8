using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Lgsp.Postgres.Storage;

// Following a document: the views of its deliveries (for its sender and the operator) and its ledger trace.
public sealed partial class PostgresPackageStore
{
    internal const string ViewColumns = """
        d.id, d.recipient, d.addressed_to, d.mode, d.state, d.attempts, d.last_error, d.next_attempt_at,
        d.delivered_at, d.acknowledged_at, d.last_status_code, p.document_id, p.from_agency, d.via_hub, d.peer_doc_id, d.last_error_code, d.failed_at,
        d.far_confirmed_at
        """;

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
    public async Task<IReadOnlyList<DeliveryView>> DeliveriesForwardedByAsync(string documentId, string hub, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {ViewColumns}
            FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id
            WHERE p.kind = 'document' AND p.document_id = $1 AND {ForwardedBy("p", "$2")}
            ORDER BY d.id
            """);
        command.Parameters.AddWithValue(documentId);
        command.Parameters.AddWithValue(hub);
        return await ReadViewsAsync(command, ct);
    }

    /// <summary>The condition that the package <paramref name="package"/> came from the hub
    /// <paramref name="hub"/> (its last hop), as the index <c>package_forwarded_by</c> reads it.</summary>
    internal static string ForwardedBy(string package, string hub) =>
        $"cardinality({package}.hops) > 0 AND {package}.hops[cardinality({package}.hops)] = {hub}";

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
              AND ($8::timestamptz IS NULL OR d.failed_at < $8)
              AND ($9::bigint[] IS NULL OR d.id = ANY($9))
              AND ($10::bigint IS NULL OR d.id < $10)
            ORDER BY d.id DESC LIMIT $7
            """);
        command.Parameters.Add(Nullable(filter.DeliveryId));
        command.Parameters.Add(Nullable(filter.State is { } s ? Words.Of(s) : null));
        command.Parameters.Add(Nullable(filter.Recipient));
        command.Parameters.Add(Nullable(filter.Hub));
        command.Parameters.Add(Nullable(filter.FailedSince));
        command.Parameters.Add(Nullable(filter.ErrorCode));
        command.Parameters.Add(Nullable(max));
        command.Parameters.Add(Nullable(filter.FailedBefore));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.DeliveryIds?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(Nullable(filter.BeforeId));
        return await ReadViewsAsync(command, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TraceEvent>> TraceAsync(string documentId, IReadOnlyCollection<string>? senders, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {TraceColumns}
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
            events.Add(ReadTraceEvent(reader));
        }

        return events;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TraceEvent>> TraceForwardedByAsync(string documentId, string hub, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {TraceColumns}
            FROM lgsp.ledger l LEFT JOIN lgsp.delivery d ON d.id = l.delivery_id
            WHERE l.document_id = $1 AND l.package_id IN (
                SELECT p.id FROM lgsp.package p WHERE p.document_id = $1 AND {ForwardedBy("p", "$2")})
            ORDER BY l.seq
            """);
        command.Parameters.AddWithValue(documentId);
        command.Parameters.AddWithValue(hub);
        var events = new List<TraceEvent>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            events.Add(ReadTraceEvent(reader));
        }

        return events;
    }

    /// <summary>The ledger columns a trace selects (<c>l</c> the ledger, <c>d</c> its delivery, left-joined).</summary>
    internal const string TraceColumns = $"""
        l.seq, l.at, l.kind, l.actor, (l.detail - '{LedgerDetailKeys.PeerReceipt}')::text, l.package_id, l.delivery_id, d.recipient,
        l.detail->>'{LedgerDetailKeys.PeerReceipt}', l.detail->>'{LedgerDetailKeys.PreviousReceiptSha256}'
        """;

    /// <summary>The trace event in <see cref="TraceColumns"/>.</summary>
    internal static TraceEvent ReadTraceEvent(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4))
        {
            PackageId = reader.IsDBNull(5) ? null : reader.GetInt64(5),
            DeliveryId = reader.IsDBNull(6) ? null : reader.GetInt64(6),
            Recipient = reader.IsDBNull(7) ? null : reader.GetString(7),
            PeerReceipt = reader.IsDBNull(8) ? null : Base64OrNull(reader.GetString(8)),
            PreviousReceiptSha256 = reader.IsDBNull(9) ? null : reader.GetString(9),
        };

    /// <summary>A peer receipt that is not base64 is shown as absent rather than failing the whole trace.</summary>
    private static byte[]? Base64OrNull(string text)
    {
        var buffer = new byte[text.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }

    private static async Task<IReadOnlyList<DeliveryView>> ReadViewsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var views = new List<DeliveryView>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            views.Add(ReadView(reader));
        }

        return views;
    }

    /// <summary>The delivery view in <see cref="ViewColumns"/>, which start the row.</summary>
    internal static DeliveryView ReadView(NpgsqlDataReader reader)
    {
        var recipient = reader.GetString(1);
        var addressedTo = reader.GetString(2);
        return new DeliveryView
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
            FarConfirmedAt = reader.IsDBNull(17) ? null : reader.GetFieldValue<DateTimeOffset>(17),
        };
    }
}
