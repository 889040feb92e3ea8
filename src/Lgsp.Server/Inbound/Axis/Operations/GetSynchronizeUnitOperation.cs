using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Inbound.Axis.Operations;

/// <summary><c>getSynchronizeUnit</c>: every agency, retired and deleted ones included, with the hub that
/// serves it (<c>centerCode</c>), its <c>version</c>, tombstone and last change.</summary>
public sealed class GetSynchronizeUnitOperation(IAxisStore axis, HubIdentity hub) : IAxisOperation
{
    /// <inheritdoc />
    public string Name => "getSynchronizeUnit";

    /// <inheritdoc />
    public async Task<AxisAnswer> HandleAsync(AxisCall call, CancellationToken ct)
    {
        var agencies = await axis.ListAgenciesAsync(ct);
        return AxisAnswer.Ok(w => w.WriteData(agencies, (w, a) =>
        {
            w.WriteAgency(a);
            w.WriteString("centerCode", a.ServedBy ?? hub.Id);
            w.WriteNumber("version", a.Version);
            w.WriteBoolean("deleted", a.Deleted);
            w.WriteString("modifyDate", AxisResponse.Time(a.ChangedAt));
            w.WriteBoolean("isAgency", true);
        }));
    }
}
