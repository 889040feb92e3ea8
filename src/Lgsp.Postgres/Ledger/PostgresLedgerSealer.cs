using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Receipts;
using Lgsp.Postgres.Locks;
using Npgsql;
using NpgsqlTypes;

namespace Lgsp.Postgres.Ledger;

/// <summary>What one <see cref="PostgresLedgerSealer.SealAsync"/> call did.</summary>
/// <param name="Checkpoints">Checkpoints written.</param>
/// <param name="Entries">Entries sealed.</param>
/// <param name="LastSeq">The last sealed seq after the call (0 when nothing was ever sealed).</param>
public sealed record SealResult(int Checkpoints, long Entries, long LastSeq);

/// <summary>
/// Seals the ledger: takes the committed, unsealed entries in seq order, chains them
/// (<see cref="Checkpoint.Seal"/>), and writes one signed checkpoint per batch with each entry's
/// seal record, never updating <c>lgsp.ledger</c>.
/// </summary>
/// <remarks>
/// <para>Safe with several hub instances on one database: each batch is sealed in one transaction
/// under a transaction advisory lock, so one sealer works at a time and the next continues from the
/// checkpoint the last one committed.</para>
/// <para>Never seals past a seq that may still commit (docs/adr/0004-ledger-sealing-horizon.md): it
/// reads the ledger sequence, then waits (at most <c>inFlightWait</c>) until every transaction of
/// the database that held a transaction id at that moment has ended. Seqs are only drawn by
/// transactions that already hold their id (<c>lgsp.next_ledger_seq()</c>), so every seq up to the
/// value read is then committed or never will be. If they do not end in time, the call seals
/// nothing and the next one tries again.</para>
/// <para>Writers never wait for it: it takes no lock a writer takes, and reads without locking rows.</para>
/// <para>Thread safe.</para>
/// </remarks>
/// <param name="dataSource">The hub's database.</param>
/// <param name="clock">Stamps checkpoints.</param>
/// <param name="batchSize">The most entries one checkpoint covers.</param>
/// <param name="inFlightWait">How long a call waits for the transactions in flight when it starts;
/// default one second.</param>
public sealed class PostgresLedgerSealer(NpgsqlDataSource dataSource, TimeProvider clock, int batchSize = PostgresLedgerSealer.DefaultBatchSize,
    TimeSpan? inFlightWait = null)
{
    /// <summary>The most entries one checkpoint covers unless told otherwise.</summary>
    public const int DefaultBatchSize = 5000;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);
    private readonly TimeSpan _inFlightWait = inFlightWait ?? TimeSpan.FromSeconds(1);

    /// <summary>Seals everything sealable now, one checkpoint per batch, until caught up.</summary>
    /// <param name="hub">The hub's id and certificate: checkpoints are signed with it.</param>
    /// <param name="ct">Cancels between or inside batches; a cancelled batch leaves nothing.</param>
    /// <exception cref="NpgsqlException">The database failed; batches committed before stay.</exception>
    public async Task<SealResult> SealAsync(HubIdentity hub, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(hub);
        var horizon = await HorizonAsync(ct).ConfigureAwait(false);
        var checkpoints = 0;
        var entries = 0L;
        while (true)
        {
            var (sealedNow, lastSeq) = await SealBatchAsync(hub, horizon, ct).ConfigureAwait(false);
            if (sealedNow > 0)
            {
                checkpoints++;
                entries += sealedNow;
            }

            if (sealedNow < batchSize)
            {
                return new SealResult(checkpoints, entries, lastSeq);
            }
        }
    }

    /// <summary>The highest seq below which every seq is settled (committed or never to be), or 0
    /// when the transactions in flight did not end within the wait.</summary>
    private async Task<long> HorizonAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        long drawn;
        await using (var read = new NpgsqlCommand("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM lgsp.ledger_seq_seq", connection))
        {
            drawn = (long)(await read.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }

        // Read after the sequence: every transaction that had drawn a seq by then holds its id's lock
        // until it ends, so it is listed here unless it has already ended.
        var inFlight = await InFlightAsync(connection, null, ct).ConfigureAwait(false);
        var deadline = clock.GetUtcNow() + _inFlightWait;
        while (inFlight.Length > 0)
        {
            if (clock.GetUtcNow() >= deadline)
            {
                return 0;
            }

            await Task.Delay(PollInterval, clock, ct).ConfigureAwait(false);
            inFlight = await InFlightAsync(connection, inFlight, ct).ConfigureAwait(false);
        }

        return drawn;
    }

    /// <summary>The ids of this database's transactions that hold one now (among
    /// <paramref name="among"/> when given).</summary>
    private static async Task<string[]> InFlightAsync(NpgsqlConnection connection, string[]? among, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT coalesce(array_agg(l.transactionid::text), '{}')
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted
              AND a.datname = current_database() AND l.pid <> pg_backend_pid()
              AND ($1::text[] IS NULL OR l.transactionid::text = ANY ($1))
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)among ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return (string[])(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    private async Task<(int Sealed, long LastSeq)> SealBatchAsync(HubIdentity hub, long horizon, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AdvisoryLockKeys.LedgerSeal})", connection, tx) { CommandTimeout = 0 })
        {
            await lockCommand.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var (lastSeq, head) = await LastCheckpointAsync(connection, tx, ct).ConfigureAwait(false);

        var entries = new List<LedgerEntry>();
        await using (var read = new NpgsqlCommand($"""
            SELECT {PostgresLedger.EntryColumns} FROM lgsp.ledger l
            WHERE l.seq > $1 AND l.seq <= $3 ORDER BY l.seq LIMIT $2
            """, connection, tx))
        {
            read.Parameters.AddWithValue(lastSeq);
            read.Parameters.AddWithValue(batchSize);
            read.Parameters.AddWithValue(horizon);
            await using var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                entries.Add(PostgresLedger.ReadEntry(reader, 0));
            }
        }

        if (entries.Count == 0)
        {
            return (0, lastSeq);
        }

        var (checkpoint, seals) = Checkpoint.Seal(hub.Id, head, entries, clock.GetUtcNow());
        var xml = checkpoint.Sign(hub);
        long checkpointId;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO lgsp.checkpoint (first_seq, last_seq, count, previous_head, head, sealed_at, xml)
            VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
            """, connection, tx))
        {
            insert.Parameters.AddWithValue(checkpoint.FirstSeq);
            insert.Parameters.AddWithValue(checkpoint.LastSeq);
            insert.Parameters.AddWithValue(checkpoint.Count);
            insert.Parameters.AddWithValue(head);
            insert.Parameters.AddWithValue(Convert.FromHexString(checkpoint.Head));
            insert.Parameters.AddWithValue(checkpoint.SealedAt);
            insert.Parameters.AddWithValue(xml);
            checkpointId = (long)(await insert.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }

        await using (var insert = new NpgsqlCommand("""
            INSERT INTO lgsp.ledger_seal (seq, checkpoint_id, content_hash, chain_hash)
            SELECT s.seq, $2, s.content_hash, s.chain_hash FROM unnest($1, $3, $4) AS s (seq, content_hash, chain_hash)
            """, connection, tx))
        {
            insert.Parameters.AddWithValue(entries.Select(e => e.Seq).ToArray());
            insert.Parameters.AddWithValue(checkpointId);
            insert.Parameters.Add(new NpgsqlParameter { Value = seals.Select(s => s.ContentHash).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            insert.Parameters.Add(new NpgsqlParameter { Value = seals.Select(s => s.ChainHash).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return (entries.Count, checkpoint.LastSeq);
    }

    private static async Task<(long LastSeq, byte[] Head)> LastCheckpointAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT last_seq, head FROM lgsp.checkpoint ORDER BY last_seq DESC LIMIT 1", connection, tx);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false)
            ? (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1))
            : (0, LedgerChain.Genesis);
    }
}
