using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Inbound.Axis.Operations;

/// <summary><c>getAgenciesListQD20</c>: the active agencies of the tiers of <c>level</c>
/// (<see cref="AxisDirectory.TiersOfLevel"/>; every tier without one), with <c>code102</c>.</summary>
public sealed class GetAgenciesListQD20Operation(IAxisStore axis) : IAxisOperation
{
    /// <inheritdoc />
    public string Name => "getAgenciesListQD20";

    /// <inheritdoc />
    public async Task<AxisAnswer> HandleAsync(AxisCall call, CancellationToken ct)
    {
        var tiers = AxisDirectory.TiersOfLevel(call.Get("level"));
        var agencies = (await axis.ListAgenciesAsync(ct)).Where(a => !a.Deleted && a.Active && (tiers is null || tiers.Contains(a.Tier))).ToList();
        return AxisAnswer.Ok(w => w.WriteData(agencies, (w, a) =>
        {
            w.WriteAgency(a);
            w.WriteString("code102", a.Code);
        }));
    }
}
