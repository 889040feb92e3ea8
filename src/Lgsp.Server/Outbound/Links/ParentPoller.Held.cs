using System.Collections.Concurrent;
using Lgsp.Edxml.Errors;
using Lgsp.Exchange.Errors;

namespace Lgsp.Server.Outbound.Links;

public sealed partial class ParentPoller
{
    // The refusal codes that say more about this hub than about the package: the parent already
    // accepted and checked it, so a root or CRL missing here is this hub's configuration to fix, not a
    // reason to fail the delivery for good.
    private static readonly HashSet<string> OwnTrustCodes = new(StringComparer.Ordinal)
    {
        ErrorCode.CertificateUntrustedRoot,
        ErrorCode.CertificateRevocationUnknown,
        ErrorCode.CrlStale,
    };

    private static readonly TimeSpan MaxDeferral = TimeSpan.FromHours(1);

    // Items this hub has dealt with but the parent still lists, by (message type, docId): refused ones
    // are checked and recorded once, then only their fail is reported again until the parent takes it;
    // deferred ones (this hub's own fault) wait a growing delay before they are tried again. In memory:
    // after a restart an item is checked once more. Pruned to what the parent lists.
    private readonly ConcurrentDictionary<(string MessageType, string DocId), Held> _held = new();

    /// <summary>True when a refusal is this hub's own doing (its trust, an internal error): the parent is
    /// not told <c>fail</c>, the item is tried again later.</summary>
    internal static bool IsOwnFault(ExchangeException refusal) => !refusal.CallerFault || OwnTrustCodes.Contains(refusal.Error.Code);

    private void Prune(string messageType, IEnumerable<string> listed)
    {
        var still = listed.ToHashSet(StringComparer.Ordinal);
        foreach (var key in _held.Keys)
        {
            if (key.MessageType == messageType && !still.Contains(key.DocId))
            {
                _held.TryRemove(key, out _);
            }
        }
    }

    private void Defer(string messageType, string docId, DateTimeOffset now)
    {
        var key = (messageType, docId);
        var delay = _held.TryGetValue(key, out var held) && held is Held.Deferred d
            ? TimeSpan.FromTicks(Math.Min(d.Delay.Ticks * 2, MaxDeferral.Ticks))
            : Interval * 2;
        _held[key] = new Held.Deferred(now + delay, delay);
    }

    /// <summary>What the poller remembers of an item the parent still lists.</summary>
    private abstract record Held
    {
        /// <summary>Refused by our accept path and recorded; <paramref name="Reported"/> once the parent took the fail.</summary>
        public sealed record Refused(string Reason, bool Reported) : Held;

        /// <summary>Left for later because of this hub's own fault; tried again from <paramref name="Due"/>.</summary>
        public sealed record Deferred(DateTimeOffset Due, TimeSpan Delay) : Held;
    }
}
