namespace Lgsp.Exchange.Reports.Calendar;

/// <summary>
/// Vietnamese working days: Monday to Friday, except the holidays and make-up days the entries
/// name; times are judged in Asia/Ho_Chi_Minh. "Late" and "the same working day" of the reports are
/// computed here, so that the reports, their verification and the tests agree on one definition.
/// </summary>
/// <remarks>Immutable and thread safe. When two entries name the same day the later wins, so pass
/// the bundled days first and the operator's changes after them.</remarks>
public sealed class WorkingCalendar
{
    private readonly Dictionary<DateOnly, CalendarDay> _exceptions = [];

    /// <summary>Creates a calendar.</summary>
    /// <param name="days">The days that are not what their weekday says; later entries override earlier ones.</param>
    /// <param name="hours">Office hours; null: <see cref="WorkingHours.Default"/>.</param>
    public WorkingCalendar(IEnumerable<CalendarDay> days, WorkingHours? hours = null)
    {
        ArgumentNullException.ThrowIfNull(days);
        foreach (var day in days)
        {
            _exceptions[day.Day] = day;
        }

        Hours = hours ?? WorkingHours.Default;
    }

    /// <summary>Asia/Ho_Chi_Minh (UTC+7, no daylight saving since 1975; the fixed offset stands in
    /// when the machine has no time-zone data).</summary>
    public static TimeZoneInfo Zone { get; } = FindZone();

    /// <summary>The office hours.</summary>
    public WorkingHours Hours { get; }

    /// <summary>The entries in force, by day.</summary>
    public IReadOnlyDictionary<DateOnly, CalendarDay> Exceptions => _exceptions;

    /// <summary>The local date of an instant.</summary>
    public static DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);

    /// <summary>The instant of a local date and time.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>True when <paramref name="day"/> is a working day.</summary>
    public bool IsWorkingDay(DateOnly day) =>
        _exceptions.TryGetValue(day, out var entry)
            ? entry.Kind == DayKind.Working
            : day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>The first working day after <paramref name="day"/> (never the day itself).</summary>
    public DateOnly NextWorkingDay(DateOnly day)
    {
        // A year has far fewer than 60 consecutive days off; the bound only guards a broken calendar.
        for (var next = day.AddDays(1); next <= day.AddDays(60); next = next.AddDays(1))
        {
            if (IsWorkingDay(next))
            {
                return next;
            }
        }

        throw new InvalidOperationException($"The calendar has no working day in the 60 days after {day:yyyy-MM-dd}.");
    }

    /// <summary>The <paramref name="count"/>-th working day after <paramref name="day"/> (0: the day itself).</summary>
    public DateOnly AddWorkingDays(DateOnly day, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (var i = 0; i < count; i++)
        {
            day = NextWorkingDay(day);
        }

        return day;
    }

    /// <summary>The next working morning after <paramref name="day"/>: noon (by
    /// <see cref="WorkingHours.MorningEnds"/>) of the next working day. A send on Friday evening has
    /// until Monday noon; before a holiday, until the morning after it.</summary>
    public DateTimeOffset NextWorkingMorning(DateOnly day) => At(NextWorkingDay(day), Hours.MorningEnds);

    /// <summary>When a document promulgated on <paramref name="promulgated"/> must have been accepted
    /// by the hub to be on time: the next working morning after that day.</summary>
    public DateTimeOffset SendDeadline(DateOnly promulgated) => NextWorkingMorning(promulgated);

    /// <summary>True when the hub accepted the document after <see cref="SendDeadline"/>.</summary>
    public bool IsLateSend(DateOnly promulgated, DateTimeOffset accepted) => accepted > SendDeadline(promulgated);

    /// <summary>The working day on which an arrival counts as received: its local date when that is a
    /// working day and it came before <see cref="WorkingHours.DayEnds"/>; otherwise the next working day.</summary>
    public DateOnly ReceivingDay(DateTimeOffset arrived)
    {
        var local = TimeZoneInfo.ConvertTime(arrived, Zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        return IsWorkingDay(day) && TimeOnly.FromDateTime(local.DateTime) < Hours.DayEnds ? day : NextWorkingDay(day);
    }

    /// <summary>True when <paramref name="answered"/> falls no later than the local end of the
    /// receiving day of <paramref name="arrived"/> (so an answer on Saturday to a Friday-evening
    /// arrival counts, as does one the same evening).</summary>
    public bool IsSameWorkingDay(DateTimeOffset arrived, DateTimeOffset answered) => LocalDate(answered) <= ReceivingDay(arrived);

    /// <summary>The instant after which a delivery that arrived at <paramref name="arrived"/> and was
    /// neither fetched nor confirmed counts as not received electronically: the start of the
    /// <paramref name="workingDays"/>-th working day after its receiving day.</summary>
    public DateTimeOffset FetchDeadline(DateTimeOffset arrived, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingDays, 1);
        return At(AddWorkingDays(ReceivingDay(arrived), workingDays), TimeOnly.MinValue);
    }

    /// <summary>The part of the time from <paramref name="from"/> to <paramref name="to"/> that falls on
    /// working days (whole local days, midnight to midnight): a Friday 16:00 arrival answered on Monday
    /// 09:00 took 17 working hours (8 on Friday, 9 on Monday), 65 hours in all. Zero when
    /// <paramref name="to"/> is not after <paramref name="from"/>.</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        var total = TimeSpan.Zero;
        for (var day = LocalDate(from); day <= LocalDate(to); day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }

            var start = At(day, TimeOnly.MinValue);
            var end = At(day.AddDays(1), TimeOnly.MinValue);
            var overlap = (to < end ? to : end) - (from > start ? from : start);
            if (overlap > TimeSpan.Zero)
            {
                total += overlap;
            }
        }

        return total;
    }

    private static TimeZoneInfo FindZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Ho_Chi_Minh", TimeSpan.FromHours(7), "Indochina Time", "ICT");
        }
        catch (InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Ho_Chi_Minh", TimeSpan.FromHours(7), "Indochina Time", "ICT");
        }
    }
}
