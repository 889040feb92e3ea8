using System.Text.Json;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Documents;

/// <summary>What happened to a document for one recipient, oldest first: its delivery's ledger
/// entries (created, each push attempt and its error, fetched, confirmed, failed, replayed) and the
/// business statuses between the recipient and the sender (01–06, 15, 16 back from the recipient; 13
/// from the sender), each with its time.</summary>
/// <param name="PackageId">The document package delivered.</param>
/// <param name="Delivery">The delivery as it stands.</param>
/// <param name="Steps">What happened, in order.</param>
public sealed record RecipientTimeline(long PackageId, DeliveryView Delivery, IReadOnlyList<TimelineStep> Steps)
{
    /// <summary>One timeline per delivery of the file's document packages, in delivery order.</summary>
    public static IReadOnlyList<RecipientTimeline> Of(DocumentFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var documents = file.Packages.Where(p => p.Kind == PackageKind.Document).ToDictionary(p => p.Id);
        return [.. file.Deliveries.Where(d => documents.ContainsKey(d.PackageId)).Select(d =>
        {
            var sender = documents[d.PackageId].From;
            var steps = file.Events.Where(e => e.DeliveryId == d.View.Id).Select(Step)
                .Concat(file.Packages.Where(p => p.Kind == PackageKind.Status
                        && ((p.From == d.View.Recipient && p.StatusTarget == sender) || (p.From == sender && p.StatusTarget == d.View.Recipient)))
                    .Select(p => new TimelineStep(p.ReceivedAt, TimelineStep.Status, p.LedgerSeq) { StatusCode = p.StatusCode }))
                .OrderBy(s => s.At).ThenBy(s => s.Seq);
            return new RecipientTimeline(d.PackageId, d.View, [.. steps]);
        })];
    }

    private static TimelineStep Step(TraceEvent e)
    {
        using var detail = JsonDocument.Parse(e.Detail);
        string? Text(string name) => detail.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        int? Number(string name) => detail.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
        return new TimelineStep(e.At, e.Kind, e.Seq)
        {
            Actor = e.Actor,
            Attempt = Number("attempt"),
            Error = e.Kind switch
            {
                LedgerKind.AttemptFailed => Text("error"),
                LedgerKind.DeliveryFailed => Text("reason"),
                LedgerKind.DeliveryReplayed => Text("reason"),
                _ => null,
            },
            ErrorCode = Text("errorCode") ?? Text("code"),
            ReportedBy = Text("reportedBy"),
        };
    }
}

/// <summary>One step of a <see cref="RecipientTimeline"/>.</summary>
/// <param name="At">When.</param>
/// <param name="Kind">A ledger kind (<see cref="LedgerKind"/>), or <see cref="Status"/>.</param>
/// <param name="Seq">The ledger entry (for a status, its package's <c>package.received</c>).</param>
public sealed record TimelineStep(DateTimeOffset At, string Kind, long Seq)
{
    /// <summary>The kind of a business status the recipient sent.</summary>
    public const string Status = "status";

    /// <summary>For a status: its code.</summary>
    public string? StatusCode { get; init; }

    /// <summary>Who did it (a client system, <c>hub</c>, <c>user:NAME</c>).</summary>
    public string? Actor { get; init; }

    /// <summary>For a push attempt: its number.</summary>
    public int? Attempt { get; init; }

    /// <summary>For a failed attempt or delivery, the error; for a replay, its reason.</summary>
    public string? Error { get; init; }

    /// <summary>The error's stable code, when there is one.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>For an outcome another hub reported (confirmed or failed at or beyond it; ADR 0020 and
    /// the follow-up of forwards): that hub.</summary>
    public string? ReportedBy { get; init; }
}
