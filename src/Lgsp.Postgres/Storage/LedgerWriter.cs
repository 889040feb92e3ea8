using Lgsp.Exchange.Ledger;
using Npgsql;
using NpgsqlTypes;

namespace Lgsp.Postgres.Storage;

/// <summary>Appends ledger entries inside the caller's transaction: the one way rows enter
/// <c>lgsp.ledger</c>. What an entry says is the domain's (<see cref="NewLedgerEntry"/> and its
/// factories); this only writes it.</summary>
internal static class LedgerWriter
{
    /// <summary>Appends an entry.</summary>
    /// <param name="transaction">The transaction of the change the entry records.</param>
    /// <param name="entry">The entry, as the domain made it.</param>
    /// <param name="seq">A seq drawn earlier in the transaction (<c>lgsp.next_ledger_seq()</c>), when the
    /// caller needs the position before the entry is written; null draws one now.</param>
    /// <param name="ct">Cancels the insert.</param>
    /// <returns>The entry's seq.</returns>
    public static async Task<long> AppendAsync(NpgsqlTransaction transaction, NewLedgerEntry entry, long? seq = null, CancellationToken ct = default)
    {
        await using var command = new NpgsqlCommand(
            seq is null
                ? "INSERT INTO lgsp.ledger (at, kind, actor, package_id, document_id, delivery_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq"
                : "INSERT INTO lgsp.ledger (at, kind, actor, package_id, document_id, delivery_id, detail, seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq",
            transaction.Connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = entry.At });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Kind });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Actor });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.PackageId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.DocumentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.DeliveryId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Detail, NpgsqlDbType = NpgsqlDbType.Jsonb });
        if (seq is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = seq.Value });
        }

        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Appends several entries in one statement, for a batch inside the caller's transaction:
    /// one multi-row insert, whatever their number, with the same SQL text each time (so Npgsql prepares
    /// it once). Each entry takes its position in list order: the seq given for it, else one drawn
    /// (<c>lgsp.next_ledger_seq()</c>) as its row is inserted, after those of the entries before it.</summary>
    /// <param name="entries">The entries, in the order a one-by-one append would have written them.</param>
    /// <param name="firstSeq">A seq drawn earlier in the transaction for the first entry, or null.</param>
    public static NpgsqlBatchCommand AppendAll(IReadOnlyList<NewLedgerEntry> entries, long? firstSeq = null)
    {
        // Volatile expressions run after the ORDER BY (PostgreSQL postpones them past the sort), so
        // the drawn seqs ascend in list order, as separate inserts would have drawn them.
        var command = new NpgsqlBatchCommand("""
            INSERT INTO lgsp.ledger (seq, at, kind, actor, package_id, document_id, delivery_id, detail)
            SELECT coalesce(e.seq, lgsp.next_ledger_seq()), e.at, e.kind, e.actor, e.package_id, e.document_id, e.delivery_id, e.detail
            FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bigint[], $8::jsonb[]) WITH ORDINALITY
                AS e (seq, at, kind, actor, package_id, document_id, delivery_id, detail, n)
            ORDER BY e.n
            """);
        var seqs = new long?[entries.Count];
        if (entries.Count > 0)
        {
            seqs[0] = firstSeq;
        }

        command.Parameters.Add(new NpgsqlParameter { Value = seqs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.At).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Kind).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Actor).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.PackageId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.DocumentId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.DeliveryId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.Detail).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        return command;
    }
}
