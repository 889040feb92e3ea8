using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Inbound.Axis.Operations;

/// <summary><c>registerAgency</c>: creates or updates the agency of the JSON body, owned by the caller,
/// which may then act for it. An agency an administrator registered or another system owns is not
/// changed.</summary>
public sealed class RegisterAgencyOperation(IAxisStore axis, AxisAuthenticator authenticator, ILogger<RegisterAgencyOperation> log) : IAxisOperation
{
    /// <inheritdoc />
    public string Name => "registerAgency";

    /// <inheritdoc />
    public async Task<AxisAnswer> HandleAsync(AxisCall call, CancellationToken ct)
    {
        var request = AxisDirectory.ParseRegistration(await call.ReadBodyAsync(ct));
        var result = await axis.RegisterAgencyAsync(call.System.Id, request.Code, request.Name, request.ParentCode, request.Mail, ct);

        // The caller's agencies may have changed: its next request reads them again.
        authenticator.Forget(call.System.Id);
        AxisDirectory.ThrowUnlessDone(result, call.System, request.Code, "code", request.ParentCode);
        log.LogInformation("Agency {Code} registered by {System}", request.Code, call.System.Id);
        return AxisAnswer.Ok();
    }
}
