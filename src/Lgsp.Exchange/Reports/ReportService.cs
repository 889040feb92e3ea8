using System.Globalization;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Reports.Rollups;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Reports;

/// <summary>
/// The province's exchange reports (docs/reports.md): every figure for a period and a unit, read
/// from the daily per-agency rollups, broken down by agency, tier, day or month, with the ranking
/// the provincial office publishes. The CLI, the admin API and the console call it alike.
/// </summary>
/// <remarks>Thread safe.</remarks>
public sealed partial class ReportService(IReportStore store, ICalendarStore calendars, IDirectoryStore directory, TimeProvider clock, ReportOptions? settings = null)
{
    private readonly ReportOptions options = settings ?? new ReportOptions();

    /// <summary>The report for <paramref name="request"/>, from the rollups as they stand.</summary>
    /// <exception cref="ExchangeException"><see cref="HubErrorCode.NotFound"/>: the unit is not in the directory;
    /// <see cref="HubErrorCode.InvalidRequest"/>: the period ends before it starts.</exception>
    public async Task<Report> ReportAsync(ReportRequest request, CancellationToken ct = default) => (await ComposeAsync(request, [request.By], ct))[0];

    /// <summary>The same period and unit broken down every way, <paramref name="request"/>'s own breakdown
    /// first (the workbook's sheets); the rollups are read once.</summary>
    public Task<IReadOnlyList<Report>> BreakdownsAsync(ReportRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ComposeAsync(request, [.. Enum.GetValues<ReportBreakdown>().OrderBy(b => b != request.By)], ct);
    }

    private async Task<IReadOnlyList<Report>> ComposeAsync(ReportRequest request, IReadOnlyList<ReportBreakdown> breakdowns, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.To < request.From)
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "to", "the period ends before it starts");
        }

        var agencies = (await directory.ListAgenciesAsync(null, ct)).ToDictionary(a => a.Code, StringComparer.Ordinal);
        var (members, unitName) = await MembersAsync(request.Unit, agencies, ct);
        var state = await store.ReadStateAsync(ct);
        var byDay = breakdowns.Any(b => b is ReportBreakdown.Day or ReportBreakdown.Month);
        var sums = await store.SumRollupsAsync(request.From, request.To, members, byDay, ct);
        return [.. breakdowns.Select(by => Compose(request with { By = by }, unitName, state, sums, agencies))];
    }

    private static Report Compose(ReportRequest request, string unitName, RollupState state, RollupSums sums, Dictionary<string, Agency> agencies)
    {
        var total = new FigureCounts();
        var byAgency = new SortedDictionary<string, FigureCounts>(StringComparer.Ordinal);
        var byTier = new SortedDictionary<string, FigureCounts>(StringComparer.Ordinal);
        foreach (var sum in sums.Agencies)
        {
            total.Add(sum.Counts);
            Sum(byAgency, sum.Agency, sum.Counts);
            Sum(byTier, sum.Tier ?? (agencies.TryGetValue(sum.Agency, out var a) ? a.Tier : "unknown"), sum.Counts);
        }

        var rows = request.By switch
        {
            ReportBreakdown.Agency => byAgency,
            ReportBreakdown.Tier => byTier,
            _ => ByPeriod(sums.Days, request.By == ReportBreakdown.Day ? "yyyy-MM-dd" : "yyyy-MM"),
        };

        string? NameOf(string code) => agencies.TryGetValue(code, out var a) ? a.Name : null;
        var ranking = byAgency
            .Where(a => a.Value[Figure.ReceivedDue] > 0)
            .Select(a => (Agency: a.Key, Due: a.Value[Figure.ReceivedDue], OnTime: a.Value[Figure.ReceivedOnTime]))
            .OrderBy(a => (double)a.OnTime / a.Due).ThenByDescending(a => a.Due).ThenBy(a => a.Agency, StringComparer.Ordinal)
            .Select((a, i) => new RankEntry(i + 1, a.Agency, NameOf(a.Agency), a.Due, a.OnTime, (double)a.OnTime / a.Due))
            .ToList();
        var notReceived = byAgency
            .Where(a => a.Value[Figure.NotReceived] > 0)
            .OrderByDescending(a => a.Value[Figure.NotReceived]).ThenBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => new AgencyCount(a.Key, NameOf(a.Key), a.Value[Figure.NotReceived]))
            .ToList();

        return new Report(request, unitName, state.RefreshedAt, total,
            [.. rows.Select(r => new ReportRow(r.Key, request.By == ReportBreakdown.Agency ? NameOf(r.Key) : null, r.Value))],
            ranking, new SortedDictionary<string, long>(sums.FailuresByCode.ToDictionary(), StringComparer.Ordinal), notReceived);
    }

    private static SortedDictionary<string, FigureCounts> ByPeriod(IReadOnlyList<DaySum> days, string format)
    {
        var rows = new SortedDictionary<string, FigureCounts>(StringComparer.Ordinal);
        foreach (var day in days)
        {
            Sum(rows, day.Day.ToString(format, CultureInfo.InvariantCulture), day.Counts);
        }

        return rows;
    }

    // The unit's agencies: the named one and everything below it by parent; or every agency this hub's
    // subtree serves (here or by a child hub), not those beyond the parent.
    private async Task<(HashSet<string> Members, string Name)> MembersAsync(string? unit, Dictionary<string, Agency> agencies, CancellationToken ct)
    {
        if (unit is null)
        {
            var parents = (await directory.ListHubsAsync(ct)).Where(h => h.Role == HubRole.Parent).Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
            return ([.. agencies.Values.Where(a => a.ServedBy is null || !parents.Contains(a.ServedBy)).Select(a => a.Code)], "all agencies");
        }

        if (!agencies.TryGetValue(unit, out var root))
        {
            throw ExchangeException.Of(HubErrorCode.NotFound, "unit", "unit", unit);
        }

        var members = new HashSet<string>(StringComparer.Ordinal) { unit };
        var children = agencies.Values.Where(a => a.ParentCode is not null).ToLookup(a => a.ParentCode!, StringComparer.Ordinal);
        var queue = new Queue<string>([unit]);
        while (queue.TryDequeue(out var code))
        {
            foreach (var child in children[code])
            {
                if (members.Add(child.Code))
                {
                    queue.Enqueue(child.Code);
                }
            }
        }

        return (members, root.Name);
    }

    private static void Sum<TMap>(TMap map, string key, FigureCounts counts) where TMap : IDictionary<string, FigureCounts>
    {
        if (!map.TryGetValue(key, out var sum))
        {
            sum = new FigureCounts();
            map[key] = sum;
        }

        sum.Add(counts);
    }
}
