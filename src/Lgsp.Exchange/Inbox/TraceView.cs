using System.Globalization;
using System.Text.Json;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Inbox;

/// <summary>A peer hub's receipt as a trace shows it: what it says (unverified) and its bytes.</summary>
/// <param name="Hub">The hub that took the package, as its receipt says; null when the bytes are not a receipt.</param>
/// <param name="ReceivedAt">When that hub took it.</param>
/// <param name="LedgerSeq">Its position in that hub's ledger.</param>
/// <param name="Sha256">The SHA-256 (hex) of the receipt's own bytes, which the next hop's reception records.</param>
/// <param name="Xml">The receipt, base64; null when an earlier event of the trace shows the same receipt
/// (<paramref name="SameAsSeq"/>).</param>
/// <param name="SameAsSeq">The seq of the event that shows this receipt's bytes, when not this one.</param>
public sealed record PeerReceiptView(string? Hub, DateTimeOffset? ReceivedAt, long? LedgerSeq, string Sha256, string? Xml, long? SameAsSeq = null);

/// <summary>One trace event as the admin API and <c>lgsp trace --json</c> write it: the same shape in
/// both places. Immutable.</summary>
/// <param name="Seq">Ledger position.</param>
/// <param name="At">When.</param>
/// <param name="Kind">Ledger kind.</param>
/// <param name="Actor">Who.</param>
/// <param name="PackageId">The package.</param>
/// <param name="DeliveryId">The delivery, if any.</param>
/// <param name="Recipient">The delivery's recipient, if any.</param>
/// <param name="Detail">The entry's detail as JSON (without the peer receipt's bytes, which
/// <paramref name="PeerReceipt"/> carries).</param>
/// <param name="PeerReceipt">The next hub's receipt, on a successful forward.</param>
/// <param name="PreviousReceiptSha256">The previous hub's receipt hash, on a forwarded reception.</param>
/// <param name="Summary">A one-line human summary.</param>
public sealed record TraceView(
    long Seq,
    DateTimeOffset At,
    string Kind,
    string Actor,
    long? PackageId,
    long? DeliveryId,
    string? Recipient,
    JsonElement Detail,
    PeerReceiptView? PeerReceipt,
    string? PreviousReceiptSha256,
    string Summary)
{
    /// <summary>The views of a trace's events, each peer receipt's bytes once (<see cref="PeerReceipts.ShownOnce"/>).</summary>
    public static IReadOnlyList<TraceView> OfAll(IReadOnlyList<TraceEvent> events) => [.. PeerReceipts.ShownOnce(events).Select(Of)];

    /// <summary>The view of a trace event.</summary>
    public static TraceView Of(TraceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var detail = JsonDocument.Parse(e.Detail);
        PeerReceiptView? peer = null;
        if (e.PeerReceipt is { } bytes)
        {
            var content = ReceiptContent.TryRead(bytes);
            peer = new PeerReceiptView(content?.Hub, content?.ReceivedAt, content?.LedgerSeq,
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)),
                e.PeerReceiptShownAt is null ? Convert.ToBase64String(bytes) : null, e.PeerReceiptShownAt);
        }

        return new TraceView(e.Seq, e.At, e.Kind, e.Actor, e.PackageId, e.DeliveryId, e.Recipient, detail.RootElement.Clone(), peer,
            e.PreviousReceiptSha256, Summarise(detail.RootElement, peer, e.PreviousReceiptSha256));
    }

    /// <summary>The detail's fields as <c>key=value</c>, without the bulky receipt, then the hop receipts.</summary>
    private static string Summarise(JsonElement detail, PeerReceiptView? peer, string? previousReceiptSha256)
    {
        var parts = new List<string>();
        if (detail.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in detail.EnumerateObject())
            {
                if (property.Name is Ledger.LedgerDetailKeys.PeerReceipt or Ledger.LedgerDetailKeys.PreviousReceiptSha256 or "recipient"
                    || property.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                parts.Add($"{property.Name}={(property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText())}");
            }
        }

        if (peer is not null)
        {
            parts.Add(peer.SameAsSeq is { } first
                ? $"peer receipt: the same as #{first}"
                : peer.Hub is null
                ? "peer receipt: unreadable"
                : $"peer receipt: hub {peer.Hub} took it at {peer.ReceivedAt!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)} (its ledger #{peer.LedgerSeq})");
        }

        if (previousReceiptSha256 is not null)
        {
            parts.Add($"previous hub's receipt sha256={previousReceiptSha256}");
        }

        return string.Join(", ", parts);
    }
}
