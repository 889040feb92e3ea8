using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Inbound.Axis.Operations;

/// <summary><c>getAgenciesList</c>: the active agencies, with the retired code each succeeds
/// (<c>oldCode</c>).</summary>
public sealed class GetAgenciesListOperation(IAxisStore axis) : IAxisOperation
{
    /// <inheritdoc />
    public string Name => "getAgenciesList";

    /// <inheritdoc />
    public async Task<AxisAnswer> HandleAsync(AxisCall call, CancellationToken ct)
    {
        var agencies = (await axis.ListAgenciesAsync(ct)).Where(a => !a.Deleted && a.Active).ToList();
        return AxisAnswer.Ok(w => w.WriteData(agencies, (w, a) =>
        {
            w.WriteAgency(a);
            w.OptionalString("oldCode", a.OldCode);
        }));
    }
}
