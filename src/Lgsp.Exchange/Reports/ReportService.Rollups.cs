using Lgsp.Exchange.Reports.Calendar;
using Lgsp.Exchange.Reports.Rollups;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Reports;

// Keeping the daily rollups current (the job with a watermark, docs/adr/0009-report-rollups.md) and
// recounting them from the raw rows (lgsp report verify).
public sealed partial class ReportService
{
    // A fetch deadline is at most this far after the document's day (N working days, plus the longest
    // run of days off: Tết with its weekends).
    private const int DeadlineReachDays = 20;

    // How many days' documents a refresh holds in memory at once.
    private const int DaysPerRead = 31;

    /// <summary>Brings the rollups up to date: recounts the days touched by sealed ledger entries
    /// since the watermark, and the days whose fetch deadlines passed since the last refresh; all days
    /// when the calendar or the figure list changed, or on the first refresh.</summary>
    /// <returns>How many days were recounted; 0 as well when a concurrent refresh wrote first (it
    /// counted the same changes).</returns>
    public Task<int> RefreshAsync(CancellationToken ct = default) => RefreshAsync(rebuildAll: false, ct);

    /// <summary>Brings the rollups up to date; with <paramref name="rebuildAll"/>, recounts every day
    /// (mends rollups that <see cref="VerifyAsync"/> found wrong).</summary>
    /// <returns>How many days were recounted; 0 as well when a concurrent refresh wrote first.</returns>
    public Task<int> RefreshAsync(bool rebuildAll, CancellationToken ct = default) => RefreshAsync(rebuildAll, null, ct);

    /// <summary>Brings the rollups up to date, reporting the days counted so far to <paramref name="progress"/>
    /// (the command line's progress bar); the documents are read 31 days at a time, the rollups written at once.</summary>
    /// <returns>How many days were recounted; 0 as well when a concurrent refresh wrote first.</returns>
    public async Task<int> RefreshAsync(bool rebuildAll, IProgress<RefreshProgress>? progress, CancellationToken ct = default)
    {
        // As the database keeps it (microseconds): the next refresh compares it with the stored state.
        var now = Timestamps.Truncate(clock.GetUtcNow());
        var state = await store.ReadStateAsync(ct);
        var sealedSeq = await store.SealedSeqAsync(ct);
        var changes = await store.ChangesAsync(state.Watermark, sealedSeq, ct);
        var rebuild = rebuildAll || state.RefreshedAt is null || changes.CalendarChanged || !state.FigureNames.SequenceEqual(BuiltWith(options));

        IReadOnlyCollection<DateOnly> days;
        var calendar = await calendars.LoadCalendarAsync(options.Hours, ct);
        if (rebuild)
        {
            days = await store.DaysWithDocumentsAsync(DateOnly.MinValue, WorkingCalendar.LocalDate(now), ct);
        }
        else
        {
            var crossed = await DeadlinesCrossedAsync(calendar, state.RefreshedAt!.Value, now, ct);
            days = [.. changes.Days.Union(crossed).Order()];
        }

        var rows = new List<DailyRollup>();
        var counted = 0;
        progress?.Report(new RefreshProgress(0, days.Count));
        foreach (var chunk in days.Order().Chunk(DaysPerRead))
        {
            // A document counts on its own day only: counting day ranges apart gives the same rows.
            rows.AddRange(RollupBuilder.Build(await store.ReadFactsAsync(chunk, ct), calendar, options.FetchWithinWorkingDays, now));
            counted += chunk.Length;
            progress?.Report(new RefreshProgress(counted, days.Count));
        }

        return await store.WriteRollupsAsync(days, rows, Math.Max(sealedSeq, state.Watermark), now, rebuild, BuiltWith(options), state, ct) ? days.Count : 0;
    }

    /// <summary>What the rollups record they were built with: the figure names in order, then the
    /// settings that change the counting (N and the office hours), so that a change of either rebuilds them.</summary>
    public static IReadOnlyList<string> BuiltWith(ReportOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return [.. Figures.Names, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{SettingsPrefix}{settings.FetchWithinWorkingDays}|{settings.Hours.MorningEnds:HH\\:mm}|{settings.Hours.DayEnds:HH\\:mm}")];
    }

    /// <summary>The settings the stored rollups were built with, for a reader that has no configuration of
    /// its own (the command line); null when there are no rollups yet or the entry does not parse.</summary>
    public static ReportOptions? SettingsOf(RollupState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var parts = state.FigureNames.LastOrDefault(n => n.StartsWith(SettingsPrefix, StringComparison.Ordinal))?[SettingsPrefix.Length..].Split('|');
        return parts is [var n, var morning, var day]
            && int.TryParse(n, System.Globalization.CultureInfo.InvariantCulture, out var days)
            && TimeOnly.TryParseExact(morning, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var m)
            && TimeOnly.TryParseExact(day, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d)
            ? new ReportOptions { FetchWithinWorkingDays = days, Hours = new WorkingHours { MorningEnds = m, DayEnds = d } }
            : null;
    }

    private const string SettingsPrefix = "settings:";

    /// <summary>Recounts the rollups of <paramref name="from"/> to <paramref name="to"/> from the raw rows,
    /// judged at the rollups' own refresh time, and names every figure that differs.</summary>
    public async Task<IReadOnlyList<RollupDifference>> VerifyAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var state = await store.ReadStateAsync(ct);
        var asOf = state.RefreshedAt ?? clock.GetUtcNow();
        var calendar = await calendars.LoadCalendarAsync(options.Hours, ct);
        var days = await store.DaysWithDocumentsAsync(from, to, ct);
        var counted = days.Count == 0 ? [] : RollupBuilder.Build(await store.ReadFactsAsync(days, ct), calendar, options.FetchWithinWorkingDays, asOf);
        var stored = await store.ReadRollupsAsync(from, to, ct);
        return Compare(stored, counted);
    }

    /// <summary>Every (day, agency, figure) where the two sets of rollups differ.</summary>
    public static IReadOnlyList<RollupDifference> Compare(IReadOnlyList<DailyRollup> stored, IReadOnlyList<DailyRollup> counted)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(counted);
        var left = stored.ToDictionary(r => (r.Day, r.Agency));
        var right = counted.ToDictionary(r => (r.Day, r.Agency));
        var differences = new List<RollupDifference>();
        foreach (var key in left.Keys.Union(right.Keys).OrderBy(k => k.Day).ThenBy(k => k.Agency, StringComparer.Ordinal))
        {
            var a = left.GetValueOrDefault(key);
            var b = right.GetValueOrDefault(key);
            foreach (var figure in Figures.All)
            {
                var (x, y) = (a?.Counts[figure] ?? 0, b?.Counts[figure] ?? 0);
                if (x != y)
                {
                    differences.Add(new RollupDifference(key.Day, key.Agency, Figures.Name(figure), x, y));
                }
            }

            var codes = (a?.Failures.Keys ?? []).Union(b?.Failures.Keys ?? []).Order(StringComparer.Ordinal);
            foreach (var code in codes)
            {
                var (x, y) = (a?.Failures.GetValueOrDefault(code) ?? 0, b?.Failures.GetValueOrDefault(code) ?? 0);
                if (x != y)
                {
                    differences.Add(new RollupDifference(key.Day, key.Agency, "failures:" + code, x, y));
                }
            }
        }

        return differences;
    }

    // The days some of whose documents' fetch deadlines fell in (since, now]: their not-received and
    // due figures changed by time alone. An arrival's receiving day depends on its hour, so both ends
    // of each day are tried.
    private async Task<IReadOnlySet<DateOnly>> DeadlinesCrossedAsync(WorkingCalendar calendar, DateTimeOffset since, DateTimeOffset now, CancellationToken ct)
    {
        var first = WorkingCalendar.LocalDate(since).AddDays(-DeadlineReachDays);
        var last = WorkingCalendar.LocalDate(now);
        var candidates = await store.DaysWithDocumentsAsync(first, last, ct);
        var crossed = new HashSet<DateOnly>();
        foreach (var day in candidates)
        {
            foreach (var at in new[] { WorkingCalendar.At(day, TimeOnly.MinValue), WorkingCalendar.At(day, TimeOnly.MaxValue) })
            {
                var deadline = calendar.FetchDeadline(at, options.FetchWithinWorkingDays);
                if (deadline > since && deadline <= now)
                {
                    crossed.Add(day);
                }
            }
        }

        return crossed;
    }
}
