using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Lgsp.Postgres.Storage;

/// <summary>The one way a delivery changes state on someone's word (a recipient's fetch or confirmation,
/// a far hub's report): the update, when the delivery's state allows it, and its ledger entry, in one
/// transaction.</summary>
internal static class DeliveryTransition
{
    /// <summary>Changes the delivery when <paramref name="when"/> holds and appends the entry made for it;
    /// a delivery in any other state is left as it is, with no entry.</summary>
    /// <param name="dataSource">The hub's database.</param>
    /// <param name="deliveryId">The delivery, <c>$1</c>.</param>
    /// <param name="set">The update's SET list, on the delivery <c>d</c>.</param>
    /// <param name="when">The condition on <c>d</c> and its package <c>p</c> under which it changes.</param>
    /// <param name="values"><c>$2</c>, <c>$3</c>, … in order; a null is a text null.</param>
    /// <param name="entry">Makes the ledger entry from the package and recipient read back.</param>
    /// <param name="ct">Cancels the change.</param>
    /// <returns>Whether the delivery changed.</returns>
    public static async Task<bool> ApplyAsync(NpgsqlDataSource dataSource, long deliveryId, string set, string when, IReadOnlyList<object?> values,
        Func<DeliveryConcerned, NewLedgerEntry> entry, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var update = new NpgsqlCommand($"""
            UPDATE lgsp.delivery d SET {set}
            FROM lgsp.package p
            WHERE d.id = $1 AND p.id = d.package_id AND {when}
            RETURNING p.id, p.document_id, d.recipient
            """, connection, tx);
        update.Parameters.AddWithValue(deliveryId);
        foreach (var value in values)
        {
            update.Parameters.Add(value is null ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text } : new NpgsqlParameter { Value = value });
        }

        DeliveryConcerned concerned;
        await using (var reader = await update.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                return false;
            }

            concerned = new DeliveryConcerned(reader.GetInt64(0), reader.GetString(1), deliveryId, reader.GetString(2));
        }

        await LedgerWriter.AppendAsync(tx, entry(concerned), ct: ct);
        await tx.CommitAsync(ct);
        return true;
    }
}
