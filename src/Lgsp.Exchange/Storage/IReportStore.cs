using Lgsp.Exchange.Reports.Rollups;

namespace Lgsp.Exchange.Storage;

/// <summary>Where the rollups were left: the sealed ledger position they include and when they were
/// last counted.</summary>
/// <param name="Watermark">Every sealed ledger entry up to this seq is counted in the rollups.</param>
/// <param name="RefreshedAt">The moment the time-dependent figures were last judged at; null: never.</param>
/// <param name="FigureNames">What the rollups were built with: the figure list (<see cref="Figures.Names"/>) and the
/// counting settings (<see cref="Reports.ReportService.BuiltWith"/>).</param>
public sealed record RollupState(long Watermark, DateTimeOffset? RefreshedAt, IReadOnlyList<string> FigureNames);

/// <summary>What a stretch of the ledger changes in the rollups.</summary>
/// <param name="Days">The local days (of the documents' acceptance) touched: documents received,
/// their deliveries changed, statuses about them.</param>
/// <param name="CalendarChanged">The working-day calendar changed (every day may count differently).</param>
public sealed record RollupChanges(IReadOnlySet<DateOnly> Days, bool CalendarChanged);

/// <summary>The raw report facts and the daily rollups built from them (docs/adr/0009-report-rollups.md).</summary>
/// <remarks>Implementations are thread safe. A method that returns has committed.</remarks>
public interface IReportStore
{
    /// <summary>The rollups' state.</summary>
    Task<RollupState> ReadStateAsync(CancellationToken ct = default);

    /// <summary>The last sealed ledger seq: entries up to it are committed and will not change.</summary>
    Task<long> SealedSeqAsync(CancellationToken ct = default);

    /// <summary>What the ledger entries with <paramref name="afterSeq"/> &lt; seq ≤ <paramref name="upToSeq"/>
    /// change in the rollups.</summary>
    Task<RollupChanges> ChangesAsync(long afterSeq, long upToSeq, CancellationToken ct = default);

    /// <summary>The days from <paramref name="from"/> to <paramref name="to"/> (inclusive) on which some document with facts was accepted.</summary>
    Task<IReadOnlySet<DateOnly>> DaysWithDocumentsAsync(DateOnly from, DateOnly to, CancellationToken ct = default);

    /// <summary>The documents accepted on <paramref name="days"/> (local dates), with their deliveries and answers as they stand.</summary>
    Task<IReadOnlyList<DocumentFacts>> ReadFactsAsync(IReadOnlyCollection<DateOnly> days, CancellationToken ct = default);

    /// <summary>The stored rollups from <paramref name="from"/> to <paramref name="to"/> (inclusive).</summary>
    Task<IReadOnlyList<DailyRollup>> ReadRollupsAsync(DateOnly from, DateOnly to, CancellationToken ct = default);

    /// <summary>The stored rollups from <paramref name="from"/> to <paramref name="to"/> (inclusive) of
    /// <paramref name="agencies"/>, summed per agency (and recorded tier), per day when
    /// <paramref name="byDay"/>, and failures per code: what a report reads, a few hundred rows whatever
    /// the period's length.</summary>
    Task<RollupSums> SumRollupsAsync(DateOnly from, DateOnly to, IReadOnlyCollection<string> agencies, bool byDay, CancellationToken ct = default);

    /// <summary>Replaces the rollups of <paramref name="days"/> with <paramref name="rows"/> and moves the
    /// state to (<paramref name="watermark"/>, <paramref name="refreshedAt"/>), in one transaction, provided
    /// the state is still the one read before counting (<paramref name="readState"/>): a concurrent
    /// refresh that wrote first wins, and this one writes nothing.
    /// <paramref name="rebuild"/> first drops every rollup.</summary>
    /// <returns>False when another refresh wrote first.</returns>
    Task<bool> WriteRollupsAsync(IReadOnlyCollection<DateOnly> days, IReadOnlyList<DailyRollup> rows, long watermark, DateTimeOffset refreshedAt, bool rebuild,
        IReadOnlyList<string> builtWith, RollupState readState, CancellationToken ct = default);
}
