using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;
using static Lgsp.Postgres.Storage.PostgresPackageStore;

namespace Lgsp.Postgres.Storage;

// Client systems: found for authentication, saved with their agencies, given a new secret.
public sealed partial class PostgresDirectoryStore
{
    /// <inheritdoc />
    public async Task<ClientSystemRecord?> FindClientSystemAsync(string id, CancellationToken ct = default)
    {
        // A system that some active hub calls this one with acts as that hub.
        await using var command = dataSource.CreateCommand("""
            SELECT s.secret_hash, s.policy, s.active, coalesce(array_agg(a.agency_code) FILTER (WHERE a.agency_code IS NOT NULL), '{}'), s.secret_box,
                (SELECT h.id FROM lgsp.hub h WHERE h.inbound_system = s.id AND h.active ORDER BY h.id LIMIT 1), s.role
            FROM lgsp.client_system s LEFT JOIN lgsp.client_system_agency a ON a.system_id = s.id
            WHERE s.id = $1 GROUP BY s.id
            """);
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var agencies = reader.GetFieldValue<string[]>(3).ToHashSet(StringComparer.Ordinal);
        var system = new ClientSystem(id, Words.Policy(reader.GetString(1)), agencies)
        {
            Hub = NullableString(reader, 5),
            IsAuditor = reader.GetString(6) == Words.Auditor,
        };
        return new ClientSystemRecord(system, reader.GetString(0), reader.GetBoolean(2))
        {
            SealedSecret = reader.IsDBNull(4) ? null : reader.GetFieldValue<byte[]>(4),
        };
    }

    /// <inheritdoc />
    public Task SaveClientSystemAsync(string id, string secretHash, byte[]? sealedSecret, PackagePolicy policy, IReadOnlyCollection<string> agencies, string actor, CancellationToken ct = default,
        bool auditor = false) =>
        ChangeAsync(at => DirectoryEntries.SystemSaved(id, policy, agencies, auditor, actor, at),
            async (connection, tx, at) =>
        {
            foreach (var agency in agencies)
            {
                if (!await ExistsAsync(connection, tx, "lgsp.agency", "code", agency, ct))
                {
                    throw ExchangeException.Of(HubErrorCode.NotFound, "Agency", "Agency", agency);
                }
            }

            await using var batch = new NpgsqlBatch(connection, tx);
            var upsert = new NpgsqlBatchCommand("""
                INSERT INTO lgsp.client_system (id, secret_hash, policy, created_at, secret_box, role) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (id) DO UPDATE SET secret_hash = $2, policy = $3, active = true, secret_box = $5, role = $6
                """);
            upsert.Parameters.AddWithValue(id);
            upsert.Parameters.AddWithValue(secretHash);
            upsert.Parameters.AddWithValue(Words.Of(policy));
            upsert.Parameters.AddWithValue(at);
            upsert.Parameters.Add(new NpgsqlParameter { Value = (object?)sealedSecret ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
            upsert.Parameters.AddWithValue(auditor ? Words.Auditor : Words.Agency);
            var clear = new NpgsqlBatchCommand("DELETE FROM lgsp.client_system_agency WHERE system_id = $1");
            clear.Parameters.AddWithValue(id);
            var add = new NpgsqlBatchCommand("INSERT INTO lgsp.client_system_agency (system_id, agency_code) SELECT $1, unnest($2::text[])");
            add.Parameters.AddWithValue(id);
            add.Parameters.AddWithValue(agencies.Distinct().ToArray());
            batch.BatchCommands.Add(upsert);
            batch.BatchCommands.Add(clear);
            batch.BatchCommands.Add(add);
            await batch.ExecuteNonQueryAsync(ct);
        }, ct);

    /// <inheritdoc />
    public async Task<bool> SetClientSecretAsync(string id, string secretHash, byte[] sealedSecret, string actor, CancellationToken ct = default)
    {
        try
        {
            await ChangeAsync(at => DirectoryEntries.SystemSecretSet(id, actor, at), async (connection, tx, at) =>
            {
                await using var command = new NpgsqlCommand("UPDATE lgsp.client_system SET secret_hash = $2, secret_box = $3 WHERE id = $1", connection, tx);
                command.Parameters.AddWithValue(id);
                command.Parameters.AddWithValue(secretHash);
                command.Parameters.AddWithValue(sealedSecret);
                if (await command.ExecuteNonQueryAsync(ct) == 0)
                {
                    throw ExchangeException.Of(HubErrorCode.NotFound, "SystemId", "SystemId", id);
                }
            }, ct);
            return true;
        }
        catch (ExchangeException ex) when (ex.Error.Code == HubErrorCode.NotFound)
        {
            return false;
        }
    }
}
