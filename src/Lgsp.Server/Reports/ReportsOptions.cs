using Lgsp.Exchange.Reports;
using Lgsp.Exchange.Reports.Calendar;

namespace Lgsp.Server.Reports;

/// <summary>The reports (section <c>Hub:Reports</c>; docs/reports.md).</summary>
public sealed class ReportsOptions
{
    /// <summary>N of "not received electronically": working days a recipient has to fetch, confirm or
    /// answer 01 (at least 1).</summary>
    public int FetchWithinWorkingDays { get; set; } = 1;

    /// <summary>The end of "the next working morning" (local time).</summary>
    public TimeSpan MorningEnds { get; set; } = new(12, 0, 0);

    /// <summary>The end of the working day (local time): later arrivals count on the next working day.</summary>
    public TimeSpan DayEnds { get; set; } = new(17, 0, 0);

    /// <summary>How often this instance brings the rollups up to date; zero turns it off here.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The domain's settings.</summary>
    /// <exception cref="InvalidOperationException">A setting is out of range; the message names it.</exception>
    public ReportOptions ToReportOptions()
    {
        if (FetchWithinWorkingDays < 1)
        {
            throw new InvalidOperationException($"Hub:Reports:FetchWithinWorkingDays must be at least 1, not {FetchWithinWorkingDays}.");
        }

        if (MorningEnds <= TimeSpan.Zero || MorningEnds >= TimeSpan.FromDays(1) || DayEnds <= TimeSpan.Zero || DayEnds >= TimeSpan.FromDays(1))
        {
            throw new InvalidOperationException("Hub:Reports:MorningEnds and Hub:Reports:DayEnds must be times of day (00:00:01 to 23:59:59).");
        }

        return new ReportOptions
        {
            FetchWithinWorkingDays = FetchWithinWorkingDays,
            Hours = new WorkingHours { MorningEnds = TimeOnly.FromTimeSpan(MorningEnds), DayEnds = TimeOnly.FromTimeSpan(DayEnds) },
            RefreshInterval = RefreshInterval,
        };
    }
}
