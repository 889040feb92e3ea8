using Lgsp.Exchange.Ledger;

namespace Lgsp.Exchange.Tests.Ledger;

/// <summary>Ledgers built in memory and sealed the way the sealer seals them.</summary>
internal static class LedgerFixtures
{
    public const string Hub = "hub-test";

    public static List<LedgerEntry> Entries(params long[] seqs) =>
        [.. seqs.Select(seq => new LedgerEntry(seq, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(seq),
            LedgerKind.PackageReceived, "qlvb", seq, $"DOC-{seq}", null, $$"""{"size":{{seq * 10}},"sha256":"{{seq:x64}}"}"""))];

    /// <summary>Seals the entries in batches of <paramref name="batch"/>, returning the checkpoints and
    /// the seal record of every entry by seq.</summary>
    public static (List<Checkpoint> Checkpoints, Dictionary<long, LedgerSeal> Seals) Seal(IReadOnlyList<LedgerEntry> entries, int batch)
    {
        var checkpoints = new List<Checkpoint>();
        var seals = new Dictionary<long, LedgerSeal>();
        var head = LedgerChain.Genesis;
        foreach (var chunk in entries.Chunk(batch))
        {
            var (checkpoint, chunkSeals) = Checkpoint.Seal(Hub, head, chunk, DateTimeOffset.UtcNow);
            checkpoints.Add(checkpoint);
            for (var i = 0; i < chunk.Length; i++)
            {
                seals[chunk[i].Seq] = chunkSeals[i];
            }

            head = Convert.FromHexString(checkpoint.Head);
        }

        return (checkpoints, seals);
    }

    /// <summary>Walks positions in seq order, as the database join would give them.</summary>
    public static ChainWalker Walk(IEnumerable<LedgerEntry> entries, IReadOnlyDictionary<long, LedgerSeal> seals, IReadOnlyList<Checkpoint> checkpoints,
        bool requireSeals = true)
    {
        var walker = new ChainWalker(checkpoints, requireSeals: requireSeals);
        var byseq = entries.ToDictionary(e => e.Seq);
        foreach (var seq in byseq.Keys.Union(seals.Keys).Order())
        {
            walker.Add(seq, byseq.GetValueOrDefault(seq), seals.GetValueOrDefault(seq));
        }

        walker.Complete();
        return walker;
    }
}
