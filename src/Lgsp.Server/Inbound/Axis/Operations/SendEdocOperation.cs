using Lgsp.Edxml.Errors;
using Lgsp.Exchange.Accept;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Server.Inbound.Accept;
using Microsoft.Extensions.Options;

namespace Lgsp.Server.Inbound.Axis.Operations;

/// <summary><c>sendEdoc</c>: a package (document or status, per <c>messagetype</c>) through the accept path,
/// answered with its <c>DocId</c> and <c>Receipt</c> (docs/axis.md, "sendEdoc"). A resend of the same call
/// is answered from the first (<see cref="ResendWindow"/>).</summary>
public sealed class SendEdocOperation(PackageIntake intake, ResendWindow resends, IOptions<HubOptions> options) : IAxisOperation
{
    /// <inheritdoc />
    public string Name => "sendEdoc";

    /// <inheritdoc />
    /// <remarks>The hub's package limit, <see cref="HubOptions.MaxRequestBytes"/>.</remarks>
    public long MaxBodyBytes => options.Value.MaxRequestBytes;

    /// <inheritdoc />
    /// <remarks>The file is read only once the parameters are known to be usable.</remarks>
    public bool ReadsBodyItself => true;

    /// <inheritdoc />
    public async Task<AxisAnswer> HandleAsync(AxisCall call, CancellationToken ct)
    {
        var kind = AxisParameters.MessageKind(call.Get("messagetype"));
        var hashFile = call.Get("hash-file") is { Length: > 0 } h
            ? h
            : throw ExchangeException.Of(HubErrorCode.InvalidRequest, "hash-file", "hash-file is required");
        AgencyMandate.CheckClaimedSender(call.System, call.Get("from"), "from");
        var arrival = new Arrival(AxisParameters.Recipients(call.Get("to")), AxisParameters.Hops(call.Get("lgsp-hops")),
            AxisParameters.PreviousReceipt(call.Get("lgsp-prev-receipt")))
        {
            PreviousPolicy = AxisParameters.PreviousPolicy(call.Get("lgsp-prev-policy")),
        };

        using var file = options.Value.Spool.Create();
        await call.ReadFileAsync(file, ct);
        if (!AxisParameters.MatchHashFile(file, hashFile))
        {
            throw AxisErrors.Refused(AxisErrors.HashFileMismatch, "hash-file", hashFile);
        }

        var answer = await resends.AcceptOnceAsync(call.System.Id, call.Caller.Hash,
            ct => intake.AcceptAsync(call.System, file, kind, arrival, ct), ct);
        if (answer.Resend)
        {
            intake.AnsweredResend(kind, answer.PackageId);
        }

        return AxisAnswer.Ok(w =>
        {
            w.WriteString("DocId", AxisResponse.Number(answer.PackageId));
            w.WriteBase64String("Receipt", answer.Receipt);
        });
    }

    /// <inheritdoc />
    /// <remarks>With <c>"DocId":""</c>: the SDK's parser needs the key.</remarks>
    public AxisAnswer Refusal(EdxmlError error, int statusCode) => AxisAnswer.Fail(error, statusCode, withDocId: true);
}
