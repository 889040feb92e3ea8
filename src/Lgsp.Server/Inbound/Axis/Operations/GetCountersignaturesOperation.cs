using System.Globalization;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Ledger;

namespace Lgsp.Server.Inbound.Axis.Operations;

/// <summary><c>getCountersignatures</c>, between hubs only: the countersignatures this hub issued to the
/// calling child hub for checkpoints ending after <c>afterSeq</c> (a signed parameter, default 0), by last
/// seq, at most <see cref="CheckpointWitness.MaxIssuedPerCall"/>: <c>data[]</c> of {<c>lastSeq</c>,
/// <c>witness</c> (the base64 of the signed countersignature)}, and <c>more</c> when a further call would
/// give more. The child's auditor compares them with its ledger (<c>lgsp audit witness-check
/// --witness-url</c>, docs/audit.md) without access to this hub's database.</summary>
public sealed class GetCountersignaturesOperation(CheckpointWitness witness) : IAxisOperation
{
    /// <inheritdoc />
    public string Name => AxisEndpoint.GetCountersignatures;

    /// <inheritdoc />
    public async Task<AxisAnswer> HandleAsync(AxisCall call, CancellationToken ct)
    {
        var after = call.Get("afterSeq") is { } text
            ? long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq
                : throw ExchangeException.Of(HubErrorCode.InvalidRequest, "afterSeq", "afterSeq must be a non-negative whole number")
            : 0;
        var issued = await witness.IssuedToAsync(call.System, after, ct);
        return AxisAnswer.Ok(w =>
        {
            w.WriteData(issued, (w, one) =>
            {
                w.WriteNumber("lastSeq", one.LastSeq);
                w.WriteBase64String("witness", one.Xml);
            });
            w.WriteBoolean("more", issued.Count == CheckpointWitness.MaxIssuedPerCall);
        });
    }
}
