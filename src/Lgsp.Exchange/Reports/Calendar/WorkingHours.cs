namespace Lgsp.Exchange.Reports.Calendar;

/// <summary>The office hours the report figures assume.</summary>
/// <remarks>Government offices work 07:30–11:30 and 13:00–16:30 (Decision 04/2024 allows local
/// variation), so the defaults round them: the morning ends at noon, the day at 17:00.</remarks>
public sealed record WorkingHours
{
    /// <summary>The defaults: morning until 12:00, day until 17:00.</summary>
    public static WorkingHours Default { get; } = new();

    /// <summary>A send is on time until this local time of the next working day ("the next working morning").</summary>
    public TimeOnly MorningEnds { get; init; } = new(12, 0);

    /// <summary>What arrives at or after this local time of a working day arrives, for the
    /// receiver, on the next working day.</summary>
    public TimeOnly DayEnds { get; init; } = new(17, 0);
}
