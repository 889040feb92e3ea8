using Lgsp.Exchange.Storage;
using static Lgsp.Postgres.Storage.PostgresPackageStore;

namespace Lgsp.Postgres.Storage;

// Client systems as the console lists them: their last call and their refusals by code; and this
// hub's last successful poll of its parent, for the hub links screen.
public sealed partial class PostgresDirectoryStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<ClientSystemSummary>> ListClientSystemsAsync(DateTimeOffset refusalsSince, CancellationToken ct = default)
    {
        // Refusals come from the ledger's package.refused entries (ledger_refused_system, a partial index).
        await using var command = dataSource.CreateCommand("""
            SELECT s.id, s.policy, s.role, s.active, s.created_at, s.last_call_at,
                coalesce((SELECT array_agg(a.agency_code ORDER BY a.agency_code) FROM lgsp.client_system_agency a WHERE a.system_id = s.id), '{}'),
                (SELECT h.id FROM lgsp.hub h WHERE h.inbound_system = s.id AND h.active ORDER BY h.id LIMIT 1),
                coalesce((SELECT array_agg(r.code ORDER BY r.n DESC, r.code) FROM (
                    SELECT l.detail ->> 'code' AS code, count(*) AS n FROM lgsp.ledger l
                    WHERE l.kind = 'package.refused' AND l.detail ->> 'system' = s.id AND l.at >= $1 GROUP BY 1) r), '{}'),
                coalesce((SELECT array_agg(r.n ORDER BY r.n DESC, r.code) FROM (
                    SELECT l.detail ->> 'code' AS code, count(*) AS n FROM lgsp.ledger l
                    WHERE l.kind = 'package.refused' AND l.detail ->> 'system' = s.id AND l.at >= $1 GROUP BY 1) r), '{}')
            FROM lgsp.client_system s ORDER BY s.id
            """);
        command.Parameters.AddWithValue(refusalsSince);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var systems = new List<ClientSystemSummary>();
        while (await reader.ReadAsync(ct))
        {
            var codes = reader.GetFieldValue<string[]>(8);
            var counts = reader.GetFieldValue<long[]>(9);
            systems.Add(new ClientSystemSummary(reader.GetString(0), Words.Policy(reader.GetString(1)), reader.GetFieldValue<string[]>(6),
                reader.GetString(2) == Words.Auditor, NullableString(reader, 7), reader.GetBoolean(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), [.. codes.Zip(counts)]));
        }

        return systems;
    }

    /// <inheritdoc />
    public async Task RecordClientCallAsync(string id, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE lgsp.client_system SET last_call_at = $2 WHERE id = $1 AND (last_call_at IS NULL OR last_call_at < $2)");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(Exchange.Storage.Timestamps.Truncate(at));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <inheritdoc />
    public async Task RecordHubPollAsync(string id, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE lgsp.hub SET last_poll_at = $2 WHERE id = $1 AND (last_poll_at IS NULL OR last_poll_at < $2)");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(Exchange.Storage.Timestamps.Truncate(at));
        await command.ExecuteNonQueryAsync(ct);
    }
}
