using System.Text.Json;

namespace Lgsp.Exchange.Ledger;

/// <summary>What the sealer recorded for one entry: its content hash and chain hash at sealing time.</summary>
/// <param name="ContentHash">SHA-256 of the entry's canonical content when it was sealed.</param>
/// <param name="ChainHash">The chain hash after the entry.</param>
public sealed record LedgerSeal(byte[] ContentHash, byte[] ChainHash);

/// <summary>The first place where the ledger does not hold.</summary>
/// <param name="Seq">The position: the entry's seq, or for a checkpoint-level problem the
/// checkpoint's first or last seq as the problem states.</param>
/// <param name="Problem">What differs, in words an auditor can act on.</param>
public sealed record ChainBreak(long Seq, string Problem)
{
    /// <inheritdoc />
    public override string ToString() => $"seq {Seq}: {Problem}";
}

/// <summary>
/// Re-walks the ledger against its checkpoints, one entry at a time (so the caller can stream from
/// the database), and stops at the first break. Feed rows in ascending seq with
/// <see cref="Add"/>, then call <see cref="Complete"/>.
/// </summary>
/// <remarks>
/// <para>Checks, in order of position: entries ascend; every entry inside a checkpoint's range is
/// sealed and every sealed position still has its entry; each entry's content hash and chain hash
/// match what was sealed; each checkpoint starts from the chain head before it, holds its stated
/// count and ends at its signed head. Entries after the last checkpoint are counted as unsealed.</para>
/// <para>The checkpoints must be verified (<see cref="Checkpoint.Verify"/>) and ordered by
/// <see cref="Checkpoint.FirstSeq"/> before they are given; the walker trusts what they state.
/// Without seal records (<c>requireSeals: false</c>, for example a ledger export) the walker
/// still proves each checkpoint's count and head, but can only name the checkpoint, not the entry,
/// for a deletion or insertion.</para>
/// <para>Not thread safe: one walk per instance.</para>
/// </remarks>
public sealed class ChainWalker
{
    private readonly IEnumerator<Checkpoint> _checkpoints;
    private readonly bool _requireSeals;
    private byte[] _head;
    private Checkpoint? _current;
    private bool _opened;
    private long _countInCheckpoint;
    private long _lastSeq = long.MinValue;
    private long _previousInChain;

    /// <summary>Starts a walk.</summary>
    /// <param name="checkpoints">The verified checkpoints, ordered by first seq; enumerated lazily, one
    /// ahead of the entries, so it may stream from a database.</param>
    /// <param name="startHead">The chain hash before the first entry given; genesis by default. To
    /// walk from a checkpoint onwards, give that checkpoint's previous head and start the entries at
    /// its first seq.</param>
    /// <param name="requireSeals">Every entry inside a checkpoint must come with its seal record.</param>
    /// <exception cref="ArgumentException"><paramref name="startHead"/> is not 32 bytes.</exception>
    public ChainWalker(IEnumerable<Checkpoint> checkpoints, byte[]? startHead = null, bool requireSeals = true)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        if (startHead is not null && startHead.Length != LedgerChain.HashLength)
        {
            throw new ArgumentException($"A chain hash is {LedgerChain.HashLength} bytes.", nameof(startHead));
        }

        _checkpoints = checkpoints.GetEnumerator();
        _current = _checkpoints.MoveNext() ? _checkpoints.Current : null;
        _head = startHead ?? LedgerChain.Genesis;
        _requireSeals = requireSeals;
    }

    /// <summary>The first break found so far; null while the ledger holds.</summary>
    public ChainBreak? Break { get; private set; }

    /// <summary>Sealed entries checked so far.</summary>
    public long SealedEntries { get; private set; }

    /// <summary>Entries after the last checkpoint (not sealed yet).</summary>
    public long UnsealedEntries { get; private set; }

    /// <summary>Checkpoints fully checked so far.</summary>
    public int CheckpointsChecked { get; private set; }

    /// <summary>Hex of the chain head after the last sealed entry checked.</summary>
    public string Head => LedgerChain.Hex(_head);

    /// <summary>Checks the next position.</summary>
    /// <param name="seq">The position.</param>
    /// <param name="entry">The entry stored there; null when only a seal record remains.</param>
    /// <param name="seal">The seal record for the position; null when there is none.</param>
    /// <returns>The first break (this one or an earlier one); null while the ledger holds.</returns>
    /// <exception cref="ArgumentException"><paramref name="entry"/> and <paramref name="seal"/> are both
    /// null, or the entry's seq is not <paramref name="seq"/>.</exception>
    public ChainBreak? Add(long seq, LedgerEntry? entry, LedgerSeal? seal)
    {
        if (entry is null && seal is null)
        {
            throw new ArgumentException("A position has an entry, a seal record, or both.", nameof(entry));
        }

        if (entry is not null && entry.Seq != seq)
        {
            throw new ArgumentException($"The entry's seq {entry.Seq} is not the position {seq}.", nameof(entry));
        }

        if (Break is not null)
        {
            return Break;
        }

        if (seq <= _lastSeq)
        {
            return Fail(seq, $"order: seq {seq} comes after seq {_lastSeq}");
        }

        _lastSeq = seq;
        while (_current is not null && seq > _current.LastSeq)
        {
            if (Close() is { } closed)
            {
                return closed;
            }
        }

        if (_current is null)
        {
            if (seal is not null)
            {
                return Fail(seq, "sealed, but no checkpoint covers it");
            }

            UnsealedEntries++;
            return null;
        }

        var checkpoint = _current;
        if (seq < checkpoint.FirstSeq)
        {
            return Fail(seq, entry is null
                ? $"seal record without entry, outside every checkpoint (next checkpoint starts at {checkpoint.FirstSeq})"
                : $"forged entry: lies before checkpoint {checkpoint.Range} and after the one before it, so no checkpoint sealed it");
        }

        if (Open(checkpoint) is { } opened)
        {
            return opened;
        }

        if (entry is null)
        {
            return Fail(seq, $"entry missing: sealed in checkpoint {checkpoint.Range} with content hash {LedgerChain.Hex(seal!.ContentHash)}, no entry now");
        }

        if (seal is null && _requireSeals)
        {
            return Fail(seq, $"forged entry: inside checkpoint {checkpoint.Range} but never sealed");
        }

        byte[] content;
        try
        {
            content = LedgerChain.ContentHash(entry);
        }
        catch (JsonException ex)
        {
            return Fail(seq, $"detail is not JSON: {ex.Message}");
        }

        if (seal is not null && !content.AsSpan().SequenceEqual(seal.ContentHash))
        {
            return Fail(seq, $"content hash differs: sealed {LedgerChain.Hex(seal.ContentHash)}, entry now hashes to {LedgerChain.Hex(content)}");
        }

        var next = LedgerChain.Link(_head, content);
        if (seal is not null && !next.AsSpan().SequenceEqual(seal.ChainHash))
        {
            // The content matches, so what differs is the link: an entry and its seal record vanished
            // (or were added) since the previous position, or the seal record itself was altered.
            return Fail(seq, $"chain hash differs: sealed {LedgerChain.Hex(seal.ChainHash)}, recomputed {LedgerChain.Hex(next)}; "
                + (_countInCheckpoint == 0
                    ? $"the chain before checkpoint {checkpoint.Range} is not the one sealed"
                    : $"an entry between seq {_previousInChain} and seq {seq} is missing or was inserted, or the seal record was altered"));
        }

        _head = next;
        _previousInChain = seq;
        _countInCheckpoint++;
        SealedEntries++;
        return null;
    }

    /// <summary>Ends the walk: checks every checkpoint not closed yet (a checkpoint whose last
    /// entries are gone is found here).</summary>
    /// <returns>The first break; null when the ledger holds.</returns>
    public ChainBreak? Complete()
    {
        while (Break is null && _current is not null)
        {
            Close();
        }

        return Break;
    }

    private ChainBreak? Open(Checkpoint checkpoint)
    {
        if (_opened)
        {
            return null;
        }

        _opened = true;
        if (!string.Equals(checkpoint.PreviousHead, LedgerChain.Hex(_head), StringComparison.Ordinal))
        {
            return Fail(checkpoint.FirstSeq,
                $"checkpoint {checkpoint.Range} starts from head {checkpoint.PreviousHead}, but the chain before it ends at {LedgerChain.Hex(_head)}");
        }

        return null;
    }

    private ChainBreak? Close()
    {
        var checkpoint = _current!;
        if (Open(checkpoint) is { } opened)
        {
            return opened;
        }

        if (_countInCheckpoint != checkpoint.Count)
        {
            return Fail(checkpoint.LastSeq, _countInCheckpoint < checkpoint.Count
                ? $"entry missing: count {_countInCheckpoint} but checkpoint {checkpoint.Range} says {checkpoint.Count}"
                : $"forged entry: count {_countInCheckpoint} but checkpoint {checkpoint.Range} says {checkpoint.Count}");
        }

        if (!string.Equals(checkpoint.Head, LedgerChain.Hex(_head), StringComparison.Ordinal))
        {
            return Fail(checkpoint.LastSeq, $"chain head differs: checkpoint {checkpoint.Range} signed {checkpoint.Head}, entries chain to {LedgerChain.Hex(_head)}");
        }

        CheckpointsChecked++;
        _current = _checkpoints.MoveNext() ? _checkpoints.Current : null;
        _opened = false;
        _countInCheckpoint = 0;
        return _current is not null && _current.FirstSeq <= checkpoint.LastSeq
            ? Fail(_current.FirstSeq, $"order: checkpoint {_current.Range} overlaps checkpoint {checkpoint.Range} before it")
            : null;
    }

    private ChainBreak Fail(long seq, string problem) => Break = new ChainBreak(seq, problem);
}
