using Lgsp.Exchange.Storage;
using Npgsql;

namespace Lgsp.Postgres.Storage;

/// <summary>The check runs: <c>lgsp.ledger_check</c> (migrations 0018, 0019). Its partial unique index
/// <c>ledger_check_running</c> lets one run at a time, whatever instance starts it.</summary>
public sealed partial class PostgresLedgerAudit
{
    private const string CheckColumns = "id, started_by, started_at, from_seq, to_seq, checked_through, finished_at, outcome, break_seq, problem, sealed_entries, checkpoints, kind";

    /// <inheritdoc />
    public async Task<IReadOnlyList<LedgerCheckRun>> ChecksAsync(int max, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {CheckColumns} FROM lgsp.ledger_check ORDER BY id DESC LIMIT $1");
        command.Parameters.AddWithValue(max);
        return await ReadChecksAsync(command, ct);
    }

    /// <inheritdoc />
    public async Task<LedgerCheckRun?> CheckAsync(long id, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {CheckColumns} FROM lgsp.ledger_check WHERE id = $1");
        command.Parameters.AddWithValue(id);
        return (await ReadChecksAsync(command, ct)).SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<LedgerCheckRun?> StartCheckAsync(string startedBy, long fromSeq, long toSeq, DateTimeOffset at, DateTimeOffset staleBefore,
        LedgerCheckKind kind = LedgerCheckKind.VerifyLedger, CancellationToken ct = default)
    {
        var word = KindWord(kind);
        ArgumentException.ThrowIfNullOrEmpty(startedBy);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var abandon = new NpgsqlCommand("""
            UPDATE lgsp.ledger_check SET finished_at = $2, outcome = 'abandoned', problem = 'no progress reported since ' || to_char(progress_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC'
            WHERE kind = $3 AND finished_at IS NULL AND progress_at < $1
            """, connection, transaction))
        {
            abandon.Parameters.AddWithValue(staleBefore);
            abandon.Parameters.AddWithValue(at);
            abandon.Parameters.AddWithValue(word);
            await abandon.ExecuteNonQueryAsync(ct);
        }

        // The running index decides: a second start finds the conflict and writes nothing.
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO lgsp.ledger_check (kind, started_by, started_at, from_seq, to_seq, progress_at)
            VALUES ($1, $2, $3, $4, $5, $3)
            ON CONFLICT (kind) WHERE finished_at IS NULL DO NOTHING
            RETURNING {CheckColumns}
            """, connection, transaction);
        insert.Parameters.AddWithValue(word);
        insert.Parameters.AddWithValue(startedBy);
        insert.Parameters.AddWithValue(at);
        insert.Parameters.AddWithValue(fromSeq);
        insert.Parameters.AddWithValue(toSeq);
        var started = (await ReadChecksAsync(insert, ct)).SingleOrDefault();
        await transaction.CommitAsync(ct);
        return started;
    }

    /// <inheritdoc />
    public async Task ProgressAsync(long id, long? checkedThrough, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE lgsp.ledger_check SET checked_through = coalesce($2, checked_through), progress_at = $3 WHERE id = $1 AND finished_at IS NULL
            """);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Bigint, (object?)checkedThrough ?? DBNull.Value);
        command.Parameters.AddWithValue(at);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <inheritdoc />
    public async Task FinishCheckAsync(long id, LedgerCheckOutcome outcome, long? breakSeq, string? problem, long? sealedEntries, int? checkpoints,
        DateTimeOffset at, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE lgsp.ledger_check SET finished_at = $2, progress_at = $2, outcome = $3, break_seq = $4, problem = $5, sealed_entries = $6, checkpoints = $7,
                checked_through = CASE WHEN $3 = 'holds' THEN greatest(to_seq, coalesce(checked_through, 0)) ELSE checked_through END
            WHERE id = $1 AND finished_at IS NULL
            """);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(at);
        command.Parameters.AddWithValue(Word(outcome));
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Bigint, (object?)breakSeq ?? DBNull.Value);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)problem ?? DBNull.Value);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Bigint, (object?)sealedEntries ?? DBNull.Value);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Integer, (object?)checkpoints ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string Word(LedgerCheckOutcome outcome) => outcome.ToString().ToLowerInvariant();

    private static string KindWord(LedgerCheckKind kind) => kind == LedgerCheckKind.WitnessCheck ? "witness-check" : "verify-ledger";

    private static async Task<List<LedgerCheckRun>> ReadChecksAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var runs = new List<LedgerCheckRun>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            runs.Add(new LedgerCheckRun(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : Enum.Parse<LedgerCheckOutcome>(reader.GetString(7), ignoreCase: true),
                reader.IsDBNull(8) ? null : reader.GetInt64(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetInt64(10),
                reader.IsDBNull(11) ? null : reader.GetInt32(11),
                reader.GetString(12) == "witness-check" ? LedgerCheckKind.WitnessCheck : LedgerCheckKind.VerifyLedger));
        }

        return runs;
    }
}
