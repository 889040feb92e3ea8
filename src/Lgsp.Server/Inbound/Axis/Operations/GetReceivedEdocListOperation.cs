using Lgsp.Edxml.Model;
using Lgsp.Exchange.Inbox;
using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Inbound.Axis.Operations;

/// <summary><c>getReceivedEdocList</c>: the caller's pull deliveries of <c>messagetype</c> (default
/// <c>edoc</c>) not yet confirmed or failed, oldest first, as the inbox lists them.</summary>
public sealed class GetReceivedEdocListOperation(InboxService inbox) : IAxisOperation
{
    /// <inheritdoc />
    public string Name => "getReceivedEdocList";

    /// <inheritdoc />
    public async Task<AxisAnswer> HandleAsync(AxisCall call, CancellationToken ct)
    {
        var kind = AxisParameters.MessageKind(call.Get("messagetype"), absent: PackageKind.Document);
        var items = await inbox.PendingAsync(call.System, kind, null, InboxService.MaxMaxCount, ct);
        return AxisAnswer.Ok(w => w.WriteData(items, (w, item) =>
        {
            w.WriteString("docId", AxisResponse.Number(item.Id));
            w.WriteString("serviceType", AxisResponse.ServiceType);
            w.WriteString("messageType", AxisParameters.MessageType(kind));
            w.WriteString("created_time", AxisResponse.Time(item.ReceivedAt));
            w.WriteString("updated_time", AxisResponse.Time(item.UpdatedAt == default ? item.ReceivedAt : item.UpdatedAt));
            w.WriteString("from", item.From);
            w.WriteString("to", item.To);
            var (status, description) = Status(item.State);
            w.WriteString("status", status);
            w.WriteString("status_desc", description);
        }));
    }

    private static (string Status, string Description) Status(DeliveryState state) => state == DeliveryState.Delivered
        ? ("received", "Fetched by the receiver, not yet confirmed")
        : ("initial", "Waiting for receiver");
}
