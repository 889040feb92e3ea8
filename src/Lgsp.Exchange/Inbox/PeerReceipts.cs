using System.Security.Cryptography;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Inbox;

/// <summary>A trace shows each peer receipt once: a forward the next hub answered as a duplicate (a second
/// recipient of the same package) carries the same receipt as the first, and repeating its bytes in full
/// told the reader nothing new.</summary>
public static class PeerReceipts
{
    /// <summary>The events in order, each repeated peer receipt marked with the seq of the event that
    /// shows it first (<see cref="TraceEvent.PeerReceiptShownAt"/>).</summary>
    public static IReadOnlyList<TraceEvent> ShownOnce(IReadOnlyList<TraceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var shown = new Dictionary<string, long>(StringComparer.Ordinal);
        var result = new List<TraceEvent>(events.Count);
        foreach (var e in events)
        {
            if (e.PeerReceipt is not { } receipt)
            {
                result.Add(e);
                continue;
            }

            var sha = Convert.ToHexStringLower(SHA256.HashData(receipt));
            if (shown.TryGetValue(sha, out var first))
            {
                result.Add(e with { PeerReceiptShownAt = first });
            }
            else
            {
                shown[sha] = e.Seq;
                result.Add(e);
            }
        }

        return result;
    }
}
