using System.Runtime.CompilerServices;
using Lgsp.Edxml.Signatures;
using Lgsp.Exchange.Ledger;
using Npgsql;

namespace Lgsp.Postgres.Ledger;

/// <summary>One ledger position as stored: the entry, its seal record, or both.</summary>
/// <param name="Seq">The position.</param>
/// <param name="Entry">The entry in <c>lgsp.ledger</c>; null when only a seal record remains.</param>
/// <param name="Seal">The seal record in <c>lgsp.ledger_seal</c>; null when not sealed.</param>
public sealed record LedgerPosition(long Seq, LedgerEntry? Entry, LedgerSeal? Seal);

/// <summary>A checkpoint row: what the columns say, and the signed XML that is authoritative.</summary>
/// <param name="Id">The row id.</param>
/// <param name="FirstSeq">Column <c>first_seq</c>.</param>
/// <param name="LastSeq">Column <c>last_seq</c>.</param>
/// <param name="Count">Column <c>count</c>.</param>
/// <param name="PreviousHead">Column <c>previous_head</c>.</param>
/// <param name="Head">Column <c>head</c>.</param>
/// <param name="Xml">The signed checkpoint.</param>
public sealed record StoredCheckpoint(long Id, long FirstSeq, long LastSeq, long Count, byte[] PreviousHead, byte[] Head, byte[] Xml)
{
    /// <summary>Where the columns disagree with the signed checkpoint, or null when they agree.</summary>
    public string? DiffersFrom(Checkpoint signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        var columns = new Checkpoint(signed.Hub, FirstSeq, LastSeq, Count, LedgerChain.Hex(PreviousHead), LedgerChain.Hex(Head), signed.SealedAt);
        return columns == signed ? null : $"checkpoint row {Id} says {Describe(columns)} but its signed XML says {Describe(signed)}";
    }

    private static string Describe(Checkpoint c) => $"{c.Range} count {c.Count} from {c.PreviousHead} to {c.Head}";
}

/// <summary>Ledger state for metrics and reports.</summary>
/// <param name="LastSeq">The highest seq written (0 for an empty ledger).</param>
/// <param name="SealedThrough">The last seq covered by a checkpoint (0 when none).</param>
/// <param name="Unsealed">The seal lag in entries: <paramref name="LastSeq"/> − <paramref name="SealedThrough"/>,
/// the ledger positions after the last checkpoint. A seq drawn by a transaction that rolled back
/// leaves a gap that is counted until the sealer passes it, so this is the number of unsealed
/// entries or slightly more, never fewer; it is 0 exactly when every entry is sealed.</param>
/// <param name="OldestUnsealedAt">When the first entry after the last checkpoint (in seq order, the
/// one the sealer takes next) was written; null when none.</param>
public sealed record LedgerStatus(long LastSeq, long SealedThrough, long Unsealed, DateTimeOffset? OldestUnsealedAt);

/// <summary>The outcome of <see cref="PostgresLedger.VerifyAsync"/>.</summary>
/// <param name="Break">The first break; null when the ledger holds.</param>
/// <param name="SealedEntries">Sealed entries checked.</param>
/// <param name="Checkpoints">Checkpoints whose signature, count and head were checked.</param>
/// <param name="Head">Hex of the chain head reached.</param>
/// <param name="Unsealed">Entries after the last checkpoint, not sealed yet.</param>
public sealed record LedgerVerdict(ChainBreak? Break, long SealedEntries, int Checkpoints, string Head, long Unsealed)
{
    /// <summary>No break was found.</summary>
    public bool Holds => Break is null;
}

/// <summary>Reads the ledger, its seal records and checkpoints for verification and reports.</summary>
/// <remarks>Thread safe: every call takes its own connection. Streams: nothing is loaded whole.</remarks>
public sealed class PostgresLedger(NpgsqlDataSource dataSource)
{
    /// <summary>The entry columns of <c>lgsp.ledger l</c>, in the order <see cref="ReadEntry"/> reads them.</summary>
    internal const string EntryColumns = "l.seq, l.at, l.kind, l.actor, l.package_id, l.document_id, l.delivery_id, l.detail::text";

    /// <summary>Every position from <paramref name="fromSeq"/> on, ascending: entries joined with
    /// their seal records, including seal records whose entry is gone.</summary>
    public async IAsyncEnumerable<LedgerPosition> PositionsAsync(long fromSeq, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"""
            SELECT coalesce(l.seq, s.seq), {EntryColumns}, s.content_hash, s.chain_hash
            FROM (SELECT * FROM lgsp.ledger WHERE seq >= $1) l
            FULL JOIN (SELECT * FROM lgsp.ledger_seal WHERE seq >= $1) s ON s.seq = l.seq
            ORDER BY 1
            """, connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue(fromSeq);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return new LedgerPosition(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : ReadEntry(reader, 1),
                reader.IsDBNull(9) ? null : new LedgerSeal(reader.GetFieldValue<byte[]>(9), reader.GetFieldValue<byte[]>(10)));
        }
    }

    /// <summary>The checkpoints whose range ends at or after <paramref name="fromSeq"/>, by first seq,
    /// streamed synchronously from a connection of their own (a <see cref="ChainWalker"/> pulls them
    /// while the positions stream).</summary>
    public IEnumerable<StoredCheckpoint> Checkpoints(long fromSeq)
    {
        using var connection = dataSource.OpenConnection();
        using var command = new NpgsqlCommand("""
            SELECT id, first_seq, last_seq, count, previous_head, head, xml FROM lgsp.checkpoint
            WHERE last_seq >= $1 ORDER BY first_seq
            """, connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue(fromSeq);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new StoredCheckpoint(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.GetFieldValue<byte[]>(4), reader.GetFieldValue<byte[]>(5), reader.GetFieldValue<byte[]>(6));
        }
    }

    /// <summary>Re-walks the chain from the checkpoint that covers <paramref name="fromSeq"/> (the whole
    /// ledger from 0), verifying every checkpoint's signature and that its row agrees with it, and
    /// stops at the first break (<see cref="ChainWalker"/>).</summary>
    /// <param name="signer">What every checkpoint's signer must satisfy: pinned to the hub's signing
    /// certificate(s) (current and previous ones, after a key rotation), and chained to its trust
    /// when there is one (null trust: signatures and the pin only).</param>
    /// <param name="fromSeq">Where to start; the walk starts at the checkpoint covering it, from that
    /// checkpoint's signed previous head.</param>
    /// <param name="progress">Told the seq of each position walked.</param>
    /// <param name="ct">Cancels the walk.</param>
    /// <exception cref="ArgumentException">The signer is not pinned: a ledger re-sealed by any
    /// certificate under the root would hold.</exception>
    public async Task<LedgerVerdict> VerifyAsync(SignerCheck signer, long fromSeq = 0, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (!signer.IsPinned)
        {
            throw new ArgumentException("The hub's signing certificate must be pinned to verify its checkpoints.", nameof(signer));
        }

        ChainBreak? checkpointBreak = null;
        IEnumerable<Checkpoint> Verified(IEnumerable<StoredCheckpoint> stored)
        {
            foreach (var row in stored)
            {
                var verdict = Checkpoint.Verify(row.Xml, signer);
                var problem = !verdict.IsValid || (signer.Trust is not null && !verdict.IsTrusted) || !signer.Admits(verdict.Signer!)
                    ? $"checkpoint {row.FirstSeq}..{row.LastSeq} (row {row.Id}): {verdict.Problem}"
                    : row.DiffersFrom(verdict.Checkpoint!);
                if (problem is not null)
                {
                    checkpointBreak = new ChainBreak(row.FirstSeq, problem);
                    yield break;
                }

                yield return verdict.Checkpoint!;
            }
        }

        // The start: the first checkpoint covering fromSeq, from its signed previous head.
        var checkpoints = Verified(Checkpoints(fromSeq)).GetEnumerator();
        using var _ = checkpoints;
        var first = checkpoints.MoveNext() ? checkpoints.Current : null;
        if (checkpointBreak is not null)
        {
            return new LedgerVerdict(checkpointBreak, 0, 0, LedgerChain.Hex(LedgerChain.Genesis), 0);
        }

        var start = fromSeq <= 0 || first is null ? Math.Max(fromSeq, 0) : first.FirstSeq;
        var startHead = fromSeq <= 0 || first is null ? LedgerChain.Genesis : Convert.FromHexString(first.PreviousHead);
        var walker = new ChainWalker(Rest(first, checkpoints), startHead);
        await foreach (var position in PositionsAsync(start, ct).ConfigureAwait(false))
        {
            progress?.Report(position.Seq);
            if (walker.Add(position.Seq, position.Entry, position.Seal) is not null)
            {
                break;
            }
        }

        var found = walker.Break ?? walker.Complete();
        if (checkpointBreak is not null && (found is null || found.Seq >= checkpointBreak.Seq))
        {
            found = checkpointBreak;
        }

        return new LedgerVerdict(found, walker.SealedEntries, walker.CheckpointsChecked, walker.Head, walker.UnsealedEntries);
    }

    private static IEnumerable<Checkpoint> Rest(Checkpoint? first, IEnumerator<Checkpoint> others)
    {
        if (first is null)
        {
            yield break;
        }

        yield return first;
        while (others.MoveNext())
        {
            yield return others.Current;
        }
    }

    /// <summary>How far sealing has got, from three single-row index lookups (the ledger's last seq, the
    /// last sealed seq, the first entry after it), so that its cost does not grow with a sealing
    /// backlog: the overview, the metrics and the audit page read it on every request or scrape.</summary>
    public async Task<LedgerStatus> StatusAsync(CancellationToken ct = default)
    {
        // max() over an indexed column reads one end of the index; the first unsealed entry is one
        // primary-key range probe. Never count(*) past the checkpoint: on a hub whose sealer stopped
        // that reads every entry since, on each request.
        await using var command = dataSource.CreateCommand("""
            WITH head AS (SELECT coalesce(max(seq), 0) AS last_seq FROM lgsp.ledger),
                 sealed AS (SELECT coalesce(max(last_seq), 0) AS last_seq FROM lgsp.checkpoint)
            SELECT head.last_seq, sealed.last_seq,
                   (SELECT l.at FROM lgsp.ledger l WHERE l.seq > sealed.last_seq ORDER BY l.seq LIMIT 1)
            FROM head, sealed
            """);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        var (last, sealedThrough) = (reader.GetInt64(0), reader.GetInt64(1));
        return new LedgerStatus(last, sealedThrough, Math.Max(0, last - sealedThrough),
            reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2));
    }

    /// <summary>Reads the <see cref="EntryColumns"/> starting at column <paramref name="offset"/>.</summary>
    internal static LedgerEntry ReadEntry(NpgsqlDataReader reader, int offset) => new(
        reader.GetInt64(offset),
        reader.GetFieldValue<DateTimeOffset>(offset + 1),
        reader.GetString(offset + 2),
        reader.GetString(offset + 3),
        reader.IsDBNull(offset + 4) ? null : reader.GetInt64(offset + 4),
        reader.IsDBNull(offset + 5) ? null : reader.GetString(offset + 5),
        reader.IsDBNull(offset + 6) ? null : reader.GetInt64(offset + 6),
        reader.GetString(offset + 7));
}
