using Lgsp.Exchange.Ledger;

namespace Lgsp.Server.Inbound.Axis.Operations;

/// <summary><c>witnessCheckpoint</c>, between hubs only: a child hub's latest signed checkpoint as the body,
/// answered with <c>Witness</c>, the base64 of this hub's signed countersignature (docs/audit.md, "What
/// witnessing adds").</summary>
public sealed class WitnessCheckpointOperation(CheckpointWitness witness, ILogger<WitnessCheckpointOperation> log) : IAxisOperation
{
    /// <inheritdoc />
    public string Name => AxisEndpoint.WitnessCheckpoint;

    /// <inheritdoc />
    public long MaxBodyBytes => AxisBodyLimits.CheckpointBodyBytes;

    /// <inheritdoc />
    public async Task<AxisAnswer> HandleAsync(AxisCall call, CancellationToken ct)
    {
        var countersignature = await witness.WitnessAsync(call.System, await call.ReadBodyAsync(ct), ct);
        log.LogInformation("Witnessed a checkpoint of hub {Hub}", call.System.Hub);
        return AxisAnswer.Ok(w => w.WriteBase64String("Witness", countersignature));
    }
}
