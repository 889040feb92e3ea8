using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Inbox;
using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Inbound.Axis.Operations;

/// <summary><c>updateStatus</c>: the recipient's word on one of its deliveries (<c>docId</c>): <c>done</c>
/// confirms it, <c>fail</c> fails it (with the signed <c>reason</c>, if any), <c>processing</c> keeps it
/// pending and records that once in the ledger. Idempotent.</summary>
public sealed class UpdateStatusOperation(AgencyMandate mandate, InboxService inbox, IAxisStore axis, TimeProvider clock) : IAxisOperation
{
    /// <inheritdoc />
    public string Name => "updateStatus";

    /// <inheritdoc />
    public async Task<AxisAnswer> HandleAsync(AxisCall call, CancellationToken ct)
    {
        var status = call.Get("status");
        var delivery = await mandate.OwnDeliveryAsync(call.System, call.Get("docId"), "docId", ct);
        switch (status)
        {
            case "done":
                await inbox.ConfirmAsync(call.System, delivery.Id, "done", null, ct);
                break;
            case "fail":
                // A hub that refused a package it pulled says why (signed parameter reason).
                var reason = call.Get("reason") is { Length: > 0 } why ? $"fail reported by {call.System.Id}: {why}" : $"fail reported by {call.System.Id}";
                await inbox.ConfirmAsync(call.System, delivery.Id, "fail", reason, ct);
                break;
            case "processing":
                await axis.RecordProcessingAsync(delivery.Id, call.System.Id, Timestamps.Truncate(clock.GetUtcNow()), ct);
                break;
            default:
                throw AxisErrors.Refused(AxisErrors.InvalidValue, "status", status ?? "", "done, fail or processing");
        }

        return AxisAnswer.Ok();
    }
}
