using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Storage;
using Microsoft.Extensions.Options;

namespace Lgsp.Server.Inbound.Axis.Operations;

/// <summary><c>registerAgency</c>: asks for the agency of the JSON body to be added (or changed) under
/// one of the caller's own agencies. Under <c>Hub:Axis:Registration</c> = <c>approve</c> the request waits
/// for an operator (<c>lgsp agencies approve</c>), and only then is the agency in the directory, owned by
/// the caller, which acts for it; under <c>refuse</c> it is refused. An agency an operator registered or
/// changed, or another system owns, is not changed.</summary>
public sealed class RegisterAgencyOperation(IAxisStore axis, AgencyMandate mandate, IOptions<HubOptions> options, ILogger<RegisterAgencyOperation> log)
    : IAxisOperation
{
    /// <inheritdoc />
    public string Name => "registerAgency";

    /// <inheritdoc />
    public async Task<AxisAnswer> HandleAsync(AxisCall call, CancellationToken ct)
    {
        var request = AxisDirectory.ParseRegistration(await call.ReadBodyAsync(ct));
        if (options.Value.Axis.Registration == AgencyRegistrationMode.Refuse)
        {
            throw ExchangeException.Of(HubErrorCode.RegistrationClosed, "code", request.Code);
        }

        var (code, parentCode) = await mandate.CheckRegistrationAsync(call.System, request.Code, request.ParentCode, ct);
        var result = await axis.RegisterAgencyAsync(call.System.Id, code, request.Name, parentCode, request.Mail, ct);
        AxisDirectory.ThrowUnlessDone(result, call.System, code, "code", parentCode);

        // Nothing changed for the caller's mandate yet: that waits for the operator's approval.
        log.LogInformation("Agency {Code} under {Parent} requested by {System}; waiting for an operator's approval", code, parentCode, call.System.Id);
        return AxisAnswer.Ok(w => w.WriteString("Registration", "pending"));
    }
}
