using Lgsp.Exchange.Reports.Rollups;

namespace Lgsp.Exchange.Reports;

/// <summary>How a report's rows are broken down.</summary>
public enum ReportBreakdown
{
    /// <summary>One row per agency of the unit.</summary>
    Agency,

    /// <summary>One row per tier.</summary>
    Tier,

    /// <summary>One row per local day.</summary>
    Day,

    /// <summary>One row per month.</summary>
    Month,
}

/// <summary>What a report covers.</summary>
/// <param name="From">The first local day (inclusive).</param>
/// <param name="To">The last local day (inclusive).</param>
/// <param name="Unit">An agency code: that agency and its whole subtree (by parent); null: every
/// agency served inside this hub's subtree.</param>
/// <param name="By">The breakdown of <see cref="Report.Rows"/>.</param>
public sealed record ReportRequest(DateOnly From, DateOnly To, string? Unit = null, ReportBreakdown By = ReportBreakdown.Agency);

/// <summary>One row of a breakdown.</summary>
/// <param name="Key">The agency code, tier word, <c>yyyy-MM-dd</c> or <c>yyyy-MM</c>.</param>
/// <param name="Name">The agency's name (agency rows), else null.</param>
/// <param name="Figures">The figures.</param>
public sealed record ReportRow(string Key, string? Name, FigureCounts Figures);

/// <summary>A place in the ranking of units by share of incoming documents received electronically on time.</summary>
/// <param name="Rank">1 is the worst.</param>
/// <param name="Agency">The agency.</param>
/// <param name="Name">Its name.</param>
/// <param name="Due">Incoming deliveries due (<see cref="Figure.ReceivedDue"/>).</param>
/// <param name="OnTime">Of those, received on time (<see cref="Figure.ReceivedOnTime"/>).</param>
/// <param name="Share">OnTime / Due.</param>
public sealed record RankEntry(int Rank, string Agency, string? Name, long Due, long OnTime, double Share);

/// <summary>A count per agency (the not-received list).</summary>
/// <param name="Agency">The agency.</param>
/// <param name="Name">Its name.</param>
/// <param name="Count">How many.</param>
public sealed record AgencyCount(string Agency, string? Name, long Count);

/// <summary>A report: every figure for a period and a unit, a breakdown, the ranking, the failures by
/// code and the recipients that did not receive electronically.</summary>
/// <param name="Request">What was asked.</param>
/// <param name="UnitName">The unit's name (the hub's subtree: "all agencies").</param>
/// <param name="AsOf">When the rollups were last brought up to date.</param>
/// <param name="Total">The unit's figures.</param>
/// <param name="Rows">The breakdown.</param>
/// <param name="Ranking">Agencies with incoming deliveries due, worst share first.</param>
/// <param name="FailuresByCode">Failed deliveries to the unit's agencies, by error code.</param>
/// <param name="NotReceived">Agencies with deliveries not received electronically, most first.</param>
public sealed record Report(
    ReportRequest Request,
    string UnitName,
    DateTimeOffset? AsOf,
    FigureCounts Total,
    IReadOnlyList<ReportRow> Rows,
    IReadOnlyList<RankEntry> Ranking,
    IReadOnlyDictionary<string, long> FailuresByCode,
    IReadOnlyList<AgencyCount> NotReceived);

/// <summary>A stored rollup figure that differs from a recount of the raw rows.</summary>
/// <param name="Day">The local day.</param>
/// <param name="Agency">The agency.</param>
/// <param name="Figure">The figure's name, or <c>failures:CODE</c>.</param>
/// <param name="Stored">In the rollup.</param>
/// <param name="Counted">Recounted from the raw rows.</param>
public sealed record RollupDifference(DateOnly Day, string Agency, string Figure, long Stored, long Counted);

/// <summary>How far a refresh of the rollups has got.</summary>
/// <param name="DaysCounted">Days counted so far.</param>
/// <param name="DaysToCount">Days this refresh counts.</param>
public sealed record RefreshProgress(int DaysCounted, int DaysToCount);
