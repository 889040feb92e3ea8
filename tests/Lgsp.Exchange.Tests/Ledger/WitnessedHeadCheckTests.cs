using Lgsp.Exchange.Ledger;

namespace Lgsp.Exchange.Tests.Ledger;

public sealed class WitnessedHeadCheckTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Heads_witnessed_over_an_unchanged_ledger_all_match()
    {
        var entries = LedgerFixtures.Entries(1, 2, 4, 5, 7);
        var check = Check(entries, Head(entries, 2), Head(entries, 5), Head(entries, 7));

        Assert.Null(check.Complete());
        Assert.Equal(3, check.Matched);
    }

    [Fact]
    public void An_edited_entry_is_reported_at_the_first_witnessed_position_after_it_and_after_the_last_one_that_still_matches()
    {
        var entries = LedgerFixtures.Entries(1, 2, 3, 4, 5, 6);
        var witnessed = new[] { Head(entries, 2), Head(entries, 4), Head(entries, 6) };
        entries[2] = entries[2] with { Detail = """{"size":31}""" };

        var found = Check(entries, witnessed).Complete();

        Assert.Equal(4, found?.Seq);
        Assert.StartsWith($"entry rewritten at or before seq 4 and after seq 2, whose witnessed head still matches: head witnessed by hub-parent at 2026-03-01T08:00:00.000000Z (test) was {witnessed[1].Head}, the ledger now gives ", found?.Problem);
    }

    [Fact]
    public void Entries_deleted_at_the_end_no_longer_reach_the_last_witnessed_head()
    {
        var entries = LedgerFixtures.Entries(1, 2, 3);
        var witnessed = Head(entries, 3);

        var found = Check(entries.Take(2).ToList(), witnessed).Complete();

        Assert.Equal(3, found?.Seq);
        Assert.StartsWith("entry rewritten at or before seq 3: ", found?.Problem);
    }

    [Fact]
    public void An_entry_inserted_before_a_witnessed_position_changes_its_head()
    {
        var entries = LedgerFixtures.Entries(1, 3);
        var witnessed = Head(entries, 3);

        var found = Check(LedgerFixtures.Entries(1, 2, 3), witnessed).Complete();

        Assert.Equal(3, found?.Seq);
    }

    [Fact]
    public void Entries_after_the_last_witnessed_position_do_not_matter()
    {
        var entries = LedgerFixtures.Entries(1, 2);
        var check = new WitnessedHeadCheck([Head(entries, 1)]);

        Assert.Equal(1, check.ThroughSeq);
        Assert.Null(check.Add(entries[0]));
        Assert.Null(check.Add(entries[1] with { Detail = """{"changed":true}""" }));
        Assert.Null(check.Complete());
    }

    private static WitnessedHeadCheck Check(IEnumerable<LedgerEntry> entries, params WitnessedHead[] heads)
    {
        var check = new WitnessedHeadCheck(heads.Reverse());
        foreach (var entry in entries)
        {
            check.Add(entry);
        }

        return check;
    }

    /// <summary>The head a checkpoint at <paramref name="lastSeq"/> signs: the chain over every entry up to it.</summary>
    private static WitnessedHead Head(IEnumerable<LedgerEntry> entries, long lastSeq)
    {
        var (checkpoint, _) = Checkpoint.Seal(LedgerFixtures.Hub, LedgerChain.Genesis, [.. entries.Where(e => e.Seq <= lastSeq)], At);
        return new WitnessedHead(LedgerFixtures.Hub, lastSeq, checkpoint.Head, "hub-parent", At, "test");
    }
}
