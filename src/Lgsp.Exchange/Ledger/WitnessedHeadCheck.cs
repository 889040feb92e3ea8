using System.Text.Json;

namespace Lgsp.Exchange.Ledger;

/// <summary>A chain head of a hub that someone outside it witnessed.</summary>
/// <param name="Hub">The hub whose ledger it is.</param>
/// <param name="LastSeq">The head is the chain hash after this seq.</param>
/// <param name="Head">Hex of the chain hash witnessed.</param>
/// <param name="Witness">Who witnessed it (the parent hub's id).</param>
/// <param name="WitnessedAt">When.</param>
/// <param name="Source">Where the record comes from, for reports: the parent's ledger entry or a
/// countersignature stored by the hub itself.</param>
public sealed record WitnessedHead(string Hub, long LastSeq, string Head, string Witness, DateTimeOffset WitnessedAt, string Source);

/// <summary>
/// Recomputes a hub's chain from its current ledger entries and compares it with every head that
/// was witnessed from outside: a hub that rewrote an entry at or before a witnessed position, even
/// re-sealing and re-signing everything with its own key, no longer reaches the witnessed head.
/// Feed the entries in ascending seq with <see cref="Add"/>, then call <see cref="Complete"/>.
/// </summary>
/// <remarks>
/// <para>The head at a position is the chain hash from genesis over every entry whose seq is at most
/// that position (LedgerChain), which is what the hub's checkpoint at that position signed. A
/// mismatch can only say that something at or before the position changed (after the last
/// witnessed position that still matches): the witness holds heads, not entries.</para>
/// <para>Not thread safe: one check per instance.</para>
/// </remarks>
public sealed class WitnessedHeadCheck
{
    private readonly List<WitnessedHead> _heads;
    private byte[] _head = LedgerChain.Genesis;
    private long _lastSeq = long.MinValue;
    private int _index;
    private WitnessedHead? _lastMatch;

    /// <summary>Starts a check against <paramref name="heads"/>, in any order.</summary>
    public WitnessedHeadCheck(IEnumerable<WitnessedHead> heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        _heads = [.. heads.OrderBy(h => h.LastSeq)];
    }

    /// <summary>The last seq any witnessed head covers; entries after it need not be given.</summary>
    public long ThroughSeq => _heads.Count == 0 ? 0 : _heads[^1].LastSeq;

    /// <summary>Witnessed heads compared so far and found matching.</summary>
    public int Matched { get; private set; }

    /// <summary>The first head that no longer matches; null while all match.</summary>
    public ChainBreak? Break { get; private set; }

    /// <summary>Chains the next entry, comparing every witnessed head that lies before it first.</summary>
    /// <returns>The first break (this one or an earlier one); null while every head matches.</returns>
    /// <exception cref="ArgumentException">The entries do not ascend.</exception>
    public ChainBreak? Add(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (Break is not null)
        {
            return Break;
        }

        if (entry.Seq <= _lastSeq)
        {
            throw new ArgumentException($"Entries must ascend: seq {entry.Seq} follows {_lastSeq}.", nameof(entry));
        }

        _lastSeq = entry.Seq;
        if (CompareThrough(entry.Seq - 1) is { } found)
        {
            return found;
        }

        try
        {
            _head = LedgerChain.Link(_head, LedgerChain.ContentHash(entry));
        }
        catch (JsonException ex)
        {
            return Break = new ChainBreak(entry.Seq, $"detail is not JSON: {ex.Message}");
        }

        return null;
    }

    /// <summary>Compares the heads not compared yet (those at or after the last entry given).</summary>
    /// <returns>The first break; null when every witnessed head matches.</returns>
    public ChainBreak? Complete() => Break ?? CompareThrough(long.MaxValue);

    private ChainBreak? CompareThrough(long seq)
    {
        for (; _index < _heads.Count && _heads[_index].LastSeq <= seq; _index++)
        {
            var witnessed = _heads[_index];
            var now = LedgerChain.Hex(_head);
            if (!string.Equals(witnessed.Head, now, StringComparison.Ordinal))
            {
                var after = _lastMatch is null ? "" : $" and after seq {_lastMatch.LastSeq}, whose witnessed head still matches";
                return Break = new ChainBreak(witnessed.LastSeq,
                    $"entry rewritten at or before seq {witnessed.LastSeq}{after}: head witnessed by {witnessed.Witness} at "
                    + $"{LedgerChain.FormatAt(witnessed.WitnessedAt)} ({witnessed.Source}) was {witnessed.Head}, the ledger now gives {now}");
            }

            _lastMatch = witnessed;
            Matched++;
        }

        return null;
    }
}
