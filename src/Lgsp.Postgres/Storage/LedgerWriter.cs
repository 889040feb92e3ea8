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
}
