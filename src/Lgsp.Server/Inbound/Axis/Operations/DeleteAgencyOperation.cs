using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Inbound.Axis.Operations;

/// <summary><c>deleteAgency</c>: tombstones an agency the caller owns (<c>AgencyCode</c>), kept for
/// <c>getSynchronizeUnit</c>; deleting again changes nothing. The caller owns only what it registered and
/// an operator approved and has not changed since: an operator's change clears the ownership, so a
/// system cannot delete the real agency it once registered ahead of the operator.</summary>
public sealed class DeleteAgencyOperation(IAxisStore axis, AxisAuthenticator authenticator, ILogger<DeleteAgencyOperation> log) : IAxisOperation
{
    /// <inheritdoc />
    public string Name => "deleteAgency";

    /// <inheritdoc />
    public async Task<AxisAnswer> HandleAsync(AxisCall call, CancellationToken ct)
    {
        var code = call.Get("AgencyCode") is { Length: > 0 } given
            ? given.Trim()
            : throw ExchangeException.Of(HubErrorCode.InvalidRequest, "AgencyCode", "AgencyCode is required");
        var result = await axis.DeleteAgencyAsync(call.System.Id, code, ct);

        // The caller no longer acts for the agency: its next request reads its agencies again.
        authenticator.Forget(call.System.Id);
        AxisDirectory.ThrowUnlessDone(result, call.System, code, "AgencyCode", null);
        log.LogInformation("Agency {Code} deleted by {System}", code, call.System.Id);
        return AxisAnswer.Ok();
    }
}
