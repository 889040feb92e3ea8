namespace Lgsp.Exchange.Reports.Rollups;

/// <summary>The daily rollups of a period and a set of agencies, summed by the store (a report reads
/// these sums, not the day-by-day rows).</summary>
/// <param name="Agencies">Per agency and recorded tier (an agency whose tier changed during the period has one row per tier).</param>
/// <param name="Days">Per local day, every agency together; empty unless asked for.</param>
/// <param name="FailuresByCode">Failed deliveries by error code, every agency and day together.</param>
public sealed record RollupSums(IReadOnlyList<AgencySum> Agencies, IReadOnlyList<DaySum> Days, IReadOnlyDictionary<string, long> FailuresByCode);

/// <summary>One agency's figures over a period.</summary>
/// <param name="Agency">The agency.</param>
/// <param name="Tier">Its tier as the rollups recorded it, or null.</param>
/// <param name="Counts">The figures.</param>
public sealed record AgencySum(string Agency, string? Tier, FigureCounts Counts);

/// <summary>One local day's figures over a set of agencies.</summary>
/// <param name="Day">The local day.</param>
/// <param name="Counts">The figures.</param>
public sealed record DaySum(DateOnly Day, FigureCounts Counts);
