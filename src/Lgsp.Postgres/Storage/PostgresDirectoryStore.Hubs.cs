using System.Security.Cryptography.X509Certificates;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Ledger;
using Npgsql;
using static Lgsp.Postgres.Storage.PostgresPackageStore;

namespace Lgsp.Postgres.Storage;

// Links to other hubs: saved, listed and found.
public sealed partial class PostgresDirectoryStore
{
    /// <inheritdoc />
    public Task SaveHubAsync(HubLink hub, string actor, CancellationToken ct = default) =>
        ChangeAsync(at => DirectoryEntries.HubSaved(hub, actor, at),
            async (connection, tx, at) =>
            {
                if (hub.Role == HubRole.Parent && (hub.BaseUrl is null || hub.SystemId is null || hub.SealedSecret is null))
                {
                    throw ExchangeException.Of(HubErrorCode.InvalidRequest, "Hub", "a parent hub needs its URL, the system id this hub presents and its secret");
                }

                if (hub.InboundSystem is { } inbound && !await ExistsAsync(connection, tx, "lgsp.client_system", "id", inbound, ct))
                {
                    throw ExchangeException.Of(HubErrorCode.NotFound, "InboundSystem", "InboundSystem", inbound);
                }

                if (hub.Role == HubRole.Parent && hub.Active)
                {
                    await using var other = new NpgsqlCommand("SELECT id FROM lgsp.hub WHERE role = 'parent' AND active AND id <> $1", connection, tx);
                    other.Parameters.AddWithValue(hub.Id);
                    if (await other.ExecuteScalarAsync(ct) is string existing)
                    {
                        throw ExchangeException.Of(HubErrorCode.InvalidRequest, "Role", $"this hub already has an active parent, {existing}; disable it first");
                    }
                }

                await using var command = new NpgsqlCommand("""
                    INSERT INTO lgsp.hub (id, role, base_url, system_id, secret_box, inbound_system, active, created_at, signing_cert, policy)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                    ON CONFLICT (id) DO UPDATE SET role = $2, base_url = $3, system_id = $4, secret_box = coalesce($5, lgsp.hub.secret_box),
                        inbound_system = $6, active = $7, signing_cert = $9, policy = $10
                    """, connection, tx);
                command.Parameters.AddWithValue(hub.Id);
                command.Parameters.AddWithValue(Words.Of(hub.Role));
                command.Parameters.Add(Nullable(hub.BaseUrl?.ToString()));
                command.Parameters.Add(Nullable(hub.SystemId));
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)hub.SealedSecret ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
                command.Parameters.Add(Nullable(hub.InboundSystem));
                command.Parameters.AddWithValue(hub.Active);
                command.Parameters.AddWithValue(at);
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)hub.SigningCertificate?.RawData ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
                command.Parameters.AddWithValue(LinkPolicies.Word(hub.Policy));
                await command.ExecuteNonQueryAsync(ct);
            }, ct);

    private const string HubColumns = "id, role, base_url, system_id, secret_box, inbound_system, active, signing_cert, policy";

    /// <inheritdoc />
    public async Task<IReadOnlyList<HubLink>> ListHubsAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {HubColumns} FROM lgsp.hub ORDER BY id");
        var hubs = new List<HubLink>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            hubs.Add(ReadHub(reader));
        }

        return hubs;
    }

    /// <inheritdoc />
    public async Task<HubLink?> FindHubAsync(string id, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await FindHubAsync(connection, id, ct);
    }

    internal static async Task<HubLink?> FindHubAsync(NpgsqlConnection connection, string id, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT {HubColumns} FROM lgsp.hub WHERE id = $1", connection);
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadHub(reader) : null;
    }

    private static HubLink ReadHub(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1) == "parent" ? HubRole.Parent : HubRole.Child,
        reader.IsDBNull(2) ? null : new Uri(reader.GetString(2)),
        NullableString(reader, 3),
        reader.IsDBNull(4) ? null : reader.GetFieldValue<byte[]>(4),
        NullableString(reader, 5),
        reader.GetBoolean(6))
    {
        SigningCertificate = reader.IsDBNull(7) ? null : X509CertificateLoader.LoadCertificate(reader.GetFieldValue<byte[]>(7)),
        Policy = reader.GetString(8) == "inherit" ? LinkPolicy.Inherit : LinkPolicy.Strict,
    };
}
