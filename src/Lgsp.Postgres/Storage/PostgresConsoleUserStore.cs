using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.People;
using Lgsp.Exchange.Storage;
using Npgsql;

namespace Lgsp.Postgres.Storage;

/// <summary><see cref="IConsoleUserStore"/> on PostgreSQL (<c>lgsp.console_user</c>).</summary>
/// <remarks>Thread safe.</remarks>
public sealed class PostgresConsoleUserStore(NpgsqlDataSource dataSource, TimeProvider clock) : IConsoleUserStore
{
    private const string Columns = "name, role, agencies, source, password_hash, disabled, failed_sign_ins, locked_until, created_at, last_sign_in_at";

    /// <inheritdoc />
    public async Task<ConsoleUser?> FindAsync(string name, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM lgsp.console_user WHERE name = $1");
        command.Parameters.AddWithValue(name);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ConsoleUser>> ListAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM lgsp.console_user ORDER BY name");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var users = new List<ConsoleUser>();
        while (await reader.ReadAsync(ct))
        {
            users.Add(Read(reader));
        }

        return users;
    }

    /// <inheritdoc />
    public Task<bool> AddAsync(ConsoleUser user, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return ChangeAsync(at => UserEntries.Added(user, actor, at), async (tx, at) =>
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO lgsp.console_user (name, role, agencies, source, password_hash, disabled, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING
                """, tx.Connection, tx);
            command.Parameters.AddWithValue(user.Name);
            command.Parameters.AddWithValue(user.Role.Word());
            command.Parameters.AddWithValue(user.Agencies.ToArray());
            command.Parameters.AddWithValue(user.Source);
            command.Parameters.AddWithValue((object?)user.PasswordHash ?? DBNull.Value);
            command.Parameters.AddWithValue(user.Disabled);
            command.Parameters.AddWithValue(at);
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, ct);
    }

    /// <inheritdoc />
    public Task<bool> SetDisabledAsync(string name, bool disabled, string actor, CancellationToken ct = default) =>
        UpdateAsync(at => UserEntries.DisabledSet(name, disabled, actor, at),
            "UPDATE lgsp.console_user SET disabled = $2, failed_sign_ins = 0, locked_until = NULL WHERE name = $1", name, disabled, ct);

    /// <inheritdoc />
    public Task<bool> SetRoleAsync(string name, ConsoleRole role, IReadOnlyList<string> agencies, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(agencies);
        return ChangeAsync(at => UserEntries.RoleSet(name, role, agencies, actor, at), async (tx, _) =>
        {
            await using var command = new NpgsqlCommand("UPDATE lgsp.console_user SET role = $2, agencies = $3 WHERE name = $1", tx.Connection, tx);
            command.Parameters.AddWithValue(name);
            command.Parameters.AddWithValue(role.Word());
            command.Parameters.AddWithValue(agencies.ToArray());
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, ct);
    }

    /// <inheritdoc />
    public Task<bool> SetPasswordAsync(string name, string passwordHash, string actor, CancellationToken ct = default) =>
        UpdateAsync(at => UserEntries.PasswordSet(name, actor, at),
            "UPDATE lgsp.console_user SET password_hash = $2, failed_sign_ins = 0, locked_until = NULL WHERE name = $1", name, passwordHash, ct);

    /// <inheritdoc />
    public async Task<DateTimeOffset?> RecordFailedSignInAsync(string name, SignInLockout lockout, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lockout);
        var at = Timestamps.Truncate(clock.GetUtcNow());
        var until = at + lockout.Duration;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);

        // One statement counts the failure and, on the one that reaches the limit, locks: concurrent
        // guesses cannot slip past the count.
        await using var command = new NpgsqlCommand("""
            UPDATE lgsp.console_user SET failed_sign_ins = failed_sign_ins + 1,
                locked_until = CASE WHEN failed_sign_ins + 1 >= $2 THEN $3 ELSE locked_until END
            WHERE name = $1 RETURNING failed_sign_ins
            """, connection, tx);
        command.Parameters.AddWithValue(name);
        command.Parameters.AddWithValue(lockout.MaxFailures);
        command.Parameters.AddWithValue(until);
        var failures = await command.ExecuteScalarAsync(ct) as int?;
        DateTimeOffset? locked = null;
        if (failures >= lockout.MaxFailures)
        {
            locked = until;
            await LedgerWriter.AppendAsync(tx, UserEntries.LockedOut(name, failures.Value, until, at), ct: ct);
        }

        await tx.CommitAsync(ct);
        return locked;
    }

    /// <inheritdoc />
    public async Task RecordSignInAsync(string name, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE lgsp.console_user SET failed_sign_ins = 0, locked_until = NULL, last_sign_in_at = $2 WHERE name = $1");
        command.Parameters.AddWithValue(name);
        command.Parameters.AddWithValue(Timestamps.Truncate(clock.GetUtcNow()));
        await command.ExecuteNonQueryAsync(ct);
    }

    private Task<bool> UpdateAsync<T>(Func<DateTimeOffset, NewLedgerEntry> entry, string sql, string name, T value, CancellationToken ct)
        where T : notnull =>
        ChangeAsync(entry, async (tx, _) =>
        {
            await using var command = new NpgsqlCommand(sql, tx.Connection, tx);
            command.Parameters.AddWithValue(name);
            command.Parameters.AddWithValue(value);
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, ct);

    // The entry is written only when the change changed something; otherwise the transaction rolls back.
    private async Task<bool> ChangeAsync(Func<DateTimeOffset, NewLedgerEntry> entry, Func<NpgsqlTransaction, DateTimeOffset, Task<bool>> change, CancellationToken ct)
    {
        var at = Timestamps.Truncate(clock.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (!await change(tx, at))
        {
            return false;
        }

        await LedgerWriter.AppendAsync(tx, entry(at), ct: ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private static ConsoleUser Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        ConsoleRoles.Parse(reader.GetString(1)) ?? throw new InvalidDataException($"Console user {reader.GetString(0)} has an unknown role."),
        reader.GetFieldValue<string[]>(2),
        reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetBoolean(5),
        reader.GetInt32(6),
        reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
        reader.GetFieldValue<DateTimeOffset>(8),
        reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9));
}
