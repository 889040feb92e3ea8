using System.Text.Json;
using Lgsp.Exchange.Delivery;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Inbox;
using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Outbound.Links;

/// <summary>
/// The child's side of a far outcome reported up the tree (ADR 0020): once per poll cycle (called by
/// <see cref="ParentPoller"/>, so on one instance at a time), the deliveries this hub made of packages it
/// pulled from the parent that are final here and not reported yet are reported to the parent in one
/// <c>reportOutcomes</c> call per page: confirmed (acknowledged by the recipient here, or further down as
/// this hub's own child reported), or failed with this hub's code and text as its sender view shows them.
/// </summary>
/// <remarks>A delivery is marked reported only after the parent answered; a crash in between, or a parent
/// that is down, only repeats the report next cycle, which the parent records once. An outcome the parent
/// refuses (not a delivery it handed down to this hub) is marked too, logged and counted: asking again
/// would not change the answer. Thread safe.</remarks>
public sealed class UpwardReports(IFarReportStore store, AxisClient axis, HubLinkMetrics metrics, TimeProvider clock, ILogger<UpwardReports> log)
{
    /// <summary>The most outcomes one call carries.</summary>
    public const int PageSize = 100;

    /// <summary>The most calls one cycle makes.</summary>
    public const int MaxPages = 10;

    // The body stays well under the parent's 64 KiB limit for the operation whatever the texts.
    private const int MaxBodyBytes = 48 * 1024;
    private const int MaxTextLength = 500;

    /// <summary>Reports what is final and unreported to <paramref name="parent"/>; nothing is asked when
    /// nothing waits.</summary>
    public async Task ReportAsync(HubLink parent, CancellationToken ct)
    {
        for (var page = 0; page < MaxPages; page++)
        {
            var due = await store.ToReportAsync(parent.Id, PageSize, ct);
            if (due.Count == 0)
            {
                return;
            }

            var (body, carried) = Body(due);
            var answer = await axis.ReportOutcomesAsync(parent, body, ct);
            if (answer.Kind != AxisAnswerKind.Ok)
            {
                metrics.FollowedUp("unreported");
                log.LogWarning("Parent hub {Hub} did not take the outcomes of {Count} pulled deliveries; reporting them again next cycle: {Answer}",
                    parent.Id, carried.Count, answer.Describe());
                return;
            }

            foreach (var refused in Refused(answer))
            {
                metrics.FollowedUp("report-refused");
                log.LogWarning("Parent hub {Hub} refused the outcome of its delivery {DocId}: {Code}", parent.Id, refused.DocId, refused.Code);
            }

            await store.MarkReportedAsync([.. carried.Select(o => o.DeliveryId)], clock.GetUtcNow(), ct);
            metrics.FollowedUp("reported");
            log.LogInformation("Reported the outcomes of {Count} pulled deliveries to parent hub {Hub}", carried.Count, parent.Id);
            if (due.Count < PageSize)
            {
                return;
            }
        }
    }

    // The report's JSON, as many outcomes as fit (at least one).
    private static (byte[] Body, List<OutcomeToReport> Carried) Body(IReadOnlyList<OutcomeToReport> due)
    {
        var carried = new List<OutcomeToReport>();
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("outcomes");
            foreach (var outcome in due)
            {
                if (carried.Count > 0 && w.BytesCommitted + w.BytesPending > MaxBodyBytes)
                {
                    break;
                }

                w.WriteStartObject();
                w.WriteString("docId", outcome.UpstreamDocId);
                if (outcome.State == DeliveryState.Failed)
                {
                    w.WriteString("outcome", FarOutcome.Failed);
                    w.WriteString("code", FarOutcome.CodeOf(outcome.LastErrorCode, outcome.LastError));
                    if (SenderView.Error(outcome.LastErrorCode, outcome.LastError) is { } text)
                    {
                        w.WriteString("text", text.Length > MaxTextLength ? text[..MaxTextLength] : text);
                    }
                }
                else
                {
                    w.WriteString("outcome", FarOutcome.Confirmed);
                }

                w.WriteEndObject();
                carried.Add(outcome);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return (buffer.ToArray(), carried);
    }

    private static IEnumerable<(string DocId, string Code)> Refused(AxisAnswer answer) =>
        answer.Body is { } body && body.TryGetProperty("refused", out var refused) && refused.ValueKind == JsonValueKind.Array
            ? refused.EnumerateArray().Select(r => (AxisJson.Text(r, "docId") ?? "", AxisJson.Text(r, "ErrorCode") ?? ""))
            : [];
}
