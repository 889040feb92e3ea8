using Lgsp.Exchange.Reports.Calendar;

namespace Lgsp.Exchange.Reports;

/// <summary>The reports' settings (section <c>Hub:Reports</c> on the server).</summary>
public sealed record ReportOptions
{
    /// <summary>N of "not received electronically": a delivery neither fetched, confirmed nor answered
    /// with 01 by the start of the N-th working day after its receiving day. At least 1.</summary>
    public int FetchWithinWorkingDays { get; init; } = 1;

    /// <summary>Office hours ("next working morning", the end of the working day).</summary>
    public WorkingHours Hours { get; init; } = WorkingHours.Default;

    /// <summary>How often the server brings the rollups up to date.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(1);
}
