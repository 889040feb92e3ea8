using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Inbox;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Inbound.Axis.Operations;

/// <summary><c>getEdoc</c>: one of the caller's deliveries (<c>docId</c>) as <c>data</c>, the base64 of the
/// exact stored bytes (encoded as they are streamed from the store), with the hub's <c>Receipt</c>, the <c>Hops</c> it passed through and the <c>Policy</c> it was judged under here (ADR 0017). Marks it
/// fetched, does not confirm it; repeatable.</summary>
public sealed class GetEdocOperation(AgencyMandate mandate, InboxService inbox, IAxisStore axis, HubIdentity hub) : IAxisOperation
{
    /// <inheritdoc />
    public string Name => "getEdoc";

    /// <inheritdoc />
    public async Task<AxisAnswer> HandleAsync(AxisCall call, CancellationToken ct)
    {
        var delivery = await mandate.OwnDeliveryAsync(call.System, call.Get("docId"), "docId", ct);
        var receipt = await axis.ReceiptOfAsync(delivery.PackageId, ct);
        var package = await inbox.OpenPackageAsync(call.System, delivery.Id, ct);
        return AxisAnswer.OkWithBase64("data", package, w =>
        {
            w.WriteBase64String("Receipt", receipt);
            w.WriteString("Hops", string.Join(',', [.. delivery.Hops, hub.Id]));
            w.WriteString("Policy", delivery.Legacy ? "legacy" : "strict");
        });
    }
}
