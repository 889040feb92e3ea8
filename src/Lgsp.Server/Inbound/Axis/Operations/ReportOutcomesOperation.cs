using System.Security.Cryptography;
using System.Text.Json;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Errors;
using Lgsp.Server.Outbound.Links;

namespace Lgsp.Server.Inbound.Axis.Operations;

/// <summary><c>reportOutcomes</c>, between hubs only (ADR 0020): a child hub reports the final outcome of
/// deliveries this hub handed down to it. The body is JSON, <c>{"outcomes":[{"docId","outcome","code","text"}]}</c>,
/// bound to the signed parameter <c>lgsp-body-sha256</c> (the body's SHA-256, lower-case hex), since only
/// the parameters are under the MAC. The answer says, per outcome refused, why: <c>refused</c>, an array of
/// {<c>docId</c>, <c>ErrorCode</c>}; <c>recorded</c> counts the outcomes recorded now.</summary>
public sealed class ReportOutcomesOperation(BelowReports reports, HubLinkMetrics metrics, ILogger<ReportOutcomesOperation> log) : IAxisOperation
{
    /// <summary>The signed parameter that binds the body.</summary>
    public const string BodyHashParameter = "lgsp-body-sha256";

    /// <inheritdoc />
    public string Name => AxisEndpoint.ReportOutcomes;

    /// <inheritdoc />
    public async Task<AxisAnswer> HandleAsync(AxisCall call, CancellationToken ct)
    {
        var body = await call.ReadBodyAsync(ct);
        var declared = call.Get(BodyHashParameter);
        if (declared is null || !string.Equals(declared, Convert.ToHexStringLower(SHA256.HashData(body)), StringComparison.OrdinalIgnoreCase))
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, BodyHashParameter, "the body's SHA-256 must be the signed lgsp-body-sha256");
        }

        var results = await reports.RecordAsync(call.System, Read(body), ct);
        var recorded = 0;
        foreach (var result in results)
        {
            switch (result.Taken)
            {
                case BelowReportTaken.Acknowledged:
                    recorded++;
                    metrics.FollowedUp("acknowledged");
                    log.LogInformation("Child hub {Hub} reported delivery {DeliveryId} confirmed by its recipient below", call.System.Hub, result.DocId);
                    break;
                case BelowReportTaken.Failed:
                    recorded++;
                    metrics.FollowedUp("failed");
                    log.LogWarning("Child hub {Hub} reported delivery {DeliveryId} failed below", call.System.Hub, result.DocId);
                    break;
                case BelowReportTaken.Refused:
                    metrics.FollowedUp("report-refused");
                    log.LogWarning("Refused an outcome from hub {Hub} on delivery {DeliveryId}: not a delivery handed down to it", call.System.Hub, result.DocId);
                    break;
            }
        }

        return AxisAnswer.Ok(w =>
        {
            w.WriteNumber("recorded", recorded);
            w.WriteStartArray("refused");
            foreach (var result in results.Where(r => r.Taken == BelowReportTaken.Refused))
            {
                w.WriteStartObject();
                w.WriteString("docId", result.DocId);
                w.WriteString("ErrorCode", HubErrorCode.Forbidden);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private static List<ReportedOutcome> Read(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
            if (!json.RootElement.TryGetProperty("outcomes", out var outcomes) || outcomes.ValueKind != JsonValueKind.Array)
            {
                throw ExchangeException.Of(HubErrorCode.InvalidRequest, "outcomes", "the body must hold an array 'outcomes'");
            }

            return [.. outcomes.EnumerateArray().Select(o => o.ValueKind == JsonValueKind.Object
                ? new ReportedOutcome(AxisJson.Text(o, "docId") ?? "", AxisJson.Text(o, "outcome") ?? "", AxisJson.Text(o, "code"), AxisJson.Text(o, "text"))
                : throw ExchangeException.Of(HubErrorCode.InvalidRequest, "outcomes", "each outcome must be an object"))];
        }
        catch (JsonException)
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "body", "the body is not JSON");
        }
    }
}
