using System.Globalization;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Inbox;
using Lgsp.Exchange.Storage;
using Microsoft.Extensions.Options;

namespace Lgsp.Server.Outbound.Links;

/// <summary>
/// Follows this hub's forwards beyond the parent: once per poll cycle (called by <see cref="ParentPoller"/>,
/// so on one instance at a time), when forwards are still <c>delivered</c> via the parent, asks the
/// parent's sent list (<c>getSentEdocList</c>, as this hub's inbound system there) from a watermark, the
/// lowest package id the parent gave those forwards, and records what the parent says became of each:
/// failed there or beyond (<c>far:CODE</c>, <c>failed at hub ID: …</c>), or confirmed by its recipient.
/// </summary>
/// <remarks>One list call per message type per page, never one per delivery. The watermark is read from
/// the database each cycle, so a restart loses nothing; each change is recorded only while the delivery
/// is still <c>delivered</c> (<see cref="IForwardStore"/>), so a repeated answer records nothing twice.
/// Forwards older than <see cref="ParentLinkOptions.FollowUpWindow"/> are no longer asked about.
/// Thread safe.</remarks>
public sealed class ForwardFollowUp(IForwardStore forwards, AxisClient axis, IOptions<HubOptions> options, HubLinkMetrics metrics,
    TimeProvider clock, ILogger<ForwardFollowUp> log)
{
    /// <summary>The most forwards one cycle follows (the oldest first).</summary>
    public const int MaxFollowed = 5000;

    /// <summary>The most list pages one cycle reads per message type.</summary>
    public const int MaxPages = 10;

    /// <summary>One follow-up against <paramref name="parent"/>; nothing is asked when no forward waits.</summary>
    public async Task FollowAsync(HubLink parent, CancellationToken ct)
    {
        var since = clock.GetUtcNow() - options.Value.Parent.FollowUpWindow;
        var onTheirWay = await forwards.OnTheirWayAsync(parent.Id, since, MaxFollowed, ct);
        foreach (var (messageType, kind) in new[] { (AxisClient.Edoc, PackageKind.Document), (AxisClient.Status, PackageKind.Status) })
        {
            var waiting = onTheirWay.Where(f => f.Kind == kind)
                .GroupBy(f => (f.PeerDocId, f.AddressedTo))
                .ToDictionary(g => g.Key, g => g.Select(f => f.DeliveryId).ToList());
            var ids = waiting.Keys.Select(k => PackageId(k.PeerDocId)).OfType<long>().ToList();
            if (ids.Count > 0 && !await FollowListAsync(parent, messageType, waiting, ids.Min(), ids.Max(), ct))
            {
                return;
            }
        }
    }

    // Reads the parent's list from the watermark, page by page, up to the highest id still followed.
    private async Task<bool> FollowListAsync(HubLink parent, string messageType, Dictionary<(string, string), List<long>> waiting,
        long from, long highest, CancellationToken ct)
    {
        for (var page = 0; page < MaxPages && waiting.Count > 0; page++)
        {
            var list = await axis.GetSentEdocListAsync(parent, messageType, null, from, ct);
            if (list.Kind != AxisAnswerKind.Ok)
            {
                metrics.FollowedUp("unavailable");
                log.LogWarning("Parent hub {Hub} did not list the {MessageType} packages this hub forwarded: {Answer}", parent.Id, messageType, list.Describe());
                return false;
            }

            var rows = list.Items;
            long? last = null;
            foreach (var row in rows)
            {
                last = PackageId(AxisJson.Text(row, "senderDocId")) ?? last;
                await RecordAsync(parent, row, waiting, ct);
            }

            // A short page is the end; a full one continues after its last package (a package with more
            // rows than a page would otherwise be read again and again).
            if (rows.Count < InboxService.MaxMaxCount || last is not { } next || next >= highest)
            {
                break;
            }

            from = next > from ? next : next + 1;
        }

        return true;
    }

    private async Task RecordAsync(HubLink parent, System.Text.Json.JsonElement row, Dictionary<(string, string), List<long>> waiting, CancellationToken ct)
    {
        var outcome = AxisJson.Text(row, "lgspOutcome");
        var docId = AxisJson.Text(row, "senderDocId");
        var addressedTo = AxisJson.Text(row, "addressedTo") ?? AxisJson.Text(row, "toCode");
        if (outcome is null || docId is null || addressedTo is null || !waiting.Remove((docId, addressedTo), out var deliveries))
        {
            return;
        }

        var at = clock.GetUtcNow();
        foreach (var deliveryId in deliveries)
        {
            if (outcome == FarOutcome.Failed)
            {
                var nextHubCode = AxisJson.Text(row, "lgspErrorCode") ?? FarOutcome.Failed;
                var code = FarOutcome.Code(nextHubCode);
                var reason = FarOutcome.Reason(parent.Id, nextHubCode, AxisJson.Text(row, "lgspError"));
                if (await forwards.RecordFailedBeyondAsync(deliveryId, parent.Id, code, reason, at, ct))
                {
                    metrics.FollowedUp("failed");
                    log.LogWarning("Forwarded delivery {DeliveryId} to {Recipient} failed beyond parent hub {Hub} (its DocId {DocId}): {Code}: {Reason}",
                        deliveryId, addressedTo, parent.Id, docId, code, reason);
                }
            }
            else if (outcome == FarOutcome.Confirmed && await forwards.RecordAcknowledgedBeyondAsync(deliveryId, parent.Id, at, ct))
            {
                metrics.FollowedUp("acknowledged");
                log.LogInformation("Forwarded delivery {DeliveryId} to {Recipient} was confirmed beyond parent hub {Hub} (its DocId {DocId})",
                    deliveryId, addressedTo, parent.Id, docId);
            }
        }
    }

    // The parent's ids are its package ids; one that is not a number cannot be followed by watermark.
    private static long? PackageId(string? docId) =>
        long.TryParse(docId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
