using Lgsp.Edxml.Model;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;
using NpgsqlTypes;
using static Lgsp.Postgres.Storage.PostgresPackageStore;

namespace Lgsp.Postgres.Storage;

/// <summary><see cref="IAxisStore"/> on PostgreSQL (tables of migrations 0004 and 0010).</summary>
/// <remarks>Thread safe: every call takes its own connection from the data source.</remarks>
public sealed class PostgresAxisStore(NpgsqlDataSource dataSource, TimeProvider clock) : IAxisStore
{
    /// <inheritdoc />
    public async Task<AxisResend?> FindResendAsync(string systemId, string hashHeader, DateTimeOffset since, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT s.package_id, p.receipt FROM lgsp.axis_send s JOIN lgsp.package p ON p.id = s.package_id
            WHERE s.system_id = $1 AND s.hash_header = $2 AND s.at >= $3
            """);
        command.Parameters.AddWithValue(systemId);
        command.Parameters.AddWithValue(hashHeader);
        command.Parameters.AddWithValue(since);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new AxisResend(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : null;
    }

    /// <inheritdoc />
    public async Task RecordSendAsync(string systemId, string hashHeader, long packageId, DateTimeOffset at, CancellationToken ct = default)
    {
        // After the window a resend falls through to the accept path, whose own de-duplication (same
        // sender, same bytes) answers with the same package, so the first row can stay.
        await using var command = dataSource.CreateCommand("""
            INSERT INTO lgsp.axis_send (system_id, hash_header, package_id, at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (system_id, hash_header) DO UPDATE SET package_id = $3, at = $4 WHERE lgsp.axis_send.package_id = $3
            """);
        command.Parameters.AddWithValue(systemId);
        command.Parameters.AddWithValue(hashHeader);
        command.Parameters.AddWithValue(packageId);
        command.Parameters.AddWithValue(at);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <inheritdoc />
    public async Task<int> CountPendingAsync(IReadOnlyCollection<string> recipients, PackageKind kind, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*) FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id
            WHERE d.recipient = ANY($1) AND d.state IN ('pending', 'delivered') AND d.mode = 'pull' AND p.kind = $2
            """);
        command.Parameters.AddWithValue(recipients.ToArray());
        command.Parameters.AddWithValue(Words.Of(kind));
        return (int)(long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <inheritdoc />
    public async Task<int> CountPendingViaAsync(string hub, PackageKind kind, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*) FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id
            WHERE d.via_hub = $1 AND d.state IN ('pending', 'delivered') AND d.mode = 'pull' AND p.kind = $2
            """);
        command.Parameters.AddWithValue(hub);
        command.Parameters.AddWithValue(Words.Of(kind));
        return (int)(long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AxisSentItem>> SentAsync(IReadOnlyCollection<string> senders, PackageKind kind, long? packageId, int max, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(SentQuery("p.from_agency = ANY($1)", "p.id DESC, d.id"));
        command.Parameters.AddWithValue(senders.ToArray());
        command.Parameters.AddWithValue(Words.Of(kind));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)packageId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.AddWithValue(max);
        return await ReadSentAsync(command, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AxisSentItem>> SentByHubAsync(string hub, PackageKind kind, long? packageId, long? fromPackageId, int max, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(SentQuery(
            $"{PostgresPackageStore.ForwardedBy("p", "$1")} AND ($5::bigint IS NULL OR p.id >= $5)",
            fromPackageId is null ? "p.id DESC, d.id" : "p.id, d.id"));
        command.Parameters.AddWithValue(hub);
        command.Parameters.AddWithValue(Words.Of(kind));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)packageId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.AddWithValue(max);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)fromPackageId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        return await ReadSentAsync(command, ct);
    }

    private static string SentQuery(string whose, string order) => $"""
        SELECT p.id, d.id, p.from_agency, d.recipient, p.subject, p.code_notation, p.status_code, p.received_at, d.delivered_at, d.state, d.last_error,
            d.last_error_code, d.addressed_to, d.via_hub, d.mode, d.far_confirmed_at IS NOT NULL
        FROM lgsp.package p JOIN lgsp.delivery d ON d.package_id = p.id
        WHERE {whose} AND p.kind = $2 AND ($3::bigint IS NULL OR p.id = $3)
        ORDER BY {order} LIMIT $4
        """;

    private static async Task<IReadOnlyList<AxisSentItem>> ReadSentAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var items = new List<AxisSentItem>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var to = reader.GetString(3);
            var addressedTo = reader.GetString(12);
            items.Add(new AxisSentItem
            {
                PackageId = reader.GetInt64(0),
                DeliveryId = reader.GetInt64(1),
                From = reader.GetString(2),
                To = to,
                Subject = NullableString(reader, 4),
                CodeNotation = NullableString(reader, 5),
                StatusCode = NullableString(reader, 6),
                SentAt = reader.GetFieldValue<DateTimeOffset>(7),
                DeliveredAt = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                State = Words.State(reader.GetString(9)),
                LastError = NullableString(reader, 10),
                LastErrorCode = NullableString(reader, 11),
                AddressedTo = addressedTo == to ? null : addressedTo,
                Via = NullableString(reader, 13),
                Mode = Words.Mode(reader.GetString(14)),
                ConfirmedBelow = reader.GetBoolean(15),
            });
        }

        return items;
    }

    /// <inheritdoc />
    public async Task<byte[]> ReceiptOfAsync(long packageId, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT receipt FROM lgsp.package WHERE id = $1");
        command.Parameters.AddWithValue(packageId);
        return (byte[])(await command.ExecuteScalarAsync(ct) ?? throw new InvalidOperationException($"Package {packageId} does not exist."));
    }

    /// <summary>The delivery <c>updateStatus processing</c> names, unless its processing is already in
    /// the ledger ($1 the delivery, $2 the kind); the ledger lookup uses <c>ledger_delivery_kind</c> (0011).</summary>
    internal const string ProcessingLookupSql = """
        SELECT p.id, p.document_id, d.recipient FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id
        WHERE d.id = $1 AND d.state IN ('pending', 'delivered', 'retrying')
          AND NOT EXISTS (SELECT 1 FROM lgsp.ledger l WHERE l.delivery_id = $1 AND l.kind = $2)
        FOR UPDATE OF d
        """;

    /// <summary>Every agency for <c>getAgenciesList</c> and <c>getSynchronizeUnit</c>: one pass over the
    /// directory, the code each agency replaced joined from one grouped scan (a correlated subquery per
    /// agency was O(n²)).</summary>
    internal const string ListAgenciesSql = """
        SELECT a.num_id, pa.num_id, a.code, a.name, a.mail, a.tier, o.old_code,
            a.version, a.deleted, a.active, a.changed_at, a.served_by
        FROM lgsp.agency a LEFT JOIN lgsp.agency pa ON pa.code = a.parent_code
        LEFT JOIN (SELECT successor_code, min(code) AS old_code FROM lgsp.agency WHERE successor_code IS NOT NULL GROUP BY successor_code) o
          ON o.successor_code = a.code
        ORDER BY a.num_id
        """;

    /// <inheritdoc />
    public async Task RecordProcessingAsync(long deliveryId, string actor, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var find = new NpgsqlCommand(ProcessingLookupSql, connection, tx))
        {
            find.Parameters.AddWithValue(deliveryId);
            find.Parameters.AddWithValue(LedgerKind.DeliveryProcessing);
            DeliveryConcerned concerned;
            await using (var reader = await find.ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct))
                {
                    return;
                }

                concerned = new DeliveryConcerned(reader.GetInt64(0), reader.GetString(1), deliveryId, reader.GetString(2));
            }

            await LedgerWriter.AppendAsync(tx, DeliveryEntries.Processing(concerned, actor, at), ct: ct);
        }

        await tx.CommitAsync(ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AxisAgency>> ListAgenciesAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(ListAgenciesSql);
        var agencies = new List<AxisAgency>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            agencies.Add(new AxisAgency
            {
                Id = reader.GetInt64(0),
                ParentId = reader.IsDBNull(1) ? null : reader.GetInt64(1),
                Code = reader.GetString(2),
                Name = reader.GetString(3),
                Mail = NullableString(reader, 4),
                Tier = reader.GetString(5),
                OldCode = NullableString(reader, 6),
                Version = reader.GetInt32(7),
                Deleted = reader.GetBoolean(8),
                Active = reader.GetBoolean(9),
                ChangedAt = reader.GetFieldValue<DateTimeOffset>(10),
                ServedBy = NullableString(reader, 11),
            });
        }

        return agencies;
    }

    /// <inheritdoc />
    public async Task<AgencyChange> RegisterAgencyAsync(string systemId, string code, string name, string? parentCode, string? mail, CancellationToken ct = default)
    {
        var at = Timestamps.Truncate(clock.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var (exists, owner, _) = await LockAgencyAsync(connection, tx, code, ct);
        if (exists && owner != systemId)
        {
            return AgencyChange.NotOwner;
        }

        if (parentCode is not null && parentCode != code && !(await LockAgencyAsync(connection, tx, parentCode, ct)).Exists)
        {
            return AgencyChange.ParentNotFound;
        }

        await using (var find = new NpgsqlCommand("SELECT system_id, name, parent_code, mail FROM lgsp.agency_registration WHERE code = $1 AND state = 'pending' FOR UPDATE", connection, tx))
        {
            find.Parameters.AddWithValue(code);
            await using var reader = await find.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                if (reader.GetString(0) != systemId)
                {
                    return AgencyChange.NotOwner;
                }

                // A retried call asks for the same thing: nothing new to record.
                if ((reader.GetString(1), NullableString(reader, 2), NullableString(reader, 3)) == (name, parentCode, mail))
                {
                    return AgencyChange.Pending;
                }
            }
        }

        // The caller asking again with other values replaces its own waiting request.
        await using var upsert = new NpgsqlCommand("""
            INSERT INTO lgsp.agency_registration (code, name, parent_code, mail, system_id, requested_at, state) VALUES ($1, $2, $3, $4, $5, $6, 'pending')
            ON CONFLICT (code) WHERE state = 'pending' DO UPDATE SET name = $2, parent_code = $3, mail = $4, requested_at = $6
            WHERE lgsp.agency_registration.system_id = $5
            """, connection, tx);
        upsert.Parameters.AddWithValue(code);
        upsert.Parameters.AddWithValue(name);
        upsert.Parameters.Add(Nullable(parentCode));
        upsert.Parameters.Add(Nullable(mail));
        upsert.Parameters.AddWithValue(systemId);
        upsert.Parameters.AddWithValue(at);
        if (await upsert.ExecuteNonQueryAsync(ct) != 1)
        {
            // Another system's request came in between.
            return AgencyChange.NotOwner;
        }

        await LedgerWriter.AppendAsync(tx, DirectoryEntries.RegistrationRequested(new AgencyRegistrationRequest(code, name, parentCode, mail, systemId, at)), ct: ct);
        await tx.CommitAsync(ct);
        return AgencyChange.Pending;
    }

    /// <inheritdoc />
    public async Task<AgencyChange> DeleteAgencyAsync(string systemId, string code, CancellationToken ct = default)
    {
        var at = Timestamps.Truncate(clock.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var (exists, owner, deleted) = await LockAgencyAsync(connection, tx, code, ct);
        if (!exists)
        {
            return AgencyChange.NotFound;
        }

        if (owner != systemId)
        {
            return AgencyChange.NotOwner;
        }

        if (!deleted)
        {
            await using var update = new NpgsqlCommand("UPDATE lgsp.agency SET deleted = true, active = false, changed_at = $2 WHERE code = $1", connection, tx);
            update.Parameters.AddWithValue(code);
            update.Parameters.AddWithValue(at);
            await update.ExecuteNonQueryAsync(ct);
            await LedgerWriter.AppendAsync(tx, DirectoryEntries.AgencyDeleted(code, systemId, at), ct: ct);
        }

        await tx.CommitAsync(ct);
        return AgencyChange.Done;
    }

    private static async Task<(bool Exists, string? Owner, bool Deleted)> LockAgencyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string code, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT owner_system, deleted FROM lgsp.agency WHERE code = $1 FOR UPDATE", connection, tx);
        command.Parameters.AddWithValue(code);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (true, NullableString(reader, 0), reader.GetBoolean(1)) : (false, null, false);
    }
}
