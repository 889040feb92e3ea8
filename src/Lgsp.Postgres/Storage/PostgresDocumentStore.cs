using System.Text;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Documents;
using Lgsp.Exchange.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Lgsp.Postgres.Storage;

/// <summary><see cref="IDocumentStore"/> on PostgreSQL: the search reads only what the accept path
/// stored for it (migration 0015: folded subject and number/notation with trigram indexes, newest-first
/// indexes), never the packages' bytes.</summary>
/// <remarks>Thread safe: every call takes its own connection from the data source.</remarks>
// This file searches; the whole file of one document is PostgresDocumentStore.File.cs.
public sealed partial class PostgresDocumentStore(NpgsqlDataSource dataSource) : IDocumentStore
{
    /// <inheritdoc />
    public async Task<DocumentPage> SearchAsync(DocumentQuery query, IReadOnlyCollection<string>? agencies, DocumentCursor? after, int max, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);

        // Only the conditions given become SQL, so every plan is made for the search at hand: a
        // generic plan of "$1 IS NULL OR …" could use none of the indexes.
        await using var command = dataSource.CreateCommand();
        var where = new StringBuilder("p.kind = 'document'");
        string Add(object value, NpgsqlDbType? type = null)
        {
            var parameter = type is { } t ? new NpgsqlParameter { Value = value, NpgsqlDbType = t } : new NpgsqlParameter { Value = value };
            command.Parameters.Add(parameter);
            return "$" + command.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (agencies is not null)
        {
            var own = Add(agencies.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            where.Append($" AND (p.from_agency = ANY({own}) OR EXISTS (SELECT 1 FROM lgsp.delivery d WHERE d.package_id = p.id AND d.recipient = ANY({own})))");
        }

        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var text = query.Text.Trim();
            var folded = SearchText.Fold(text);
            var words = folded.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => Add(Contains(w)));
            where.Append($" AND (p.document_id = {Add(text)} OR p.code_folded LIKE {Add(Contains(folded))}");
            where.Append($" OR ({string.Join(" AND ", words.Select(w => $"p.subject_folded LIKE {w}"))}))");
        }

        if (!string.IsNullOrWhiteSpace(query.From))
        {
            where.Append($" AND p.from_agency = {Add(query.From.Trim())}");
        }

        if (!string.IsNullOrWhiteSpace(query.To))
        {
            where.Append($" AND EXISTS (SELECT 1 FROM lgsp.delivery d WHERE d.package_id = p.id AND d.recipient = {Add(query.To.Trim())})");
        }

        if (query.State is { } state)
        {
            where.Append($" AND EXISTS (SELECT 1 FROM lgsp.delivery d WHERE d.package_id = p.id AND d.state = {Add(Words.Of(state))})");
        }

        if (query.Since is { } since)
        {
            where.Append($" AND p.received_at >= {Add(since.ToUniversalTime())}"); // Npgsql writes only UTC offsets to timestamptz
        }

        if (query.Until is { } until)
        {
            where.Append($" AND p.received_at < {Add(until.ToUniversalTime())}");
        }

        if (after is not null)
        {
            where.Append($" AND (p.received_at, p.id) < ({Add(after.ReceivedAt)}, {Add(after.PackageId)})");
        }

        command.CommandText = $"""
            SELECT p.id, p.document_id, p.from_agency, p.code_number, p.code_notation, p.subject, p.business_type, p.received_at,
                   ARRAY(SELECT d.recipient FROM lgsp.delivery d WHERE d.package_id = p.id ORDER BY d.id),
                   ARRAY(SELECT d.state FROM lgsp.delivery d WHERE d.package_id = p.id ORDER BY d.id)
            FROM lgsp.package p
            WHERE {where}
            ORDER BY p.received_at DESC, p.id DESC
            LIMIT {Add(max + 1)}
            """;

        var rows = new List<DocumentRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var recipients = reader.GetFieldValue<string[]>(8);
            var states = reader.GetFieldValue<string[]>(9);
            rows.Add(new DocumentRow
            {
                PackageId = reader.GetInt64(0),
                DocumentId = reader.GetString(1),
                From = reader.GetString(2),
                CodeNumber = PostgresPackageStore.NullableString(reader, 3),
                CodeNotation = PostgresPackageStore.NullableString(reader, 4),
                Subject = PostgresPackageStore.NullableString(reader, 5),
                BusinessType = reader.IsDBNull(6) ? null : (BusinessDocType)reader.GetInt16(6),
                ReceivedAt = reader.GetFieldValue<DateTimeOffset>(7),
                Recipients = [.. recipients.Select((r, i) => (r, Words.State(states[i])))],
            });
        }

        if (rows.Count <= max)
        {
            return new DocumentPage(rows, null);
        }

        rows.RemoveAt(max);
        return new DocumentPage(rows, new DocumentCursor(rows[^1].ReceivedAt, rows[^1].PackageId));
    }

    /// <summary>A LIKE pattern finding <paramref name="folded"/> anywhere, its wildcards taken literally.</summary>
    private static string Contains(string folded) =>
        "%" + folded.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
}
