using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Npgsql;
using static Lgsp.Postgres.Storage.PostgresPackageStore;

namespace Lgsp.Postgres.Storage;

// Agency registrations by client systems (migration 0010): the requests waiting for an operator, and
// the operator's approval or rejection. The requests themselves are recorded by PostgresAxisStore.
public sealed partial class PostgresDirectoryStore
{
    private const string RegistrationColumns = "code, name, parent_code, mail, system_id, requested_at";

    /// <inheritdoc />
    public async Task<IReadOnlyList<AgencyRegistrationRequest>> ListPendingRegistrationsAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {RegistrationColumns} FROM lgsp.agency_registration WHERE state = 'pending' ORDER BY requested_at, code");
        var requests = new List<AgencyRegistrationRequest>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            requests.Add(ReadRegistration(reader));
        }

        return requests;
    }

    /// <inheritdoc />
    public async Task<AgencyRegistrationRequest> ApproveRegistrationAsync(string code, string reason, string actor, CancellationToken ct = default)
    {
        AgencyRegistrationRequest? request = null;
        await ChangeAsync(at => DirectoryEntries.RegistrationApproved(request!, reason, actor, at), async (connection, tx, at) =>
        {
            request = await TakePendingAsync(connection, tx, code, reason, "approved", actor, at, ct);
            await using (var find = new NpgsqlCommand("SELECT owner_system FROM lgsp.agency WHERE code = $1 FOR UPDATE", connection, tx))
            {
                find.Parameters.AddWithValue(code);
                await using var reader = await find.ExecuteReaderAsync(ct);
                if (await reader.ReadAsync(ct) && NullableString(reader, 0) != request.SystemId)
                {
                    // An operator added or changed the code since the request: the operator's word stands.
                    throw ExchangeException.Of(HubErrorCode.InvalidRequest, "Code",
                        $"{code} is already in the directory and not {request.SystemId}'s (an operator added or changed it); reject the request");
                }
            }

            if (request.ParentCode is { } parent && !await ExistsAsync(connection, tx, "lgsp.agency", "code", parent, ct))
            {
                throw ExchangeException.Of(HubErrorCode.NotFound, "ParentCode", "ParentCode", parent);
            }

            await using var upsert = new NpgsqlCommand("""
                INSERT INTO lgsp.agency (code, name, parent_code, tier, mail, owner_system, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (code) DO UPDATE SET name = $2, parent_code = $3, mail = $5, deleted = false, active = true, changed_at = $7
                """, connection, tx);
            upsert.Parameters.AddWithValue(code);
            upsert.Parameters.AddWithValue(request.Name);
            upsert.Parameters.Add(Nullable(request.ParentCode));
            upsert.Parameters.AddWithValue(AgencyTier.Other);
            upsert.Parameters.Add(Nullable(request.Mail));
            upsert.Parameters.AddWithValue(request.SystemId);
            upsert.Parameters.AddWithValue(at);
            await upsert.ExecuteNonQueryAsync(ct);

            await using var own = new NpgsqlCommand("INSERT INTO lgsp.client_system_agency (system_id, agency_code, registered) VALUES ($1, $2, true) ON CONFLICT DO NOTHING", connection, tx);
            own.Parameters.AddWithValue(request.SystemId);
            own.Parameters.AddWithValue(code);
            await own.ExecuteNonQueryAsync(ct);
        }, ct);
        return request!;
    }

    /// <inheritdoc />
    public async Task<AgencyRegistrationRequest> RejectRegistrationAsync(string code, string reason, string actor, CancellationToken ct = default)
    {
        AgencyRegistrationRequest? request = null;
        await ChangeAsync(at => DirectoryEntries.RegistrationRejected(request!, reason, actor, at),
            async (connection, tx, at) => request = await TakePendingAsync(connection, tx, code, reason, "rejected", actor, at, ct), ct);
        return request!;
    }

    // Closes the request waiting for the code with the operator's decision, and returns it.
    private static async Task<AgencyRegistrationRequest> TakePendingAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string code, string reason, string state,
        string actor, DateTimeOffset at, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "Reason", "a decision on a registration needs a reason");
        }

        await using var close = new NpgsqlCommand($"""
            UPDATE lgsp.agency_registration SET state = $2, decided_at = $3, decided_by = $4, reason = $5
            WHERE code = $1 AND state = 'pending'
            RETURNING {RegistrationColumns}
            """, connection, tx);
        close.Parameters.AddWithValue(code);
        close.Parameters.AddWithValue(state);
        close.Parameters.AddWithValue(at);
        close.Parameters.AddWithValue(actor);
        close.Parameters.AddWithValue(reason);
        await using var reader = await close.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? ReadRegistration(reader)
            : throw ExchangeException.Of(HubErrorCode.NotFound, "Code", "pending registration", code);
    }

    private static AgencyRegistrationRequest ReadRegistration(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        NullableString(reader, 2),
        NullableString(reader, 3),
        reader.GetString(4),
        reader.GetFieldValue<DateTimeOffset>(5));
}
