using Lgsp.Exchange.Reports.Calendar;
using Lgsp.Exchange.Reports.Facts;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Reports.Rollups;

/// <summary>
/// Counts documents and their deliveries into per-agency, per-day figures: the one place the
/// figures are defined in code (docs/reports.md defines them in words). The rollup job and
/// <c>lgsp report verify</c> both count with it.
/// </summary>
/// <remarks>Pure and thread safe.</remarks>
public static class RollupBuilder
{
    /// <summary>The failure code of a failed delivery that recorded none.</summary>
    public const string UnspecifiedFailure = "unspecified";

    /// <summary>Counts <paramref name="documents"/>.</summary>
    /// <param name="documents">The documents accepted on the days counted, with their deliveries.</param>
    /// <param name="calendar">Working days.</param>
    /// <param name="fetchWithinWorkingDays">N of "not received electronically" (at least 1).</param>
    /// <param name="asOf">The moment the time-dependent figures (<see cref="Figure.ReceivedDue"/>,
    /// <see cref="Figure.NotReceived"/>) are judged at.</param>
    /// <returns>One row per (day, agency) with any count, ordered by day and agency.</returns>
    public static IReadOnlyList<DailyRollup> Build(IEnumerable<DocumentFacts> documents, WorkingCalendar calendar, int fetchWithinWorkingDays, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(calendar);
        var rows = new Dictionary<(DateOnly Day, string Agency), (string? Tier, FigureCounts Counts, Dictionary<string, long> Failures)>();

        (string? Tier, FigureCounts Counts, Dictionary<string, long> Failures) Row(DateOnly day, string agency, string? tier)
        {
            if (!rows.TryGetValue((day, agency), out var row))
            {
                row = (tier, new FigureCounts(), new Dictionary<string, long>(StringComparer.Ordinal));
                rows[(day, agency)] = row;
            }

            return row;
        }

        foreach (var document in documents)
        {
            var day = WorkingCalendar.LocalDate(document.ReceivedAt);
            var sender = Row(day, document.From, document.FromTier).Counts;
            foreach (var (figure, amount) in SenderFigures(document, calendar))
            {
                sender.Add(figure, amount);
            }

            foreach (var delivery in document.Deliveries)
            {
                var row = Row(day, delivery.Recipient, delivery.Tier);
                foreach (var (figure, amount) in ReceiverFigures(document, delivery, calendar, fetchWithinWorkingDays, asOf))
                {
                    row.Counts.Add(figure, amount);
                }

                if (delivery.State == DeliveryState.Failed)
                {
                    var code = FailureCode(delivery);
                    row.Failures[code] = row.Failures.GetValueOrDefault(code) + 1;
                }
            }
        }

        return [.. rows.OrderBy(r => r.Key.Day).ThenBy(r => r.Key.Agency, StringComparer.Ordinal)
            .Select(r => new DailyRollup(r.Key.Day, r.Key.Agency, r.Value.Tier, r.Value.Counts, r.Value.Failures))];
    }

    /// <summary>What a document adds to its sender's row: each figure it counts in, with the amount
    /// (1 for a document, the number of PDF attachments for the per-PDF figures). The drill-down lists a
    /// document behind a sender figure exactly when this names the figure.</summary>
    public static IEnumerable<(Figure Figure, long Amount)> SenderFigures(DocumentFacts document, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(calendar);
        yield return (Figure.Sent, 1);
        var external = document.FromScope == ExchangeScope.External || document.Deliveries.Any(d => d.Scope == ExchangeScope.External);
        yield return (external ? Figure.SentExternal : Figure.SentInternal, 1);
        yield return (document.Paper ? Figure.SentWithPaper : Figure.SentElectronicOnly, 1);
        yield return (document.EnvelopeSigner switch
        {
            SignerClass.Organization => Figure.EnvelopeOrganization,
            SignerClass.Personal => Figure.EnvelopePersonal,
            SignerClass.Unknown => Figure.EnvelopeUnknown,
            _ => Figure.EnvelopeUnsigned,
        }, 1);

        var pdfs = document.Attachments;
        if (pdfs.Count > 0)
        {
            yield return (Figure.PdfAttachments, pdfs.Count);
            (Figure Figure, long Amount)[] perPdf =
            [
                (Figure.PdfOrganization, pdfs.Count(a => a.OrganizationSigners > 0)),
                (Figure.PdfPersonal, pdfs.Count(a => a.PersonalSigners > 0)),
                (Figure.PdfUnsigned, pdfs.Count(a => a.Verdict == PdfVerdict.Unsigned)),
                (Figure.PdfBroken, pdfs.Count(a => a.Verdict == PdfVerdict.Broken)),
                (Figure.PdfUnreadable, pdfs.Count(a => a.Verdict == PdfVerdict.Unreadable)),
            ];
            yield return (Figure.DocumentsWithPdf, 1);
            foreach (var (figure, amount) in perPdf.Where(p => p.Amount > 0))
            {
                yield return (figure, amount);

                // A document counts once in the document figure of each kind it has any PDF of.
                yield return (figure switch
                {
                    Figure.PdfOrganization => Figure.DocumentsPdfOrganization,
                    Figure.PdfPersonal => Figure.DocumentsPdfPersonal,
                    Figure.PdfUnsigned => Figure.DocumentsPdfUnsigned,
                    Figure.PdfBroken => Figure.DocumentsPdfBroken,
                    _ => Figure.DocumentsPdfUnreadable,
                }, 1);
            }
        }

        if (document.PromulgationDate is { } promulgated)
        {
            var late = calendar.IsLateSend(promulgated, document.ReceivedAt);
            yield return (Figure.SentDated, 1);
            if (late)
            {
                yield return (Figure.SentLate, 1);
            }

            if (document.Priority >= 1)
            {
                yield return (Figure.UrgentDated, 1);
                if (late)
                {
                    yield return (Figure.UrgentLate, 1);
                }
            }
        }
    }

    /// <summary>What a delivery adds to its recipient's row: each figure it counts in, with the amount
    /// (1, or seconds for the sums of the time measures). The drill-down lists a delivery behind a
    /// receiver figure exactly when this names the figure.</summary>
    public static IEnumerable<(Figure Figure, long Amount)> ReceiverFigures(DocumentFacts document, DeliveryFacts delivery, WorkingCalendar calendar,
        int fetchWithinWorkingDays, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(calendar);
        if (delivery.State == DeliveryState.Failed)
        {
            yield return (Figure.FailedDeliveries, 1);
        }

        // A recipient without a route is no agency that could receive anything: only its failure counts.
        if (delivery.Scope == ExchangeScope.Unrouted)
        {
            yield break;
        }

        yield return (Figure.Received, 1);
        var external = document.FromScope == ExchangeScope.External || delivery.Scope == ExchangeScope.External;
        yield return (external ? Figure.ReceivedExternal : Figure.ReceivedInternal, 1);
        yield return (document.Paper ? Figure.ReceivedWithPaper : Figure.ReceivedElectronicOnly, 1);

        var answered = delivery.FirstAnswer;
        if (answered is { } a && calendar.IsSameWorkingDay(document.ReceivedAt, a))
        {
            yield return (Figure.AcknowledgedSameDay, 1);
        }

        var deadline = calendar.FetchDeadline(document.ReceivedAt, fetchWithinWorkingDays);
        if (answered is not null || deadline <= asOf)
        {
            yield return (Figure.ReceivedDue, 1);
            if (answered <= deadline)
            {
                yield return (Figure.ReceivedOnTime, 1);
            }

            if (answered is null)
            {
                yield return (Figure.NotReceived, 1);
            }
        }

        // Refused (02) is also the count of the time to 02, below.
        foreach (var (figure, holds) in new[]
        {
            (Figure.TakeBackRequested, delivery.TakeBackRequested),
            (Figure.ChangeAccepted, delivery.ChangeAccepted),
            (Figure.ChangeRejected, delivery.ChangeRejected),
        })
        {
            if (holds)
            {
                yield return (figure, 1);
            }
        }

        foreach (var measure in TimeMeasure.All)
        {
            // Refused counts a 02 even when its time is unknown (rows from before the times were read).
            if (measure.Count == Figure.Refused && delivery.Refused && delivery.RefusedAt is null)
            {
                yield return (Figure.Refused, 1);
            }

            if (delivery.AnsweredAt(measure) is not { } at)
            {
                continue;
            }

            // An answer the hub recorded before the document (clocks apart) took no time, not negative time.
            var elapsed = at > document.ReceivedAt ? at - document.ReceivedAt : TimeSpan.Zero;
            yield return (measure.Count, 1);
            yield return (measure.Seconds, (long)elapsed.TotalSeconds);
            yield return (measure.WorkingSeconds, (long)calendar.WorkingTimeBetween(document.ReceivedAt, at).TotalSeconds);
        }
    }

    /// <summary>The error code a failed delivery is counted under.</summary>
    public static string FailureCode(DeliveryFacts delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return delivery.FailureCode ?? UnspecifiedFailure;
    }
}
