using System.Runtime.CompilerServices;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Ledger;
using Lgsp.Postgres.Locks;
using Npgsql;

namespace Lgsp.Postgres.Storage;

/// <summary><see cref="IWitnessStore"/> on PostgreSQL (tables <c>lgsp.witnessed_checkpoint</c> and
/// <c>lgsp.countersignature</c>, and the ledger).</summary>
/// <remarks>Thread safe: every call takes its own connection from the data source.</remarks>
public sealed class PostgresWitnessStore(NpgsqlDataSource dataSource) : IWitnessStore
{
    /// <inheritdoc />
    public async Task<WitnessRecording> RecordWitnessAsync(Checkpoint checkpoint, byte[] checkpointXml, Func<DateTimeOffset, byte[]> countersign,
        string witness, string actor, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(countersign);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Recordings for one hub are serialised so that a position is recorded once with one ledger entry.
        await using (var lockHub = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1 # hashtextextended($2, 0))", connection, tx))
        {
            lockHub.Parameters.AddWithValue(AdvisoryLockKeys.WitnessRecording);
            lockHub.Parameters.AddWithValue(checkpoint.Hub);
            await lockHub.ExecuteNonQueryAsync(ct);
        }

        await using (var existing = new NpgsqlCommand(
            "SELECT countersignature, head FROM lgsp.witnessed_checkpoint WHERE hub = $1 AND last_seq = $2", connection, tx))
        {
            existing.Parameters.AddWithValue(checkpoint.Hub);
            existing.Parameters.AddWithValue(checkpoint.LastSeq);
            await using var reader = await existing.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                return new WitnessRecording(reader.GetFieldValue<byte[]>(0), reader.GetString(1), false);
            }
        }

        var witnessedAt = new DateTimeOffset(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);
        var countersignature = countersign(witnessedAt);
        var sha = Witness.Sha256Hex(checkpointXml);
        var seq = await LedgerWriter.AppendAsync(tx, WitnessEntries.Recorded(checkpoint, sha, witness, actor, witnessedAt), ct: ct);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO lgsp.witnessed_checkpoint (hub, last_seq, first_seq, count, head, checkpoint_sha256, checkpoint, countersignature, witnessed_at, ledger_seq)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """, connection, tx))
        {
            insert.Parameters.AddWithValue(checkpoint.Hub);
            insert.Parameters.AddWithValue(checkpoint.LastSeq);
            insert.Parameters.AddWithValue(checkpoint.FirstSeq);
            insert.Parameters.AddWithValue(checkpoint.Count);
            insert.Parameters.AddWithValue(checkpoint.Head);
            insert.Parameters.AddWithValue(sha);
            insert.Parameters.AddWithValue(checkpointXml);
            insert.Parameters.AddWithValue(countersignature);
            insert.Parameters.AddWithValue(witnessedAt);
            insert.Parameters.AddWithValue(seq);
            await insert.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return new WitnessRecording(countersignature, checkpoint.Head, true);
    }

    /// <inheritdoc />
    public async Task<CheckpointToWitness?> NextUnwitnessedAsync(string witness, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.last_seq, c.xml FROM lgsp.checkpoint c
            WHERE c.last_seq > coalesce((SELECT max(s.last_seq) FROM lgsp.countersignature s WHERE s.witness = $1), 0)
            ORDER BY c.last_seq DESC LIMIT 1
            """);
        command.Parameters.AddWithValue(witness);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new CheckpointToWitness(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : null;
    }

    /// <inheritdoc />
    public async Task<bool> SaveCountersignatureAsync(Witness witness, byte[] xml, string actor, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(witness);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO lgsp.countersignature (witness, last_seq, head, checkpoint_sha256, xml, received_at)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING
            """, connection, tx))
        {
            insert.Parameters.AddWithValue(witness.WitnessHub);
            insert.Parameters.AddWithValue(witness.LastSeq);
            insert.Parameters.AddWithValue(witness.Head);
            insert.Parameters.AddWithValue(witness.CheckpointSha256);
            insert.Parameters.AddWithValue(xml);
            insert.Parameters.AddWithValue(at);
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                return false;
            }
        }

        await LedgerWriter.AppendAsync(tx, WitnessEntries.Countersigned(witness, actor, at), ct: ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WitnessedHead>> WitnessedHeadsAsync(string? hub, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT detail ->> 'hub', (detail ->> 'lastSeq')::bigint, detail ->> 'head', coalesce(detail ->> 'witness', ''), at, seq
            FROM lgsp.ledger
            WHERE kind = 'witness.recorded' AND ($1::text IS NULL OR detail ->> 'hub' = $1)
            ORDER BY 2, seq
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)hub ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var heads = new List<WitnessedHead>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            heads.Add(new WitnessedHead(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), $"witness ledger entry {reader.GetInt64(5)}"));
        }

        return heads;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredCountersignature>> IssuedCountersignaturesAsync(string hub, long afterSeq, int max, CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT last_seq, countersignature FROM lgsp.witnessed_checkpoint WHERE hub = $1 AND last_seq > $2 ORDER BY last_seq LIMIT $3");
        command.Parameters.AddWithValue(hub);
        command.Parameters.AddWithValue(afterSeq);
        command.Parameters.AddWithValue(max);
        var issued = new List<StoredCountersignature>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            issued.Add(new StoredCountersignature(string.Empty, reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
        }

        return issued;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredCountersignature>> CountersignaturesAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT witness, last_seq, xml FROM lgsp.countersignature ORDER BY last_seq, witness");
        var stored = new List<StoredCountersignature>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            stored.Add(new StoredCountersignature(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2)));
        }

        return stored;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerEntry> EntriesAsync(long throughSeq, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"SELECT {PostgresLedger.EntryColumns} FROM lgsp.ledger l WHERE l.seq <= $1 ORDER BY l.seq", connection)
        {
            CommandTimeout = 0,
        };
        command.Parameters.AddWithValue(throughSeq);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return PostgresLedger.ReadEntry(reader, 0);
        }
    }
}
