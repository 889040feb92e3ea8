using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Lgsp.Postgres.Store;

/// <summary>Appends ledger entries inside the caller's transaction: the one way rows enter
/// <c>lgsp.ledger</c>.</summary>
internal static class LedgerWriter
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static async Task<long> AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string kind, string actor,
        DateTimeOffset at, object detail, long? packageId = null, string? documentId = null, long? deliveryId = null, long? seq = null,
        CancellationToken ct = default)
    {
        await using var command = new NpgsqlCommand(
            seq is null
                ? "INSERT INTO lgsp.ledger (at, kind, actor, package_id, document_id, delivery_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq"
                : "INSERT INTO lgsp.ledger (at, kind, actor, package_id, document_id, delivery_id, detail, seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq",
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        command.Parameters.Add(new NpgsqlParameter { Value = actor });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)packageId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)documentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)deliveryId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(detail, Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
        if (seq is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = seq.Value });
        }

        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
