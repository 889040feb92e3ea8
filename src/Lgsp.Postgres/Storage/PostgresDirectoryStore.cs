using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;
using static Lgsp.Postgres.Storage.PostgresPackageStore;

namespace Lgsp.Postgres.Storage;

/// <summary><see cref="IDirectoryStore"/> on PostgreSQL. Every change is written with its ledger entry
/// in one transaction.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class PostgresDirectoryStore(NpgsqlDataSource dataSource, TimeProvider clock) : IDirectoryStore
{
    private const string AgencyColumns = "code, name, parent_code, tier, active, successor_code, push_endpoint, changed_at, served_by";

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
        ChangeAsync(at => DirectoryEntries.AgencySaved(agency, actor, at),
            async (connection, tx, at) =>
            {
                if (agency.ParentCode is { } parent && parent != agency.Code && !await ExistsAsync(connection, tx, "lgsp.agency", "code", parent, ct))
                {
                    throw ExchangeException.Of(HubErrorCode.NotFound, "ParentCode", "ParentCode", parent);
                }

                if (agency.ServedBy is { } hub && !await ExistsAsync(connection, tx, "lgsp.hub", "id", hub, ct))
                {
                    throw ExchangeException.Of(HubErrorCode.NotFound, "ServedBy", "ServedBy", hub);
                }

                await using var command = new NpgsqlCommand("""
                    INSERT INTO lgsp.agency (code, name, parent_code, tier, push_endpoint, changed_at, served_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
                    ON CONFLICT (code) DO UPDATE SET name = $2, parent_code = $3, tier = $4, push_endpoint = $5, changed_at = $6, served_by = $7
                    """, connection, tx);
                command.Parameters.AddWithValue(agency.Code);
                command.Parameters.AddWithValue(agency.Name);
                command.Parameters.Add(Nullable(agency.ParentCode));
                command.Parameters.AddWithValue(agency.Tier);
                command.Parameters.Add(Nullable(agency.PushEndpoint?.ToString()));
                command.Parameters.AddWithValue(at);
                command.Parameters.Add(Nullable(agency.ServedBy));
                await command.ExecuteNonQueryAsync(ct);
            }, ct);

    /// <inheritdoc />
    public async Task<int> UpsertRemoteAgenciesAsync(string hubId, IReadOnlyCollection<Agency> agencies, string actor, CancellationToken ct = default)
    {
        var changed = 0;
        await ChangeAsync(at => DirectoryEntries.AgenciesSynced(hubId, agencies.Count, changed, actor, at), async (connection, tx, at) =>
        {
            await using (var find = new NpgsqlCommand("SELECT role, active FROM lgsp.hub WHERE id = $1", connection, tx))
            {
                find.Parameters.AddWithValue(hubId);
                await using var reader = await find.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct) || reader.GetString(0) != "parent")
                {
                    throw ExchangeException.Of(HubErrorCode.NotFound, "Hub", "parent hub", hubId);
                }
            }

            // Parents before children would be needed for a foreign key; parent_code has none, so the
            // order is the sender's. Only rows the parent already serves (or new codes) are written: an
            // agency this hub or a child serves is never taken over by the sync.
            foreach (var agency in agencies)
            {
                await using var upsert = new NpgsqlCommand("""
                    INSERT INTO lgsp.agency AS a (code, name, parent_code, tier, active, successor_code, push_endpoint, changed_at, served_by)
                    VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6, $7)
                    ON CONFLICT (code) DO UPDATE SET name = $2, parent_code = $3, tier = $4, active = $5, changed_at = $6
                    WHERE a.served_by = $7
                      AND (a.name, a.parent_code, a.tier, a.active) IS DISTINCT FROM ($2, $3, $4, $5)
                    """, connection, tx);
                upsert.Parameters.AddWithValue(agency.Code);
                upsert.Parameters.AddWithValue(agency.Name);
                upsert.Parameters.Add(Nullable(agency.ParentCode));
                upsert.Parameters.AddWithValue(AgencyTier.IsKnown(agency.Tier) ? agency.Tier : AgencyTier.Other);
                upsert.Parameters.AddWithValue(agency.Active);
                upsert.Parameters.AddWithValue(at);
                upsert.Parameters.AddWithValue(hubId);
                changed += await upsert.ExecuteNonQueryAsync(ct);
            }
        }, ct);
        return changed;
    }

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
                    INSERT INTO lgsp.hub (id, role, base_url, system_id, secret_box, inbound_system, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    ON CONFLICT (id) DO UPDATE SET role = $2, base_url = $3, system_id = $4, secret_box = coalesce($5, lgsp.hub.secret_box),
                        inbound_system = $6, active = $7
                    """, connection, tx);
                command.Parameters.AddWithValue(hub.Id);
                command.Parameters.AddWithValue(Words.Of(hub.Role));
                command.Parameters.Add(Nullable(hub.BaseUrl?.ToString()));
                command.Parameters.Add(Nullable(hub.SystemId));
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)hub.SealedSecret ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
                command.Parameters.Add(Nullable(hub.InboundSystem));
                command.Parameters.AddWithValue(hub.Active);
                command.Parameters.AddWithValue(at);
                await command.ExecuteNonQueryAsync(ct);
            }, ct);

    /// <inheritdoc />
    public Task RetireAgencyAsync(string code, string successor, string actor, CancellationToken ct = default) =>
        ChangeAsync(at => DirectoryEntries.AgencyRetired(code, successor, actor, at), async (connection, tx, at) =>
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
        return ChangeAsync(at => DirectoryEntries.CertificateAdded(agency, certificate, actor, at),
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

    /// <inheritdoc />
    public Task AddTrustCertificateAsync(X509Certificate2 certificate, bool root, string actor, CancellationToken ct = default)
    {
        var sha = SHA256.HashData(certificate.RawData);
        return ChangeAsync(at => TrustEntries.CertificateAdded(certificate, root, actor, at),
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
        return ChangeAsync(at => TrustEntries.CrlAdded(crl, issuer, thisUpdate, actor, at), async (connection, tx, at) =>
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

    // The entry is made after the change, so it can say what the change did.
    private async Task ChangeAsync(Func<DateTimeOffset, NewLedgerEntry> entry, Func<NpgsqlConnection, NpgsqlTransaction, DateTimeOffset, Task> change, CancellationToken ct)
    {
        var at = Timestamps.Truncate(clock.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await change(connection, tx, at);
        await LedgerWriter.AppendAsync(tx, entry(at), ct: ct);
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
        reader.GetBoolean(6));
}
