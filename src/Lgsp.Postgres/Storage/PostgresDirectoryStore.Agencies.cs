using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;
using static Lgsp.Postgres.Storage.PostgresPackageStore;

namespace Lgsp.Postgres.Storage;

// Agencies: found and listed, saved, synced from the parent hub, retired, and their signer certificates.
public sealed partial class PostgresDirectoryStore
{
    private const string AgencyColumns = "code, name, parent_code, tier, active, successor_code, push_endpoint, changed_at, served_by, nonstandard, deleted";

    /// <inheritdoc />
    public async Task<Agency?> FindAgencyAsync(string code, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {AgencyColumns} FROM lgsp.agency WHERE code = $1");
        command.Parameters.AddWithValue(code);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadAgency(reader) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, Agency>> FindAgenciesAsync(IReadOnlyCollection<string> codes, CancellationToken ct = default)
    {
        // UNION (not UNION ALL) ends a circle of successors: a row already found adds nothing.
        await using var command = dataSource.CreateCommand($"""
            WITH RECURSIVE found AS (
                SELECT {AgencyColumns} FROM lgsp.agency WHERE code = ANY($1)
                UNION
                SELECT {SuccessorColumns} FROM lgsp.agency a JOIN found f ON a.code = f.successor_code WHERE NOT f.active
            )
            SELECT {AgencyColumns} FROM found
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = codes.ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        var agencies = new Dictionary<string, Agency>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var agency = ReadAgency(reader);
            agencies[agency.Code] = agency;
        }

        return agencies;
    }

    private static readonly string SuccessorColumns = string.Join(", ", AgencyColumns.Split(", ").Select(column => "a." + column));

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
    public async Task<IReadOnlySet<string>> ListNonStandardCodesAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT code FROM lgsp.agency WHERE nonstandard");
        var codes = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            codes.Add(reader.GetString(0));
        }

        return codes;
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
    // One round trip for what the accept path asked in two: a row whatever the directory holds (the
    // agency's columns null when it does not hold the code).
    public async Task<SenderRecord> FindSenderAsync(string agency, byte[]? certificateSha256, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {SuccessorColumns}, $2::bytea IS NOT NULL AND EXISTS (SELECT FROM lgsp.agency_certificate WHERE agency_code = $1 AND sha256 = $2)
            FROM (SELECT) one LEFT JOIN lgsp.agency a ON a.code = $1
            """);
        command.Parameters.AddWithValue(agency);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)certificateSha256 ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new SenderRecord(reader.IsDBNull(0) ? null : ReadAgency(reader), reader.GetBoolean(11));
    }

    /// <inheritdoc />
    public Task SaveAgencyAsync(Agency agency, string actor, CancellationToken ct = default)
    {
        string? clearedOwner = null;
        return ChangeAsync(at => DirectoryEntries.AgencySaved(agency, actor, at, clearedOwner),
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
                    INSERT INTO lgsp.agency (code, name, parent_code, tier, push_endpoint, changed_at, served_by, nonstandard) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    ON CONFLICT (code) DO UPDATE SET name = $2, parent_code = $3, tier = $4, push_endpoint = $5, changed_at = $6, served_by = $7, nonstandard = $8,
                        owner_system = NULL
                    """, connection, tx);
                command.Parameters.AddWithValue(agency.Code);
                command.Parameters.AddWithValue(agency.Name);
                command.Parameters.Add(Nullable(agency.ParentCode));
                command.Parameters.AddWithValue(agency.Tier);
                command.Parameters.Add(Nullable(agency.PushEndpoint?.ToString()));
                command.Parameters.AddWithValue(at);
                command.Parameters.Add(Nullable(agency.ServedBy));
                command.Parameters.AddWithValue(agency.NonStandard);
                clearedOwner = await TakeOwnershipAsync(connection, tx, agency.Code, ct);
                await command.ExecuteNonQueryAsync(ct);
            }, ct);
    }

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

            // successor_code has a foreign key, so a successor the list names is written before the codes
            // it succeeds (a first sync gets a retired unit and its successor at once, in the parent's
            // order); parent_code has none. Only rows the parent already serves (or new codes) are
            // written: an agency this hub or a child serves is never taken over by the sync.
            foreach (var agency in SuccessorsFirst(agencies))
            {
                await using var upsert = new NpgsqlCommand("""
                    INSERT INTO lgsp.agency AS a (code, name, parent_code, tier, active, successor_code, push_endpoint, changed_at, served_by, deleted)
                    VALUES ($1, $2, $3, $4, $5, $8, NULL, $6, $7, $9)
                    ON CONFLICT (code) DO UPDATE SET name = $2, parent_code = $3, tier = $4, active = $5, changed_at = $6, successor_code = $8, deleted = $9
                    WHERE a.served_by = $7
                      AND (a.name, a.parent_code, a.tier, a.active, a.successor_code, a.deleted) IS DISTINCT FROM ($2, $3, $4, $5, $8, $9)
                    """, connection, tx);
                upsert.Parameters.AddWithValue(agency.Code);
                upsert.Parameters.AddWithValue(agency.Name);
                upsert.Parameters.Add(Nullable(agency.ParentCode));
                upsert.Parameters.AddWithValue(AgencyTier.IsKnown(agency.Tier) ? agency.Tier : AgencyTier.Other);
                upsert.Parameters.AddWithValue(agency.Active);
                upsert.Parameters.AddWithValue(at);
                upsert.Parameters.AddWithValue(hubId);
                upsert.Parameters.Add(Nullable(agency.SuccessorCode));
                upsert.Parameters.AddWithValue(agency.Deleted);
                changed += await upsert.ExecuteNonQueryAsync(ct);
            }
        }, ct);
        return changed;
    }

    /// <summary>The agencies with each one's successor, when the list names it, before it; otherwise in
    /// the given order. One entry per code (the last listed, as upserting them in turn would leave).
    /// Successor loops were left out by the sync; a chain longer than 64 keeps the given order beyond.</summary>
    internal static IReadOnlyList<Agency> SuccessorsFirst(IReadOnlyCollection<Agency> agencies)
    {
        var byCode = new Dictionary<string, Agency>(StringComparer.Ordinal);
        foreach (var agency in agencies)
        {
            byCode[agency.Code] = agency;
        }

        var placed = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<Agency>(byCode.Count);
        void Place(Agency agency, int depth)
        {
            if (!placed.Add(agency.Code))
            {
                return;
            }

            if (depth < 64 && agency.SuccessorCode is { } successor && byCode.TryGetValue(successor, out var next))
            {
                Place(next, depth + 1);
            }

            ordered.Add(agency);
        }

        foreach (var agency in agencies)
        {
            Place(byCode[agency.Code], 0);
        }

        return ordered;
    }

    /// <inheritdoc />
    public Task RetireAgencyAsync(string code, string successor, string actor, CancellationToken ct = default)
    {
        string? clearedOwner = null;
        return ChangeAsync(at => DirectoryEntries.AgencyRetired(code, successor, actor, at, clearedOwner), async (connection, tx, at) =>
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

            clearedOwner = await TakeOwnershipAsync(connection, tx, code, ct);
            await using var command = new NpgsqlCommand("UPDATE lgsp.agency SET active = false, successor_code = $2, changed_at = $3, owner_system = NULL WHERE code = $1", connection, tx);
            command.Parameters.AddWithValue(code);
            command.Parameters.AddWithValue(successor);
            command.Parameters.AddWithValue(at);
            await command.ExecuteNonQueryAsync(ct);
        }, ct);
    }

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
    public async Task<IReadOnlyList<AgencyCertificate>> ListAgencyCertificatesAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT agency_code, subject, sha256, not_after FROM lgsp.agency_certificate ORDER BY agency_code, not_after");
        var certificates = new List<AgencyCertificate>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            certificates.Add(new AgencyCertificate(reader.GetString(0), reader.GetString(1), Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(2)),
                reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return certificates;
    }

    // An operator's change replaces a client system's registration: the system that registered the agency
    // (returned, for the ledger entry) loses the mandate the registration gave it. The caller's statement
    // clears owner_system itself, so that the row changes (and its version moves) once.
    private static async Task<string?> TakeOwnershipAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string code, CancellationToken ct)
    {
        string? owner;
        await using (var find = new NpgsqlCommand("SELECT owner_system FROM lgsp.agency WHERE code = $1 FOR UPDATE", connection, tx))
        {
            find.Parameters.AddWithValue(code);
            owner = await find.ExecuteScalarAsync(ct) as string;
        }

        if (owner is not null)
        {
            await using var unlink = new NpgsqlCommand("DELETE FROM lgsp.client_system_agency WHERE system_id = $1 AND agency_code = $2 AND registered", connection, tx);
            unlink.Parameters.AddWithValue(owner);
            unlink.Parameters.AddWithValue(code);
            await unlink.ExecuteNonQueryAsync(ct);
        }

        return owner;
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
        NonStandard = reader.GetBoolean(9),
        Deleted = reader.GetBoolean(10),
    };
}
