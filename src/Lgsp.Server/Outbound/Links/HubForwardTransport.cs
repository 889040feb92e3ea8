using System.Security.Cryptography;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Outbound.Links;

/// <summary>
/// Forwards a package to the next hub (a push delivery whose <see cref="PushWork.Via"/> is set, in
/// practice the parent): <c>sendEdoc</c> with the stored bytes unchanged (streamed from the store), one call for the delivery and
/// its companions (the package's other deliveries via the same hub, ADR 0017), its <c>to</c> the codes
/// they address (<see cref="PushWork.AddressedCodes"/>), and beside the package the signed hop parameters
/// <c>lgsp-hops</c> (the hubs it passed through, this one last) and <c>lgsp-prev-receipt</c> (the
/// SHA-256 of this hub's receipt). The next hub's <c>DocId</c> and <c>Receipt</c> come back in the
/// <see cref="PushResult"/>.
/// </summary>
/// <remarks>
/// <para>Outcomes: OK is delivered; a refusal (any code but an internal error) is permanent, with the
/// hub's code, field and sentence; HTTP 401 is permanent ("refused our credentials": an operator fixes
/// the secret, then replays); network errors, timeouts, 5xx and unreadable answers are transient.</para>
/// <para>Never throws for the other hub's failures. Thread safe.</para>
/// </remarks>
public sealed class HubForwardTransport(AxisClient axis, HubIdentity self, HubLinkMetrics metrics, ILogger<HubForwardTransport> log) : IPushTransport
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">The work has no <see cref="PushWork.Via"/>.</exception>
    public async Task<PushResult> PushAsync(PushWork work, CancellationToken ct = default)
    {
        var hub = work.Via ?? throw new ArgumentException("The delivery is not forwarded to a hub.", nameof(work));
        var from = work.From;
        if (from is null)
        {
            return Counted(new PushResult(PushOutcome.Permanent, $"the stored package of delivery {work.DeliveryId} names no sender", DeliveryErrorCode.Unexpected));
        }

        var hops = (work.Hops ?? []).Append(self.Id).ToList();
        var previous = work.Receipt is null ? null : Convert.ToHexStringLower(SHA256.HashData(work.Receipt));
        await using var body = await work.Body(ct);
        var answer = await axis.SendEdocAsync(hub, body, Convert.FromHexString(work.Sha256), work.Kind == PackageKind.Document ? AxisClient.Edoc : AxisClient.Status,
            from, work.AddressedCodes, hops, previous, ct, work.Legacy);

        var result = answer.Kind switch
        {
            AxisAnswerKind.Ok => new PushResult(PushOutcome.Delivered, PeerDocId: answer.Text("DocId"), PeerReceipt: Receipt(answer)),
            AxisAnswerKind.Refused => new PushResult(PushOutcome.Permanent, $"hub {hub.Id} refused: {answer.ErrorCode} {answer.ErrorField}: {answer.ErrorDesc}",
                DeliveryErrorCode.PeerRefused(answer.ErrorCode)),
            AxisAnswerKind.Unauthorized => new PushResult(PushOutcome.Permanent, $"hub {hub.Id} refused our credentials", DeliveryErrorCode.Http(answer.HttpStatus)),
            AxisAnswerKind.NotConfigured => new PushResult(PushOutcome.Permanent, answer.ErrorDesc, DeliveryErrorCode.NoEndpoint),
            _ => new PushResult(PushOutcome.Transient, $"hub {hub.Id}: {answer.ErrorDesc}", answer switch
            {
                { HttpStatus: > 0 } => DeliveryErrorCode.Http(answer.HttpStatus),
                { ErrorDesc: var why } when why.EndsWith("timed out", StringComparison.Ordinal) => DeliveryErrorCode.Timeout,
                _ => DeliveryErrorCode.Network,
            }),
        };
        log.LogInformation("Forward of delivery {DeliveryId} ({DocumentId} to {Recipient}) with {Companions} companion deliveries via hub {Hub}: {Outcome} {Detail} peer id {PeerDocId}",
            work.DeliveryId, work.DocumentId, string.Join(',', work.AddressedCodes), work.Companions.Count, hub.Id, result.Outcome, answer.Describe(), result.PeerDocId);
        return Counted(result);
    }

    private PushResult Counted(PushResult result)
    {
        metrics.Forwarded(result.Outcome.ToString().ToLowerInvariant());
        return result;
    }

    private static byte[]? Receipt(AxisAnswer answer)
    {
        var text = answer.Text("Receipt");
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>The hub's push transport: deliveries forwarded to another hub go over the axis protocol
/// (<see cref="HubForwardTransport"/>), the others to the agency's endpoint (<see cref="Push.HttpPushTransport"/>).</summary>
/// <remarks>Thread safe.</remarks>
public sealed class DispatchingPushTransport(Push.HttpPushTransport agencies, HubForwardTransport hubs) : IPushTransport
{
    /// <inheritdoc />
    public Task<PushResult> PushAsync(PushWork work, CancellationToken ct = default) =>
        work.Via is null ? agencies.PushAsync(work, ct) : hubs.PushAsync(work, ct);
}
