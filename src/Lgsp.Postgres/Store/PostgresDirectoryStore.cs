using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;
using static Lgsp.Postgres.Store.PostgresPackageStore;

namespace Lgsp.Postgres.Store;

/// <summary><see cref="IDirectoryStore"/> on PostgreSQL. Every change is written with its ledger entry
/// in one transaction.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class PostgresDirectoryStore(NpgsqlDataSource dataSource, TimeProvider clock) : IDirectoryStore
{
    private const string AgencyColumns = "code, name, parent_code, tier, active, successor_code, push_endpoint, changed_at, served_by";

    /// <inheritdoc />
    public async Task<ClientSystemRecord?> FindClientSystemAsync(string id, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT s.secret_hash, s.policy, s.active, coalesce(array_agg(a.agency_code) FILTER (WHERE a.agency_code IS NOT NULL), '{}')
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
        return new ClientSystemRecord(new ClientSystem(id, Words.Policy(reader.GetString(1)), agencies), reader.GetString(0), reader.GetBoolean(2));
    }

    /// <inheritdoc />
    public async Task<Agency?> FindAgencyAsync(string code, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {AgencyColumns} FROM lgsp.agency WHERE code = $1");
        command.Parameters.AddWithValue(code);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadAgency(reader) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Agency>> ListAgenciesAsync(DateTimeOffset? changedSince = null, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {AgencyColumns} FROM lgsp.agency WHERE $1::timestamptz IS NULL OR changed_at >= $1 ORDER BY code");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)changedSince ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        var agencies = new List<Agency>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            agencies.Add(ReadAgency(reader));
        }

        return agencies;
    }

    /// <inheritdoc />
    public async Task<bool> IsSignerRegisteredAsync(string agency, byte[] certificateSha256, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM lgsp.agency_certificate WHERE agency_code = $1 AND sha256 = $2)");
        command.Parameters.AddWithValue(agency);
        command.Parameters.AddWithValue(certificateSha256);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <inheritdoc />
    public async Task<TrustRecords> LoadTrustAsync(CancellationToken ct = default)
    {
        List<byte[]> roots = [], intermediates = [], crls = [];
        await using (var command = dataSource.CreateCommand("SELECT kind, certificate FROM lgsp.trust_certificate ORDER BY added_at"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                (reader.GetString(0) == "root" ? roots : intermediates).Add(reader.GetFieldValue<byte[]>(1));
            }
        }

        await using (var command = dataSource.CreateCommand("SELECT data FROM lgsp.crl ORDER BY this_update"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                crls.Add(reader.GetFieldValue<byte[]>(0));
            }
        }

        return new TrustRecords(roots, intermediates, crls);
    }

    /// <inheritdoc />
    public Task SaveAgencyAsync(Agency agency, string actor, CancellationToken ct = default) =>
        ChangeAsync(LedgerKind.DirectoryChanged, actor, new { change = "agency.saved", agency.Code, agency.Name, agency.ParentCode, agency.Tier, pushEndpoint = agency.PushEndpoint?.ToString() },
            async (connection, tx, at) =>
            {
                if (agency.ParentCode is { } parent && parent != agency.Code && !await ExistsAsync(connection, tx, "lgsp.agency", "code", parent, ct))
                {
                    throw ExchangeException.Of(HubErrorCode.NotFound, "ParentCode", "ParentCode", parent);
                }

                await using var command = new NpgsqlCommand("""
                    INSERT INTO lgsp.agency (code, name, parent_code, tier, push_endpoint, changed_at) VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT (code) DO UPDATE SET name = $2, parent_code = $3, tier = $4, push_endpoint = $5, changed_at = $6
                    """, connection, tx);
                command.Parameters.AddWithValue(agency.Code);
                command.Parameters.AddWithValue(agency.Name);
                command.Parameters.Add(Nullable(agency.ParentCode));
                command.Parameters.AddWithValue(agency.Tier);
                command.Parameters.Add(Nullable(agency.PushEndpoint?.ToString()));
                command.Parameters.AddWithValue(at);
                await command.ExecuteNonQueryAsync(ct);
            }, ct);

    /// <inheritdoc />
    public Task RetireAgencyAsync(string code, string successor, string actor, CancellationToken ct = default) =>
        ChangeAsync(LedgerKind.DirectoryChanged, actor, new { change = "agency.retired", code, successor }, async (connection, tx, at) =>
        {
            foreach (var (value, field) in new[] { (code, "Code"), (successor, "SuccessorCode") })
            {
                if (!await ExistsAsync(connection, tx, "lgsp.agency", "code", value, ct))
                {
                    throw ExchangeException.Of(HubErrorCode.NotFound, field, field, value);
                }
            }

            // Refuse a successor chain that leads back to the retired code.
            var next = successor;
            for (var hop = 0; next is not null && hop < 64; hop++)
            {
                if (next == code)
                {
                    throw ExchangeException.Of(HubErrorCode.InvalidRequest, "SuccessorCode", $"the successor chain from {successor} leads back to {code}");
                }

                await using var find = new NpgsqlCommand("SELECT successor_code FROM lgsp.agency WHERE code = $1", connection, tx);
                find.Parameters.AddWithValue(next);
                next = await find.ExecuteScalarAsync(ct) as string;
            }

            await using var command = new NpgsqlCommand("UPDATE lgsp.agency SET active = false, successor_code = $2, changed_at = $3 WHERE code = $1", connection, tx);
            command.Parameters.AddWithValue(code);
            command.Parameters.AddWithValue(successor);
            command.Parameters.AddWithValue(at);
            await command.ExecuteNonQueryAsync(ct);
        }, ct);

    /// <inheritdoc />
    public Task AddAgencyCertificateAsync(string agency, X509Certificate2 certificate, string actor, CancellationToken ct = default)
    {
        var sha = SHA256.HashData(certificate.RawData);
        return ChangeAsync(LedgerKind.DirectoryChanged, actor, new { change = "certificate.added", agency, subject = certificate.Subject, sha256 = Words.Hex(sha) },
            async (connection, tx, at) =>
            {
                if (!await ExistsAsync(connection, tx, "lgsp.agency", "code", agency, ct))
                {
                    throw ExchangeException.Of(HubErrorCode.NotFound, "Code", "Code", agency);
                }

                await using var command = new NpgsqlCommand("""
                    INSERT INTO lgsp.agency_certificate (agency_code, sha256, subject, not_after, certificate, added_at) VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT DO NOTHING
                    """, connection, tx);
                command.Parameters.AddWithValue(agency);
                command.Parameters.AddWithValue(sha);
                command.Parameters.AddWithValue(certificate.Subject);
                command.Parameters.AddWithValue(new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
                command.Parameters.AddWithValue(certificate.RawData);
                command.Parameters.AddWithValue(at);
                await command.ExecuteNonQueryAsync(ct);
            }, ct);
    }

    /// <inheritdoc />
    public Task SaveClientSystemAsync(string id, string secretHash, PackagePolicy policy, IReadOnlyCollection<string> agencies, string actor, CancellationToken ct = default) =>
        ChangeAsync(LedgerKind.DirectoryChanged, actor, new { change = "system.saved", id, policy = Words.Of(policy), agencies }, async (connection, tx, at) =>
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
                INSERT INTO lgsp.client_system (id, secret_hash, policy, created_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (id) DO UPDATE SET secret_hash = $2, policy = $3, active = true
                """);
            upsert.Parameters.AddWithValue(id);
            upsert.Parameters.AddWithValue(secretHash);
            upsert.Parameters.AddWithValue(Words.Of(policy));
            upsert.Parameters.AddWithValue(at);
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
    public Task AddTrustCertificateAsync(X509Certificate2 certificate, bool root, string actor, CancellationToken ct = default)
    {
        var sha = SHA256.HashData(certificate.RawData);
        return ChangeAsync(LedgerKind.TrustChanged, actor, new { change = root ? "root.added" : "intermediate.added", subject = certificate.Subject, sha256 = Words.Hex(sha) },
            async (connection, tx, at) =>
            {
                await using var command = new NpgsqlCommand("""
                    INSERT INTO lgsp.trust_certificate (sha256, kind, subject, certificate, added_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
                    """, connection, tx);
                command.Parameters.AddWithValue(sha);
                command.Parameters.AddWithValue(root ? "root" : "intermediate");
                command.Parameters.AddWithValue(certificate.Subject);
                command.Parameters.AddWithValue(certificate.RawData);
                command.Parameters.AddWithValue(at);
                await command.ExecuteNonQueryAsync(ct);
            }, ct);
    }

    /// <inheritdoc />
    public Task AddCrlAsync(byte[] crl, string issuer, DateTimeOffset thisUpdate, string actor, CancellationToken ct = default)
    {
        var sha = SHA256.HashData(crl);
        return ChangeAsync(LedgerKind.TrustChanged, actor, new { change = "crl.added", issuer, thisUpdate, sha256 = Words.Hex(sha) }, async (connection, tx, at) =>
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO lgsp.crl (sha256, issuer, this_update, data, added_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING
                """, connection, tx);
            command.Parameters.AddWithValue(sha);
            command.Parameters.AddWithValue(issuer);
            command.Parameters.AddWithValue(thisUpdate);
            command.Parameters.AddWithValue(crl);
            command.Parameters.AddWithValue(at);
            await command.ExecuteNonQueryAsync(ct);
        }, ct);
    }

    private async Task ChangeAsync(string kind, string actor, object detail, Func<NpgsqlConnection, NpgsqlTransaction, DateTimeOffset, Task> change, CancellationToken ct)
    {
        var at = Exchange.Accept.Timestamps.Truncate(clock.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await change(connection, tx, at);
        await LedgerWriter.AppendAsync(connection, tx, kind, actor, at, detail, ct: ct);
        await tx.CommitAsync(ct);
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string table, string column, string value, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {table} WHERE {column} = $1)", connection, tx);
        command.Parameters.AddWithValue(value);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    private static Agency ReadAgency(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        NullableString(reader, 2),
        reader.GetString(3),
        reader.GetBoolean(4),
        NullableString(reader, 5),
        reader.IsDBNull(6) ? null : new Uri(reader.GetString(6)),
        reader.GetFieldValue<DateTimeOffset>(7))
    {
        ServedBy = NullableString(reader, 8),
    };

    private const string HubColumns = "id, role, base_url, system_id, secret_box, inbound_system, active";

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
        await using var command = dataSource.CreateCommand($"SELECT {HubColumns} FROM lgsp.hub WHERE id = $1");
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
        reader.GetBoolean(6));
}
