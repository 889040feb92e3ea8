using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Delivery;

/// <summary>What became of a forwarded delivery beyond the next hub: the next hub tells the hub that
/// forwarded the package (its sent list, <c>getSentEdocList</c>, to that hub's inbound system) and the
/// forwarding hub records it on its own delivery (docs/topology.md, "Outcomes of a forward").</summary>
/// <remarks>A forward that the next hub failed, or whose recipient confirmed it there (or further on, as
/// that hub learnt in turn), is final; anything else is still on its way. A hand-off down to a child hub
/// (a pull delivery via that hub) that the child took is not the recipient's confirmation: it is final
/// once the child reported its own outcome up (ADR 0020), a confirmation further down or a failure.</remarks>
public static class FarOutcome
{
    /// <summary>The wire word of a failed delivery.</summary>
    public const string Failed = "failed";

    /// <summary>The wire word of a delivery its recipient confirmed.</summary>
    public const string Confirmed = "confirmed";

    /// <summary>The prefix of a far failure's code on the forwarding hub: <c>far:unknown-recipient</c>.</summary>
    public const string CodePrefix = "far:";

    private const string ReasonPrefix = "failed at hub ";

    /// <summary>The outcome word of one delivery as this hub knows it, or null while it is not final.</summary>
    /// <param name="state">The delivery's state.</param>
    /// <param name="mode">Pull or push.</param>
    /// <param name="via">The hub it went through, if any.</param>
    /// <param name="confirmedBelow">For a hand-off down to a child hub: the child reported that its
    /// recipient confirmed it (<c>far_confirmed_at</c>).</param>
    public static string? Of(DeliveryState state, DeliveryMode mode, string? via, bool confirmedBelow = false) => state switch
    {
        DeliveryState.Failed => Failed,
        DeliveryState.Acknowledged when !(mode == DeliveryMode.Pull && via is not null) || confirmedBelow => Confirmed,
        _ => null,
    };

    /// <summary>The stable code of a failed delivery as this hub tells it on: its stored code, else the
    /// no-route word its text starts with (<c>unknown-recipient</c>, <c>loop-detected</c>), else
    /// <c>failed</c>.</summary>
    public static string CodeOf(string? code, string? text)
    {
        if (!string.IsNullOrEmpty(code))
        {
            return code;
        }

        foreach (var word in (string[])["unknown-recipient", "loop-detected"])
        {
            if (text?.StartsWith(word + ":", StringComparison.Ordinal) == true)
            {
                return word;
            }
        }

        return Failed;
    }

    /// <summary>The code the forwarding hub records: the next hub's code behind <see cref="CodePrefix"/>,
    /// once, however many hubs carried it back.</summary>
    public static string Code(string nextHubCode) =>
        nextHubCode.StartsWith(CodePrefix, StringComparison.Ordinal) ? nextHubCode : CodePrefix + nextHubCode;

    /// <summary>The failure text the forwarding hub records: <c>failed at hub ID: TEXT</c>, naming the hub
    /// where it failed (the next hub's text as it is, when that hub carried it back from further on).</summary>
    /// <param name="nextHub">The hub that answered.</param>
    /// <param name="nextHubCode">Its code for the failure.</param>
    /// <param name="nextHubText">Its text, as its sender view shows it (no endpoint in it).</param>
    public static string Reason(string nextHub, string nextHubCode, string? nextHubText) =>
        nextHubCode.StartsWith(CodePrefix, StringComparison.Ordinal) && nextHubText?.StartsWith(ReasonPrefix, StringComparison.Ordinal) == true
            ? nextHubText
            : $"{ReasonPrefix}{nextHub}: {nextHubText ?? nextHubCode}";
}
