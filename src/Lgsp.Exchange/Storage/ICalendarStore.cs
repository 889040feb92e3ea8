using Lgsp.Exchange.Reports.Calendar;

namespace Lgsp.Exchange.Storage;

/// <summary>The operators' changes to the working-day calendar; the bundled days
/// (<see cref="BundledHolidays"/>) are not stored, the changes lie over them.</summary>
/// <remarks>Implementations are thread safe. A method that returns has committed.</remarks>
public interface ICalendarStore
{
    /// <summary>The operators' entries, in date order (<see cref="DaySource.Operator"/>).</summary>
    Task<IReadOnlyList<CalendarDay>> ListChangesAsync(CancellationToken ct = default);

    /// <summary>Makes <see cref="CalendarDay.Day"/> a holiday or a working day, replacing an earlier
    /// entry for it, with a <c>calendar.day.set</c> ledger entry, in one transaction.</summary>
    Task SetDayAsync(CalendarDay day, string actor, CancellationToken ct = default);

    /// <summary>Removes the operator's entry for <paramref name="day"/>, with a
    /// <c>calendar.day.removed</c> ledger entry; false (and nothing written) when there is none.</summary>
    Task<bool> RemoveDayAsync(DateOnly day, string actor, CancellationToken ct = default);
}

/// <summary>Loading the calendar in force.</summary>
public static class CalendarStoreExtensions
{
    /// <summary>The bundled days overlaid with the operators' changes.</summary>
    public static async Task<WorkingCalendar> LoadCalendarAsync(this ICalendarStore store, WorkingHours? hours = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var changes = await store.ListChangesAsync(ct);
        return new WorkingCalendar(BundledHolidays.All.Concat(changes), hours);
    }
}
