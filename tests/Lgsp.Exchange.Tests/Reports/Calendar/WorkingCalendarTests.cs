using Lgsp.Exchange.Reports.Calendar;

namespace Lgsp.Exchange.Tests.Reports.Calendar;

/// <summary>The working-day calendar: weekends, the bundled holidays (Tết, a make-up Saturday), operator
/// changes over them, and "late" and "the same working day" in Asia/Ho_Chi_Minh.</summary>
public sealed class WorkingCalendarTests
{
    private static readonly WorkingCalendar Bundled = new(BundledHolidays.All);

    // Local (UTC+7) wall-clock times.
    private static DateTimeOffset Local(int y, int m, int d, int h, int min = 0) => new(y, m, d, h, min, 0, TimeSpan.FromHours(7));

    [Fact]
    public void Saturdays_and_Sundays_are_off_and_weekdays_work()
    {
        var plain = new WorkingCalendar([]);

        Assert.True(plain.IsWorkingDay(new DateOnly(2025, 3, 14)));
        Assert.False(plain.IsWorkingDay(new DateOnly(2025, 3, 15)));
        Assert.False(plain.IsWorkingDay(new DateOnly(2025, 3, 16)));
        Assert.True(plain.IsWorkingDay(new DateOnly(2025, 3, 17)));
    }

    [Fact]
    public void The_Tet_days_of_2025_are_off_and_the_next_working_day_after_the_eve_is_the_third_of_February()
    {
        foreach (var day in new[] { 27, 28, 29, 30, 31 })
        {
            Assert.False(Bundled.IsWorkingDay(new DateOnly(2025, 1, day)), $"2025-01-{day}");
        }

        Assert.Equal(new DateOnly(2025, 2, 3), Bundled.NextWorkingDay(new DateOnly(2025, 1, 24)));
    }

    [Fact]
    public void The_make_up_Saturday_of_2025_is_a_working_day()
    {
        Assert.True(Bundled.IsWorkingDay(new DateOnly(2025, 2, 15)));
        Assert.Equal(new DateOnly(2025, 2, 15), Bundled.NextWorkingDay(new DateOnly(2025, 2, 14)));
    }

    [Fact]
    public void A_send_on_Friday_evening_has_until_Monday_noon()
    {
        var friday = new DateOnly(2025, 3, 14);

        Assert.Equal(Local(2025, 3, 17, 12), Bundled.NextWorkingMorning(friday));
        Assert.False(Bundled.IsLateSend(friday, Local(2025, 3, 14, 20)));
        Assert.False(Bundled.IsLateSend(friday, Local(2025, 3, 17, 11, 59)));
        Assert.True(Bundled.IsLateSend(friday, Local(2025, 3, 17, 12, 1)));
    }

    [Fact]
    public void A_document_promulgated_before_Tet_is_on_time_until_the_first_morning_after_it()
    {
        var eve = new DateOnly(2025, 1, 24);

        Assert.False(Bundled.IsLateSend(eve, Local(2025, 2, 3, 9)));
        Assert.True(Bundled.IsLateSend(eve, Local(2025, 2, 3, 13)));
    }

    [Fact]
    public void Lateness_is_judged_in_Hanoi_time_not_UTC()
    {
        // 04:30 UTC on Monday is 11:30 in Hà Nội: still the morning.
        Assert.False(Bundled.IsLateSend(new DateOnly(2025, 3, 14), new DateTimeOffset(2025, 3, 17, 4, 30, 0, TimeSpan.Zero)));

        // 17:30 UTC on Sunday is already 00:30 on Monday locally.
        Assert.Equal(new DateOnly(2025, 3, 17), WorkingCalendar.LocalDate(new DateTimeOffset(2025, 3, 16, 17, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void An_arrival_on_Friday_evening_counts_as_received_on_Monday_and_a_Monday_answer_is_the_same_working_day()
    {
        var arrived = Local(2025, 3, 14, 18);

        Assert.Equal(new DateOnly(2025, 3, 17), Bundled.ReceivingDay(arrived));
        Assert.True(Bundled.IsSameWorkingDay(arrived, Local(2025, 3, 17, 16)));
        Assert.False(Bundled.IsSameWorkingDay(arrived, Local(2025, 3, 18, 8)));
    }

    [Fact]
    public void An_arrival_during_office_hours_must_be_answered_that_day()
    {
        var arrived = Local(2025, 3, 12, 10);

        Assert.True(Bundled.IsSameWorkingDay(arrived, Local(2025, 3, 12, 23, 59)));
        Assert.False(Bundled.IsSameWorkingDay(arrived, Local(2025, 3, 13, 7)));
    }

    [Fact]
    public void The_fetch_deadline_counts_working_days_from_the_receiving_day()
    {
        // Arrived Friday 30 April 2027's eve (Thursday 29th, 10:00); 30/4 and Monday 3/5 are holidays.
        var arrived = Local(2027, 4, 29, 10);

        Assert.Equal(Local(2027, 5, 4, 0), Bundled.FetchDeadline(arrived, 1));
        Assert.Equal(Local(2027, 5, 5, 0), Bundled.FetchDeadline(arrived, 2));
    }

    [Fact]
    public void An_operator_change_overrides_the_bundled_day()
    {
        var changed = new WorkingCalendar([.. BundledHolidays.All, new CalendarDay(new DateOnly(2025, 2, 15), DayKind.Holiday, "không làm bù", DaySource.Operator)]);

        Assert.False(changed.IsWorkingDay(new DateOnly(2025, 2, 15)));
        Assert.Equal(DaySource.Operator, changed.Exceptions[new DateOnly(2025, 2, 15)].Source);
    }

    [Fact]
    public void The_bundled_file_covers_2025_to_2027_and_only_names_weekdays_off_and_weekend_days_worked()
    {
        Assert.Equal([2025, 2026, 2027], BundledHolidays.All.Select(d => d.Day.Year).Distinct().Order());
        Assert.All(BundledHolidays.All, d => Assert.Equal(
            d.Kind == DayKind.Working,
            d.Day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday));
    }

    [Fact]
    public void A_malformed_line_is_refused_with_its_number()
    {
        var error = Assert.Throws<FormatException>(() => BundledHolidays.Parse("# comment\n2025-01-01 vacation New Year\n"));

        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public void Working_time_counts_only_the_hours_on_working_days()
    {
        // Friday 14/3 16:00 to Monday 17/3 09:00: 8 h on Friday and 9 h on Monday, the weekend left out.
        Assert.Equal(TimeSpan.FromHours(17), Bundled.WorkingTimeBetween(Local(2025, 3, 14, 16), Local(2025, 3, 17, 9)));

        // Tết eve Friday 24/1 15:00 to Monday 3/2 08:00: 9 h before Tết, 8 h after it.
        Assert.Equal(TimeSpan.FromHours(17), Bundled.WorkingTimeBetween(Local(2025, 1, 24, 15), Local(2025, 2, 3, 8)));

        // The make-up Saturday 15/2 counts; within one working day it is the plain difference.
        Assert.Equal(TimeSpan.FromHours(14), Bundled.WorkingTimeBetween(Local(2025, 2, 15, 10), Local(2025, 2, 16, 12)));
        Assert.Equal(TimeSpan.FromMinutes(20), Bundled.WorkingTimeBetween(Local(2025, 3, 11, 10), Local(2025, 3, 11, 10, 20)));
        Assert.Equal(TimeSpan.Zero, Bundled.WorkingTimeBetween(Local(2025, 3, 11, 10), Local(2025, 3, 11, 9)));
    }
}
