using System.Globalization;
using Lgsp.Edxml.Model;
using System.Text.Json;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Inbox;
using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Inbound.Axis.Operations;

/// <summary><c>getSentEdocList</c>: one row per recipient of the packages of <c>messagetype</c> (default
/// <c>edoc</c>) the caller's agencies sent, newest first; only package <c>docId</c> when given.</summary>
/// <remarks>A hub caller (a child hub's inbound system) gets the packages its hub forwarded here, whoever
/// sent them; with the signed parameter <c>lgsp-from</c> (a package id, the child's watermark) those
/// from that id on, oldest first. Its rows carry what the child follows its forwards by:
/// <c>addressedTo</c>, <c>via</c>, and once final <c>lgspOutcome</c> (<see cref="FarOutcome"/>) with,
/// for a failure, <c>lgspErrorCode</c> and <c>lgspError</c>.</remarks>
public sealed class GetSentEdocListOperation(IAxisStore axis) : IAxisOperation
{
    /// <inheritdoc />
    public string Name => "getSentEdocList";

    /// <inheritdoc />
    public async Task<AxisAnswer> HandleAsync(AxisCall call, CancellationToken ct)
    {
        var kind = AxisParameters.MessageKind(call.Get("messagetype"), absent: PackageKind.Document);
        var docId = call.Get("docId");
        long? packageId = null;
        if (!string.IsNullOrEmpty(docId))
        {
            // An id that cannot be ours matches nothing.
            packageId = long.TryParse(docId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1;
        }

        var hub = call.System.Hub;
        var items = hub is null
            ? await axis.SentAsync([.. call.System.Agencies], kind, packageId, InboxService.MaxMaxCount, ct)
            : await axis.SentByHubAsync(hub, kind, packageId, From(call.Get(Outbound.Links.AxisClient.FromParameter)), InboxService.MaxMaxCount, ct);
        return AxisAnswer.Ok(w => w.WriteData(items, (w, item) =>
        {
            w.WriteString("serviceType", AxisResponse.ServiceType);
            w.WriteString("messageType", AxisParameters.MessageType(kind));
            w.WriteString("senderDocId", AxisResponse.Number(item.PackageId));
            w.WriteString("receiverDocId", AxisResponse.Number(item.DeliveryId));
            w.WriteString("fromCode", item.From);
            w.WriteString("toCode", item.To);
            w.OptionalString("title", item.Subject);
            w.OptionalString("notation", item.CodeNotation);
            w.OptionalString("statusCode", item.StatusCode);
            w.WriteString("sentTime", AxisResponse.Time(item.SentAt));
            w.OptionalString("receivedTime", item.DeliveredAt is { } at ? AxisResponse.Time(at) : null);
            w.WriteString("sendStatus", "done");
            w.WriteString("sendStatusDesc", "Accepted by the hub");
            var (status, description) = ReceiveStatus(item.State);
            w.WriteString("receiveStatus", status);
            w.WriteString("receiveStatusDesc", SenderView.Error(item.LastErrorCode, item.LastError) is { } error && item.State == DeliveryState.Failed ? description + ": " + error : description);
            if (hub is not null)
            {
                WriteFollowUp(w, item);
            }
        }));
    }

    // A watermark that is not a package id of ours lists nothing newer than it could: from the start.
    private static long? From(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static void WriteFollowUp(Utf8JsonWriter w, AxisSentItem item)
    {
        w.OptionalString("addressedTo", item.AddressedTo);
        w.OptionalString("via", item.Via);
        var outcome = FarOutcome.Of(item.State, item.Mode, item.Via, item.ConfirmedBelow);
        w.OptionalString("lgspOutcome", outcome);
        if (outcome == FarOutcome.Failed)
        {
            w.WriteString("lgspErrorCode", FarOutcome.CodeOf(item.LastErrorCode, item.LastError));
            w.OptionalString("lgspError", SenderView.Error(item.LastErrorCode, item.LastError));
        }
    }

    private static (string Status, string Description) ReceiveStatus(DeliveryState state) => state switch
    {
        DeliveryState.Pending => ("initial", "Waiting for receiver"),
        DeliveryState.Retrying => ("retrying", "Delivery is being retried"),
        DeliveryState.Delivered => ("received", "Fetched by the receiver, not yet confirmed"),
        DeliveryState.Acknowledged => ("done", "Confirmed by the receiver"),
        _ => ("fail", "Delivery failed"),
    };
}
