namespace Lgsp.Exchange.Reports.Rollups;

/// <summary>
/// A time-to figure (docs/reports.md, "Times to the answers"): how many received deliveries got an
/// answer, and the time from the hub's acceptance of the document to the first such answer, summed in
/// seconds twice (all the time, and only the time on working days), so that the mean of any period
/// and unit is a sum of rollups divided by a sum of rollups.
/// </summary>
/// <param name="Name">The measure's name in JSON (<c>pickedUp</c>, <c>arrived</c>, …).</param>
/// <param name="Count">The deliveries that got the answer.</param>
/// <param name="Seconds">Their seconds from acceptance to the answer, summed.</param>
/// <param name="WorkingSeconds">The part of those seconds that fell on working days, summed.</param>
public sealed record TimeMeasure(string Name, Figure Count, Figure Seconds, Figure WorkingSeconds)
{
    /// <summary>First pick-up (fetched, pushed or confirmed), status 01, 02, 03 and 06, in that order.</summary>
    public static IReadOnlyList<TimeMeasure> All { get; } =
    [
        new("pickedUp", Figure.PickedUp, Figure.PickedUpSeconds, Figure.PickedUpWorkingSeconds),
        new("arrived", Figure.Arrived, Figure.ArrivedSeconds, Figure.ArrivedWorkingSeconds),
        new("refused", Figure.Refused, Figure.RefusedSeconds, Figure.RefusedWorkingSeconds),
        new("accepted", Figure.Accepted, Figure.AcceptedSeconds, Figure.AcceptedWorkingSeconds),
        new("finished", Figure.Finished, Figure.FinishedSeconds, Figure.FinishedWorkingSeconds),
    ];

    /// <summary>The measure a figure belongs to (its count or one of its sums), or null.</summary>
    public static TimeMeasure? Of(Figure figure) => All.FirstOrDefault(m => m.Count == figure || m.Seconds == figure || m.WorkingSeconds == figure);

    /// <summary>True for a sum of seconds (not a count: the exports show its mean in hours beside it).</summary>
    public static bool IsSum(Figure figure) => All.Any(m => m.Seconds == figure || m.WorkingSeconds == figure);

    /// <summary>The mean time in hours over <paramref name="counts"/>, or null when no delivery got the answer.</summary>
    public double? MeanHours(FigureCounts counts) => Mean(counts, Seconds);

    /// <summary>The mean working time in hours over <paramref name="counts"/>, or null when no delivery got the answer.</summary>
    public double? MeanWorkingHours(FigureCounts counts) => Mean(counts, WorkingSeconds);

    private double? Mean(FigureCounts counts, Figure sum)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var n = counts[Count];
        return n == 0 ? null : Math.Round(counts[sum] / 3600.0 / n, 2);
    }
}
