using Lgsp.Exchange.Reports.Facts;
using Lgsp.Exchange.Reports.Rollups;
using Lgsp.Exchange.Storage;
using Npgsql;

namespace Lgsp.Postgres.Storage;

// Reading the raw facts of the documents accepted on some days, with their deliveries and the
// statuses about them, as the rollups count them.
public sealed partial class PostgresReportStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<DocumentFacts>> ReadFactsAsync(IReadOnlyCollection<DateOnly> days, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(days);
        var dayArray = days.ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(ct);

        // One snapshot for the three reads, so a delivery never refers to a document read earlier or later.
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var attachments = await ReadAttachmentsAsync(connection, tx, dayArray, ct);
        var deliveries = await ReadDeliveriesAsync(connection, tx, dayArray, ct);

        await using var command = new NpgsqlCommand("""
            SELECT package_id, from_agency, from_tier, from_scope, received_at, priority, paper, promulgation_date, envelope_signer, document_id
            FROM lgsp.report_package WHERE kind = 'document' AND received_day = ANY($1) ORDER BY package_id
            """, connection, tx);
        command.Parameters.AddWithValue(dayArray);
        var documents = new List<DocumentFacts>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetInt64(0);
                documents.Add(new DocumentFacts(
                    id,
                    reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    Enum.Parse<ExchangeScope>(reader.GetString(3), ignoreCase: true),
                    reader.GetFieldValue<DateTimeOffset>(4),
                    reader.IsDBNull(5) ? null : reader.GetInt16(5),
                    reader.GetBoolean(6),
                    reader.IsDBNull(7) ? null : reader.GetFieldValue<DateOnly>(7),
                    Enum.Parse<SignerClass>(reader.GetString(8), ignoreCase: true),
                    attachments.TryGetValue(id, out var a) ? a : [],
                    deliveries.TryGetValue(id, out var d) ? d : [],
                    reader.IsDBNull(9) ? null : reader.GetString(9)));
            }
        }

        await tx.CommitAsync(ct);
        return documents;
    }

    private static async Task<Dictionary<long, List<AttachmentFact>>> ReadAttachmentsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, DateOnly[] days,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT a.package_id, a.ordinal, a.name, a.verdict, a.organization_signers, a.personal_signers
            FROM lgsp.report_attachment a JOIN lgsp.report_package rp USING (package_id)
            WHERE rp.kind = 'document' AND rp.received_day = ANY($1) ORDER BY a.package_id, a.ordinal
            """, connection, tx);
        command.Parameters.AddWithValue(days);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var map = new Dictionary<long, List<AttachmentFact>>();
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetInt64(0);
            if (!map.TryGetValue(id, out var list))
            {
                map[id] = list = [];
            }

            list.Add(new AttachmentFact(reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                Enum.Parse<PdfVerdict>(reader.GetString(3), ignoreCase: true), reader.GetInt32(4), reader.GetInt32(5)));
        }

        return map;
    }

    // The statuses about a delivery: those the recipient sent the document's sender about the
    // DocumentId (01, 02, 03, 06, 15, 16), and the sender's take-back request to the recipient (13).
    private static async Task<Dictionary<long, List<DeliveryFacts>>> ReadDeliveriesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, DateOnly[] days,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT d.package_id, d.recipient, rr.tier, coalesce(rr.scope, 'internal'), d.state,
                   coalesce(d.last_error_code, CASE WHEN rr.scope = 'unrouted' THEN nullif(split_part(d.last_error, ':', 1), '') END),
                   d.delivered_at, d.acknowledged_at, s.arrived_at, coalesce(s.refused, false), coalesce(s.take_back, false),
                   coalesce(s.change_accepted, false), coalesce(s.change_rejected, false), s.refused_at, s.accepted_at, s.finished_at
            FROM lgsp.report_package rp
            JOIN lgsp.delivery d ON d.package_id = rp.package_id
            LEFT JOIN lgsp.report_recipient rr ON rr.package_id = d.package_id AND rr.recipient = d.recipient
            LEFT JOIN LATERAL (
                SELECT min(st.received_at) FILTER (WHERE st.status_code = '01' AND st.from_agency = d.recipient) AS arrived_at,
                       bool_or(st.status_code = '02' AND st.from_agency = d.recipient) AS refused,
                       bool_or(st.status_code = '13' AND st.from_agency = rp.from_agency) AS take_back,
                       bool_or(st.status_code = '15' AND st.from_agency = d.recipient) AS change_accepted,
                       bool_or(st.status_code = '16' AND st.from_agency = d.recipient) AS change_rejected,
                       min(st.received_at) FILTER (WHERE st.status_code = '02' AND st.from_agency = d.recipient) AS refused_at,
                       min(st.received_at) FILTER (WHERE st.status_code = '03' AND st.from_agency = d.recipient) AS accepted_at,
                       min(st.received_at) FILTER (WHERE st.status_code = '06' AND st.from_agency = d.recipient) AS finished_at
                FROM lgsp.package st
                WHERE st.kind = 'status' AND st.document_id = rp.document_id
                  AND ((st.from_agency = d.recipient AND st.status_target = rp.from_agency)
                    OR (st.from_agency = rp.from_agency AND st.status_target = d.recipient))
            ) s ON true
            WHERE rp.kind = 'document' AND rp.received_day = ANY($1)
            ORDER BY d.package_id, d.id
            """, connection, tx);
        command.Parameters.AddWithValue(days);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var map = new Dictionary<long, List<DeliveryFacts>>();
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetInt64(0);
            if (!map.TryGetValue(id, out var list))
            {
                map[id] = list = [];
            }

            list.Add(new DeliveryFacts(
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                Enum.Parse<ExchangeScope>(reader.GetString(3), ignoreCase: true),
                Words.State(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                Time(reader, 6),
                Time(reader, 7),
                Time(reader, 8),
                reader.GetBoolean(9),
                reader.GetBoolean(10),
                reader.GetBoolean(11),
                reader.GetBoolean(12),
                Time(reader, 13),
                Time(reader, 14),
                Time(reader, 15)));
        }

        return map;
    }

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
