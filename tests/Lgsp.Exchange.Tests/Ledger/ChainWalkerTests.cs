using Lgsp.Exchange.Ledger;
using static Lgsp.Exchange.Tests.Ledger.LedgerFixtures;

namespace Lgsp.Exchange.Tests.Ledger;

public sealed class ChainWalkerTests
{
    // Gaps (4, 9) are rolled-back transactions: the chain is over the entries that exist.
    private static readonly long[] Seqs = [1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13];

    [Fact]
    public void An_untouched_ledger_with_gaps_holds_and_ends_at_the_last_checkpoint_head()
    {
        var entries = Entries(Seqs);
        var (checkpoints, seals) = Seal(entries, 4);

        var walker = Walk(entries, seals, checkpoints);

        Assert.Null(walker.Break);
        Assert.Equal(11, walker.SealedEntries);
        Assert.Equal(3, walker.CheckpointsChecked);
        Assert.Equal(checkpoints[^1].Head, walker.Head);
        Assert.Equal([1L, 6, 11], checkpoints.Select(c => c.FirstSeq));
    }

    [Fact]
    public void An_edited_detail_is_reported_at_its_seq_as_a_content_hash_difference()
    {
        var entries = Entries(Seqs);
        var (checkpoints, seals) = Seal(entries, 4);
        entries[5] = entries[5] with { Detail = """{"size":1,"sha256":"0"}""" };

        var found = Walk(entries, seals, checkpoints).Break;

        Assert.Equal(7, found?.Seq);
        Assert.StartsWith("content hash differs", found?.Problem);
    }

    [Fact]
    public void A_deleted_entry_whose_seal_remains_is_reported_missing_at_its_seq()
    {
        var entries = Entries(Seqs);
        var (checkpoints, seals) = Seal(entries, 4);
        entries.RemoveAll(e => e.Seq == 8);

        var found = Walk(entries, seals, checkpoints).Break;

        Assert.Equal(8, found?.Seq);
        Assert.StartsWith("entry missing: sealed in checkpoint 6..10", found?.Problem);
    }

    [Fact]
    public void A_deleted_entry_and_its_seal_are_reported_at_the_next_entry_as_a_broken_link_naming_the_gap()
    {
        var entries = Entries(Seqs);
        var (checkpoints, seals) = Seal(entries, 4);
        entries.RemoveAll(e => e.Seq == 8);
        seals.Remove(8);

        var found = Walk(entries, seals, checkpoints).Break;

        Assert.Equal(10, found?.Seq);
        Assert.StartsWith("chain hash differs", found?.Problem);
        Assert.EndsWith("an entry between seq 7 and seq 10 is missing or was inserted, or the seal record was altered", found?.Problem);
    }

    [Fact]
    public void Swapped_contents_of_two_entries_are_reported_at_the_first_of_them()
    {
        var entries = Entries(Seqs);
        var (checkpoints, seals) = Seal(entries, 4);
        var (a, b) = (entries[1], entries[6]);
        entries[1] = b with { Seq = a.Seq };
        entries[6] = a with { Seq = b.Seq };

        var found = Walk(entries, seals, checkpoints).Break;

        Assert.Equal(2, found?.Seq);
        Assert.StartsWith("content hash differs", found?.Problem);
    }

    [Fact]
    public void A_forged_entry_in_a_gap_inside_a_checkpoint_is_reported_at_its_seq()
    {
        var entries = Entries(Seqs);
        var (checkpoints, seals) = Seal(entries, 4);
        entries.Add(Entries(9)[0]);

        var found = Walk(entries, seals, checkpoints).Break;

        Assert.Equal(new ChainBreak(9, "forged entry: inside checkpoint 6..10 but never sealed"), found);
    }

    [Fact]
    public void A_forged_entry_with_a_forged_seal_record_still_breaks_the_signed_head()
    {
        var entries = Entries(Seqs);
        var (checkpoints, seals) = Seal(entries, 4);
        var forged = Entries(9)[0];
        entries.Add(forged);
        var sealedEight = seals[8].ChainHash;
        var content = LedgerChain.ContentHash(forged);
        seals[9] = new LedgerSeal(content, LedgerChain.Link(sealedEight, content));

        var found = Walk(entries, seals, checkpoints).Break;

        // The forged seal chains 9 correctly, so seq 10 no longer matches what was sealed.
        Assert.Equal(10, found?.Seq);
        Assert.StartsWith("chain hash differs", found?.Problem);
    }

    [Fact]
    public void A_deleted_last_entry_of_a_checkpoint_with_its_seal_is_reported_as_a_count_short_of_the_checkpoint()
    {
        var entries = Entries(Seqs);
        var (checkpoints, seals) = Seal(entries, 4);
        entries.RemoveAll(e => e.Seq == 10);
        seals.Remove(10);

        var found = Walk(entries, seals, checkpoints).Break;

        Assert.Equal(new ChainBreak(10, "entry missing: count 3 but checkpoint 6..10 says 4"), found);
    }

    [Fact]
    public void Without_seal_records_a_forged_entry_is_reported_as_a_count_over_the_checkpoint()
    {
        var entries = Entries(Seqs);
        var (checkpoints, _) = Seal(entries, 4);
        entries.Add(Entries(9)[0]);

        var found = Walk(entries, new Dictionary<long, LedgerSeal>(), checkpoints, requireSeals: false).Break;

        Assert.Equal(new ChainBreak(10, "forged entry: count 5 but checkpoint 6..10 says 4"), found);
    }

    [Fact]
    public void Without_seal_records_an_edited_entry_breaks_the_checkpoint_head()
    {
        var entries = Entries(Seqs);
        var (checkpoints, _) = Seal(entries, 4);
        entries[0] = entries[0] with { Actor = "someone else" };

        var found = Walk(entries, new Dictionary<long, LedgerSeal>(), checkpoints, requireSeals: false).Break;

        Assert.Equal(5, found?.Seq);
        Assert.StartsWith("chain head differs: checkpoint 1..5 signed", found?.Problem);
    }

    [Fact]
    public void An_entry_after_the_last_checkpoint_is_counted_as_unsealed_not_as_a_break()
    {
        var entries = Entries(Seqs);
        var (checkpoints, seals) = Seal(entries, 4);
        entries.AddRange(Entries(14, 15));

        var walker = Walk(entries, seals, checkpoints);

        Assert.Null(walker.Break);
        Assert.Equal(2, walker.UnsealedEntries);
    }

    [Fact]
    public void A_checkpoint_that_does_not_start_from_the_previous_head_is_reported_at_its_first_seq()
    {
        var entries = Entries(Seqs);
        var (checkpoints, seals) = Seal(entries, 4);
        checkpoints[1] = checkpoints[1] with { PreviousHead = new string('a', 64) };

        var found = Walk(entries, seals, checkpoints).Break;

        Assert.Equal(6, found?.Seq);
        Assert.StartsWith("checkpoint 6..10 starts from head aaaa", found?.Problem);
    }

    [Fact]
    public void Overlapping_checkpoints_are_reported_as_order_at_the_later_one()
    {
        var entries = Entries(Seqs);
        var (checkpoints, seals) = Seal(entries, 4);
        checkpoints[1] = checkpoints[1] with { FirstSeq = 5 };

        var found = Walk(entries, seals, checkpoints).Break;

        Assert.Equal(new ChainBreak(5, "order: checkpoint 5..10 overlaps checkpoint 1..5 before it"), found);
    }

    [Fact]
    public void Positions_out_of_order_are_reported_as_order()
    {
        var entries = Entries(1, 2, 3);
        var (checkpoints, _) = Seal(entries, 10);
        var walker = new ChainWalker(checkpoints, requireSeals: false);
        walker.Add(1, entries[0], null);
        walker.Add(3, entries[2], null);

        var found = walker.Add(2, entries[1], null);

        Assert.Equal(new ChainBreak(2, "order: seq 2 comes after seq 3"), found);
    }

    [Fact]
    public void A_walk_from_a_later_checkpoint_starts_at_its_previous_head()
    {
        var entries = Entries(Seqs);
        var (checkpoints, seals) = Seal(entries, 4);
        var from = checkpoints[1];
        var walker = new ChainWalker(checkpoints.Skip(1).ToList(), Convert.FromHexString(from.PreviousHead));

        foreach (var entry in entries.Where(e => e.Seq >= from.FirstSeq))
        {
            walker.Add(entry.Seq, entry, seals[entry.Seq]);
        }

        Assert.Null(walker.Complete());
        Assert.Equal(7, walker.SealedEntries);
    }
}
