namespace Lgsp.Exchange.Reports.Rollups;

/// <summary>
/// Every counted figure of the exchange reports; docs/reports.md defines each (numerator,
/// denominator, edge cases). Sender figures count documents on the sender's row; receiver figures
/// count deliveries of documents on the recipient's row; both on the local day the hub accepted the
/// document.
/// </summary>
/// <remarks>The order is the order of the rollup's counts array; the rollup table records the names
/// it was built with, and a different list rebuilds the rollups (<see cref="Figures.Names"/>).</remarks>
public enum Figure
{
    /// <summary>Documents sent (not statuses).</summary>
    Sent,

    /// <summary>Sent, sender and every routed recipient inside the subtree.</summary>
    SentInternal,

    /// <summary>Sent, the sender or some recipient beyond the parent.</summary>
    SentExternal,

    /// <summary>Sent without the <c>Paper</c> flag.</summary>
    SentElectronicOnly,

    /// <summary>Sent with <c>Paper</c> = 1 (also on paper).</summary>
    SentWithPaper,

    /// <summary>Sent with the envelope signed by an organisation's certificate.</summary>
    EnvelopeOrganization,

    /// <summary>Sent with the envelope signed by a person's certificate.</summary>
    EnvelopePersonal,

    /// <summary>Sent signed by a certificate the rule cannot classify.</summary>
    EnvelopeUnknown,

    /// <summary>Sent unsigned or with a placeholder (legacy policy).</summary>
    EnvelopeUnsigned,

    /// <summary>PDF attachments of the documents sent.</summary>
    PdfAttachments,

    /// <summary>PDF attachments with at least one intact organisation signature.</summary>
    PdfOrganization,

    /// <summary>PDF attachments with at least one intact personal signature.</summary>
    PdfPersonal,

    /// <summary>PDF attachments without signatures.</summary>
    PdfUnsigned,

    /// <summary>PDF attachments with a signature that does not verify.</summary>
    PdfBroken,

    /// <summary>PDF attachments the inspector could not read.</summary>
    PdfUnreadable,

    /// <summary>Documents sent with at least one PDF attachment.</summary>
    DocumentsWithPdf,

    /// <summary>Documents with any PDF carrying an intact organisation signature.</summary>
    DocumentsPdfOrganization,

    /// <summary>Documents with any PDF carrying an intact personal signature.</summary>
    DocumentsPdfPersonal,

    /// <summary>Documents with any unsigned PDF.</summary>
    DocumentsPdfUnsigned,

    /// <summary>Documents with any broken PDF signature.</summary>
    DocumentsPdfBroken,

    /// <summary>Documents with any unreadable PDF.</summary>
    DocumentsPdfUnreadable,

    /// <summary>Documents sent with a readable promulgation date (the denominator of lateness).</summary>
    SentDated,

    /// <summary>Dated documents accepted after the next working morning following their promulgation date.</summary>
    SentLate,

    /// <summary>Dated documents with a priority above normal.</summary>
    UrgentDated,

    /// <summary>Urgent dated documents sent late.</summary>
    UrgentLate,

    /// <summary>Deliveries of documents to a routed recipient.</summary>
    Received,

    /// <summary>Received, sender and recipient inside the subtree.</summary>
    ReceivedInternal,

    /// <summary>Received, sender or recipient beyond the parent.</summary>
    ReceivedExternal,

    /// <summary>Received without the <c>Paper</c> flag.</summary>
    ReceivedElectronicOnly,

    /// <summary>Received with the <c>Paper</c> flag.</summary>
    ReceivedWithPaper,

    /// <summary>Received and answered (fetched, confirmed or status 01) the same working day.</summary>
    AcknowledgedSameDay,

    /// <summary>Received whose fetch deadline has passed, or answered: the denominator of the ranking.</summary>
    ReceivedDue,

    /// <summary>Answered by the fetch deadline (N working days).</summary>
    ReceivedOnTime,

    /// <summary>Not answered at all, the fetch deadline passed: not received electronically.</summary>
    NotReceived,

    /// <summary>Refused or returned by the recipient (status 02).</summary>
    Refused,

    /// <summary>Take-back requested by the sender (status 13).</summary>
    TakeBackRequested,

    /// <summary>The recipient agreed to an update or take-back (status 15).</summary>
    ChangeAccepted,

    /// <summary>The recipient refused an update or take-back (status 16).</summary>
    ChangeRejected,

    /// <summary>Deliveries that failed (no route, refused by the peer, attempts exhausted, refused on confirm).</summary>
    FailedDeliveries,

    /// <summary>Received and fetched (or pushed) or confirmed: the count of the time to the first pick-up.</summary>
    PickedUp,

    /// <summary>Seconds from the hub's acceptance to the first pick-up, summed over <see cref="PickedUp"/>.</summary>
    PickedUpSeconds,

    /// <summary>The same seconds counted on working days only, summed over <see cref="PickedUp"/>.</summary>
    PickedUpWorkingSeconds,

    /// <summary>Received with a status 01 (arrived) from the recipient.</summary>
    Arrived,

    /// <summary>Seconds from acceptance to the first 01, summed over <see cref="Arrived"/>.</summary>
    ArrivedSeconds,

    /// <summary>The same on working days only.</summary>
    ArrivedWorkingSeconds,

    /// <summary>Seconds from acceptance to the recipient's first 02, summed over <see cref="Refused"/>.</summary>
    RefusedSeconds,

    /// <summary>The same on working days only.</summary>
    RefusedWorkingSeconds,

    /// <summary>Received with a status 03 (accepted, registered) from the recipient.</summary>
    Accepted,

    /// <summary>Seconds from acceptance to the first 03, summed over <see cref="Accepted"/>.</summary>
    AcceptedSeconds,

    /// <summary>The same on working days only.</summary>
    AcceptedWorkingSeconds,

    /// <summary>Received with a status 06 (done) from the recipient.</summary>
    Finished,

    /// <summary>Seconds from acceptance to the first 06, summed over <see cref="Finished"/>.</summary>
    FinishedSeconds,

    /// <summary>The same on working days only.</summary>
    FinishedWorkingSeconds,
}

/// <summary>The figure list, as the rollups store it.</summary>
public static class Figures
{
    /// <summary>Every figure, in array order.</summary>
    public static IReadOnlyList<Figure> All { get; } = Enum.GetValues<Figure>();

    /// <summary>The names in array order (the rollup table keeps them to notice a change of list).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(Name)];

    /// <summary>True for the figures counted on the sender's row (documents); the others are counted on
    /// the recipient's row (deliveries).</summary>
    public static bool IsSender(Figure figure) => figure <= Figure.UrgentLate;

    /// <summary>A figure's name in JSON, CSV and the rollup table: camelCase.</summary>
    public static string Name(Figure figure)
    {
        var text = figure.ToString();
        return char.ToLowerInvariant(text[0]) + text[1..];
    }
}

/// <summary>A set of figure counts.</summary>
/// <remarks>Not thread safe; the reports build them on one thread.</remarks>
public sealed class FigureCounts
{
    private readonly long[] _counts;

    /// <summary>All zero.</summary>
    public FigureCounts() => _counts = new long[Figures.All.Count];

    /// <summary>From stored counts, in <see cref="Figures.All"/> order.</summary>
    /// <exception cref="ArgumentException">The length differs from the figure list's.</exception>
    public FigureCounts(long[] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Length != Figures.All.Count)
        {
            throw new ArgumentException($"{counts.Length} counts for {Figures.All.Count} figures.", nameof(counts));
        }

        _counts = counts;
    }

    /// <summary>One figure.</summary>
    public long this[Figure figure]
    {
        get => _counts[(int)figure];
        set => _counts[(int)figure] = value;
    }

    /// <summary>True when every count is zero.</summary>
    public bool IsEmpty => _counts.All(c => c == 0);

    /// <summary>A copy of the counts, in <see cref="Figures.All"/> order.</summary>
    public long[] ToArray() => (long[])_counts.Clone();

    /// <summary>Adds one to a figure.</summary>
    public void Count(Figure figure) => _counts[(int)figure]++;

    /// <summary>Adds <paramref name="amount"/> to a figure.</summary>
    public void Add(Figure figure, long amount) => _counts[(int)figure] += amount;

    /// <summary>Adds every count of <paramref name="other"/>.</summary>
    public void Add(FigureCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
    }

    /// <summary>The figures by name, in list order.</summary>
    public IReadOnlyDictionary<string, long> ByName() => Figures.All.ToDictionary(Figures.Name, f => this[f]);
}
