using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Accept;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Storage;
using Microsoft.Extensions.Options;

namespace Lgsp.Server.Outbound.Links;

/// <summary>
/// Pulls what the parent hub holds for this hub's subtree (deliveries down the tree are pulls): every
/// <see cref="ParentLinkOptions.PollInterval"/>, for documents then statuses, <c>getReceivedEdocList</c>,
/// then for each item <c>getEdoc</c>, the accept path (same validation, same ledger, as a caller that is
/// the parent hub, asked for the item's recipient only, with the parent's hops and receipt hash), and
/// only after our commit <c>updateStatus done</c>. Each cycle ends with the <see cref="UpwardReports"/> of
/// what became of the pulled packages here and the <see cref="ForwardFollowUp"/> of this hub's forwards
/// to the parent.
/// </summary>
/// <remarks>
/// <para>A package our accept path refuses is reported with <c>updateStatus fail</c> and the reason (also
/// logged and counted), and checked and recorded once: while the parent still lists it, only the fail is
/// reported again, until the parent takes it. A refusal that is this hub's own fault (a trust root or
/// CRL missing here, an internal error, the database) is not reported: the item is logged, counted
/// <c>deferred</c> and tried again after a growing delay. A transport error leaves the item for the next cycle. Our accept is idempotent,
/// so a crash between our commit and <c>done</c> makes the next cycle's accept a duplicate, which is then
/// acknowledged: nothing lost, nothing delivered twice.</para>
/// <para>One instance polls at a time (<see cref="ExclusiveWork.ParentPoll"/>). Thread safe.</para>
/// </remarks>
public sealed partial class ParentPoller(
    IDirectoryStore directory,
    IExclusiveRun exclusive,
    AxisClient axis,
    AcceptService accept,
    ForwardFollowUp followUp,
    IFarReportStore pulledOutcomes,
    UpwardReports upward,
    IOptions<HubOptions> options,
    HubLinkMetrics metrics,
    TimeProvider clock,
    ILogger<ParentPoller> log) : ParentLinkLoop(directory, exclusive, clock, log)
{
    /// <inheritdoc />
    protected override TimeSpan Interval => options.Value.Parent.PollInterval;

    /// <inheritdoc />
    protected override ExclusiveWork Work => ExclusiveWork.ParentPoll;

    /// <inheritdoc />
    protected override async Task CycleAsync(HubLink parent, CancellationToken ct)
    {
        var caller = new ClientSystem(parent.Id, PackagePolicy.Strict, FrozenSet<string>.Empty) { Hub = parent.Id };
        foreach (var (messageType, kind) in new[] { (AxisClient.Edoc, PackageKind.Document), (AxisClient.Status, PackageKind.Status) })
        {
            var list = await axis.GetReceivedEdocListAsync(parent, messageType, ct);
            if (list.Kind != AxisAnswerKind.Ok)
            {
                metrics.Polled("unavailable");
                log.LogWarning("Parent hub {Hub} did not list waiting {MessageType} packages: {Answer}", parent.Id, messageType, list.Describe());
                return;
            }

            Prune(messageType, list.Items.Select(i => AxisJson.Text(i, "docId") ?? ""));
            var pulled = 0;
            foreach (var item in list.Items)
            {
                if (pulled >= options.Value.Parent.MaxPerPoll)
                {
                    break;
                }

                if (await PullAsync(parent, caller, item, messageType, kind, ct))
                {
                    pulled++;
                }
            }
        }

        metrics.Polled("done");
        // Both lists answered: the poll went through, whatever it pulled (the hub links screen shows when).
        await Directory.RecordHubPollAsync(parent.Id, Clock.GetUtcNow(), ct);

        // What became of what we pulled goes up (ADR 0020), then what became of our forwards beyond the
        // parent comes down (docs/topology.md, "Beyond the next hub").
        await upward.ReportAsync(parent, ct);
        await followUp.FollowAsync(parent, ct);
    }

    // True when the item was fetched (it counts towards MaxPerPoll); an item held back is not.
    private async Task<bool> PullAsync(HubLink parent, ClientSystem caller, JsonElement item, string messageType, PackageKind kind, CancellationToken ct)
    {
        var docId = AxisJson.Text(item, "docId");
        var to = AxisJson.Text(item, "to");
        if (string.IsNullOrEmpty(docId) || string.IsNullOrEmpty(to))
        {
            log.LogWarning("Parent hub {Hub} listed an item without docId or to; skipped", parent.Id);
            return false;
        }

        switch (_held.GetValueOrDefault((messageType, docId)))
        {
            case Held.Refused { Reported: true }:
                return false;
            case Held.Refused refused:
                await ReportFailAsync(parent, docId, messageType, refused.Reason, ct);
                return false;
            case Held.Deferred deferred when deferred.Due > Clock.GetUtcNow():
                return false;
        }

        var fetched = await axis.GetEdocAsync(parent, docId, ct);
        var data = fetched.Text("data");
        if (fetched.Kind != AxisAnswerKind.Ok || string.IsNullOrEmpty(data))
        {
            metrics.Pulled(messageType, "unavailable");
            log.LogWarning("Parent hub {Hub} did not give {MessageType} {DocId}: {Answer}", parent.Id, messageType, docId, fetched.Describe());
            return true;
        }

        byte[] package;
        try
        {
            package = Convert.FromBase64String(data);
        }
        catch (FormatException)
        {
            metrics.Pulled(messageType, "refused");
            await ReportFailAsync(parent, docId, messageType, "getEdoc data is not base64", ct);
            return true;
        }

        var hops = (fetched.Text("Hops") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var receipt = ReceiptBytes(fetched.Text("Receipt"));
        var arrival = new Arrival([to], hops, receipt is null ? null : Convert.ToHexStringLower(SHA256.HashData(receipt)))
        {
            PreviousPolicy = fetched.Text("Policy") == "legacy" ? PackagePolicy.Legacy : null,
            PreviousReceipt = receipt,
        };
        try
        {
            var acceptance = await accept.AcceptAsync(caller, package, kind, arrival, ct);
            metrics.Pulled(messageType, acceptance.Duplicate ? "duplicate" : "accepted");
            log.LogInformation("Pulled {MessageType} {DocId} for {Recipient} from parent hub {Hub}: package {PackageId} ({DocumentId}), duplicate {Duplicate}",
                messageType, docId, to, parent.Id, acceptance.PackageId, acceptance.DocumentId, acceptance.Duplicate);
            // Which of the parent's deliveries ours stands for, before done: its outcome is reported up later.
            await pulledOutcomes.MarkPulledAsync(acceptance.PackageId, to, parent.Id, docId, ct);
            await ReportAsync(parent, docId, messageType, "done", null, ct);
        }
        catch (ExchangeException ex) when (IsOwnFault(ex))
        {
            metrics.Pulled(messageType, "deferred");
            Defer(messageType, docId, Clock.GetUtcNow());
            log.LogWarning("Left {MessageType} {DocId} for {Recipient} at parent hub {Hub} for a later poll: this hub's own refusal {Code} {Field}: {Reason}",
                messageType, docId, to, parent.Id, ex.Error.Code, ex.Error.Field, ex.Error.Message);
        }
        catch (ExchangeException ex)
        {
            metrics.Pulled(messageType, "refused");
            log.LogWarning("Refused {MessageType} {DocId} for {Recipient} pulled from parent hub {Hub}: {Code} {Field}: {Reason}",
                messageType, docId, to, parent.Id, ex.Error.Code, ex.Error.Field, ex.Error.Message);
            await ReportFailAsync(parent, docId, messageType, ex.Message, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The database or anything else of ours: not the package's fault, so not the parent's business.
            metrics.Pulled(messageType, "deferred");
            Defer(messageType, docId, Clock.GetUtcNow());
            log.LogError(ex, "Left {MessageType} {DocId} for {Recipient} at parent hub {Hub} for a later poll: this hub failed to take it",
                messageType, docId, to, parent.Id);
        }

        return true;
    }

    private async Task ReportFailAsync(HubLink parent, string docId, string messageType, string reason, CancellationToken ct)
    {
        var taken = await ReportAsync(parent, docId, messageType, "fail", reason, ct);
        _held[(messageType, docId)] = new Held.Refused(reason, taken);
    }

    private async Task<bool> ReportAsync(HubLink parent, string docId, string messageType, string status, string? reason, CancellationToken ct)
    {
        var answer = await axis.UpdateStatusAsync(parent, docId, status, reason, ct);
        if (answer.Kind != AxisAnswerKind.Ok)
        {
            // Left pending at the parent: the next cycle accepts it again (a duplicate) and reports done
            // again, or reports the remembered fail again.
            log.LogWarning("Parent hub {Hub} did not take updateStatus {Status} for {MessageType} {DocId}: {Answer}",
                parent.Id, status, messageType, docId, answer.Describe());
            return false;
        }

        return true;
    }

    private static byte[]? ReceiptBytes(string? receiptBase64)
    {
        if (string.IsNullOrEmpty(receiptBase64))
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(receiptBase64);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
