namespace Lgsp.Exchange.Reports.Calendar;

/// <summary>What a calendar entry makes of its day.</summary>
public enum DayKind
{
    /// <summary>A day off although it falls Monday to Friday (a public holiday, a Tết day, a swapped day).</summary>
    Holiday,

    /// <summary>A working day although it falls on a Saturday or Sunday (a make-up day).</summary>
    Working,
}

/// <summary>Where a calendar entry comes from.</summary>
public enum DaySource
{
    /// <summary>The file shipped with the hub (<see cref="BundledHolidays"/>).</summary>
    Bundled,

    /// <summary>An operator's change (<c>lgsp calendar add</c>), stored in the database; it overrides
    /// a bundled entry for the same day.</summary>
    Operator,
}

/// <summary>One day that is not what its weekday says.</summary>
/// <param name="Day">The local date (Asia/Ho_Chi_Minh).</param>
/// <param name="Kind">Holiday or working day.</param>
/// <param name="Reason">Why, as people say it (e.g. "Tết Nguyên đán").</param>
/// <param name="Source">Bundled or an operator's change.</param>
public sealed record CalendarDay(DateOnly Day, DayKind Kind, string Reason, DaySource Source = DaySource.Bundled);
