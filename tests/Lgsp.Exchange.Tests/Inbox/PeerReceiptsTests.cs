using System.Text;
using Lgsp.Exchange.Inbox;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Tests.Inbox;

/// <summary>A trace carries each peer receipt's bytes once: a second forward of the same package, which
/// the next hub answers with its first receipt, refers to the event that shows it.</summary>
public sealed class PeerReceiptsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly byte[] First = Encoding.UTF8.GetBytes("<Receipt>1</Receipt>");
    private static readonly byte[] Other = Encoding.UTF8.GetBytes("<Receipt>2</Receipt>");

    [Fact]
    public void A_repeated_receipt_refers_to_the_first_event_carrying_it_and_a_different_one_is_shown_in_full()
    {
        var events = PeerReceipts.ShownOnce([Event(1, null), Event(2, First), Event(3, [.. First]), Event(4, Other)]);

        Assert.Equal([null, null, 2L, null], events.Select(e => e.PeerReceiptShownAt));
        var views = TraceView.OfAll(events);
        Assert.Equal(Convert.ToBase64String(First), views[1].PeerReceipt!.Xml);
        Assert.Null(views[2].PeerReceipt!.Xml);
        Assert.Equal(2L, views[2].PeerReceipt!.SameAsSeq);
        Assert.Equal(views[1].PeerReceipt!.Sha256, views[2].PeerReceipt!.Sha256);
        Assert.Contains("peer receipt: the same as #2", views[2].Summary, StringComparison.Ordinal);
        Assert.Equal(Convert.ToBase64String(Other), views[3].PeerReceipt!.Xml);
    }

    private static TraceEvent Event(long seq, byte[]? receipt) =>
        new(seq, At, "attempt.succeeded", "hub", "{}") { PeerReceipt = receipt };
}
