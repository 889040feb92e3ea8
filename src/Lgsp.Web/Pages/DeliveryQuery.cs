using System.Globalization;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Storage;
using Lgsp.Web.Text;

namespace Lgsp.Web.Pages;

/// <summary>The deliveries screen's filters, as they travel in its address and forms
/// (<c>?state=failed&amp;error=timeout&amp;recipient=...&amp;hub=...&amp;since=...&amp;before=...</c>).
/// Times are the province's local time, as a <c>datetime-local</c> input gives them.</summary>
public sealed class DeliveryQuery
{
    /// <summary>A state word (pending, retrying, delivered, acknowledged, failed); empty for all.</summary>
    public string? State { get; set; }

    /// <summary>An error code (<see cref="DeliveryErrorCode"/>).</summary>
    public string? Error { get; set; }

    /// <summary>A recipient agency's code.</summary>
    public string? Recipient { get; set; }

    /// <summary>A hub id (deliveries forwarded through it).</summary>
    public string? Hub { get; set; }

    /// <summary>Failed at or after this local time.</summary>
    public string? Since { get; set; }

    /// <summary>Failed before this local time ("older than").</summary>
    public string? Before { get; set; }

    /// <summary>The filters read from a query string or a form.</summary>
    public static DeliveryQuery From(Func<string, string?> read) => new()
    {
        State = read("state"), Error = read("error"), Recipient = read("recipient"), Hub = read("hub"), Since = read("since"), Before = read("before"),
    };

    /// <summary>The state asked for; null for all (and for a word that is not a state).</summary>
    public DeliveryState? StateValue =>
        Text(State) is { } word && !int.TryParse(word, out _) && Enum.TryParse<DeliveryState>(word, true, out var state) ? state : null;

    /// <summary>The store's filter, from <paramref name="beforeId"/> (keyset pagination) when given.</summary>
    public DeliveryFilter Filter(long? beforeId = null) => new()
    {
        State = StateValue, Recipient = Text(Recipient), Hub = Text(Hub), ErrorCode = Text(Error)?.ToLowerInvariant(),
        FailedSince = Local(Since), FailedBefore = Local(Before), BeforeId = beforeId,
    };

    /// <summary>The same conditions as a replay's filter (replay takes only failed deliveries), narrowed
    /// to <paramref name="ids"/> when given.</summary>
    public ReplayFilter ReplayFilter(IReadOnlyCollection<long>? ids = null) =>
        new(Text(Recipient), Text(Hub), Local(Since), Text(Error)?.ToLowerInvariant(), Local(Before), ids is { Count: > 0 } ? ids : null);

    /// <summary>The filters as query-string pairs, for links (the pager, the overview's figures).</summary>
    public IEnumerable<KeyValuePair<string, string?>> Pairs()
    {
        foreach (var (name, value) in new[] { ("state", State), ("error", Error), ("recipient", Recipient), ("hub", Hub), ("since", Since), ("before", Before) })
        {
            if (Text(value) is { } text)
            {
                yield return new(name, text);
            }
        }
    }

    /// <summary>A list of delivery ids as a form carries them: <c>12,15,18</c>. Anything that is not an
    /// id is dropped.</summary>
    public static IReadOnlyList<long> Ids(IEnumerable<string?>? values) =>
        [.. (values ?? []).SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0).Where(id => id > 0).Distinct()];

    private static DateTimeOffset? Local(string? value)
    {
        if (Text(value) is not { } text || !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }

        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, ConsoleText.Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
