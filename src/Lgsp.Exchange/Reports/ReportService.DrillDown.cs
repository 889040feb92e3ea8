using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Reports.Rollups;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Reports;

/// <summary>Which documents or deliveries to list behind a figure.</summary>
/// <param name="Figure">The figure (a sum of seconds lists the deliveries of its count).</param>
/// <param name="From">The first local day of acceptance (inclusive).</param>
/// <param name="To">The last local day (inclusive).</param>
/// <param name="Unit">An agency and its subtree; null: every agency of the hub's subtree. Ignored when <paramref name="Agency"/> is given.</param>
/// <param name="Agency">One agency alone (a row of the agency breakdown), or null.</param>
/// <param name="FailureCode">With <see cref="Figure.FailedDeliveries"/>: only the failures under this code.</param>
/// <param name="Scope">An agency clerk's agencies: only documents one of them sent or was sent; null: every document.</param>
/// <param name="Skip">Rows before the page.</param>
/// <param name="Take">Rows on the page.</param>
public sealed record DrillDownRequest(Figure Figure, DateOnly From, DateOnly To, string? Unit = null, string? Agency = null, string? FailureCode = null,
    IReadOnlyCollection<string>? Scope = null, int Skip = 0, int Take = 50);

/// <summary>A document (sender figures) or a delivery (receiver figures) behind a figure.</summary>
/// <param name="PackageId">The document's package.</param>
/// <param name="DocumentId">Its DocumentId (its page in the console).</param>
/// <param name="From">The sender.</param>
/// <param name="AcceptedAt">When the hub accepted it (its day is the figure's day).</param>
/// <param name="Recipient">The recipient of the delivery; null for a sender figure.</param>
/// <param name="State">The delivery's state now; null for a sender figure.</param>
/// <param name="AnsweredAt">The answer the figure times (a time measure), else the delivery's first answer.</param>
/// <param name="FailureCode">The error code of a failed delivery.</param>
public sealed record DrillDownRow(long PackageId, string? DocumentId, string From, DateTimeOffset AcceptedAt, string? Recipient, DeliveryState? State,
    DateTimeOffset? AnsweredAt, string? FailureCode);

/// <summary>A page of what lies behind a figure.</summary>
/// <param name="Request">What was asked.</param>
/// <param name="UnitName">The agency's or unit's name ("all agencies" for the hub's subtree).</param>
/// <param name="Rows">The page's rows, oldest acceptance first.</param>
/// <param name="Total">Rows in all (documents for a sender figure, deliveries for a receiver figure).</param>
public sealed record DrillDownPage(DrillDownRequest Request, string UnitName, IReadOnlyList<DrillDownRow> Rows, int Total);

// The drill-down: the documents or deliveries behind a figure, recounted from the raw rows with the
// very predicates the rollups and `lgsp report verify` count with (RollupBuilder.SenderFigures and
// ReceiverFigures), so the list and the figure cannot disagree unless the rollups lag.
public sealed partial class ReportService
{
    /// <summary>The longest period a drill-down reads (its raw rows are read, not the rollups).</summary>
    public const int LongestDrillDownDays = 366;

    /// <summary>The documents or deliveries behind <paramref name="request"/>'s figure, a page at a time.</summary>
    /// <exception cref="ExchangeException"><see cref="HubErrorCode.NotFound"/>: the unit or agency is not in the directory;
    /// <see cref="HubErrorCode.InvalidRequest"/>: the period ends before it starts or is longer than a year.</exception>
    public async Task<DrillDownPage> DrillDownAsync(DrillDownRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.To < request.From)
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "to", "the period ends before it starts");
        }

        if (request.To.DayNumber - request.From.DayNumber >= LongestDrillDownDays)
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "from", "a drill-down covers at most 366 days");
        }

        var agencies = (await directory.ListAgenciesAsync(null, ct)).ToDictionary(a => a.Code, StringComparer.Ordinal);
        HashSet<string> members;
        string unitName;
        if (request.Agency is { } agency)
        {
            unitName = agencies.TryGetValue(agency, out var one) ? one.Name : throw ExchangeException.Of(HubErrorCode.NotFound, "agency", "agency", agency);
            members = new HashSet<string>(StringComparer.Ordinal) { agency };
        }
        else
        {
            (members, unitName) = await MembersAsync(request.Unit, agencies, ct);
        }

        // Judged as verify judges: at the rollups' own refresh time, so the list matches the figure shown.
        var state = await store.ReadStateAsync(ct);
        var asOf = state.RefreshedAt ?? clock.GetUtcNow();
        var calendar = await calendars.LoadCalendarAsync(options.Hours, ct);
        var figure = TimeMeasure.Of(request.Figure) is { } measure ? measure.Count : request.Figure;
        var scope = request.Scope is null ? null : new HashSet<string>(request.Scope, StringComparer.Ordinal);
        var rows = new List<DrillDownRow>();
        var days = await store.DaysWithDocumentsAsync(request.From, request.To, ct);
        foreach (var chunk in days.Order().Chunk(DaysPerRead))
        {
            foreach (var document in await store.ReadFactsAsync(chunk, ct))
            {
                if (scope is not null && !scope.Contains(document.From) && !document.Deliveries.Any(d => scope.Contains(d.Recipient)))
                {
                    continue;
                }

                rows.AddRange(Behind(document, figure, request, members, calendar, asOf));
            }
        }

        var ordered = rows.OrderBy(r => r.AcceptedAt).ThenBy(r => r.PackageId).ThenBy(r => r.Recipient, StringComparer.Ordinal).ToList();
        return new DrillDownPage(request, unitName, [.. ordered.Skip(Math.Max(0, request.Skip)).Take(Math.Clamp(request.Take, 1, 500))], ordered.Count);
    }

    private IEnumerable<DrillDownRow> Behind(DocumentFacts document, Figure figure, DrillDownRequest request, HashSet<string> members,
        Calendar.WorkingCalendar calendar, DateTimeOffset asOf)
    {
        if (Figures.IsSender(figure))
        {
            if (members.Contains(document.From) && RollupBuilder.SenderFigures(document, calendar).Any(f => f.Figure == figure))
            {
                yield return new DrillDownRow(document.PackageId, document.DocumentId, document.From, document.ReceivedAt, null, null, null, null);
            }

            yield break;
        }

        var measure = TimeMeasure.Of(figure);
        foreach (var delivery in document.Deliveries)
        {
            if (!members.Contains(delivery.Recipient)
                || (request.FailureCode is { } code && RollupBuilder.FailureCode(delivery) != code)
                || !RollupBuilder.ReceiverFigures(document, delivery, calendar, options.FetchWithinWorkingDays, asOf).Any(f => f.Figure == figure))
            {
                continue;
            }

            yield return new DrillDownRow(document.PackageId, document.DocumentId, document.From, document.ReceivedAt, delivery.Recipient, delivery.State,
                measure is null ? delivery.FirstAnswer : delivery.AnsweredAt(measure),
                delivery.State == DeliveryState.Failed ? RollupBuilder.FailureCode(delivery) : null);
        }
    }
}
