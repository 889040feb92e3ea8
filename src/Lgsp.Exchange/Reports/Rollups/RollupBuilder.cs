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
            CountSent(Row(day, document.From, document.FromTier).Counts, document, calendar);
            foreach (var delivery in document.Deliveries)
            {
                var row = Row(day, delivery.Recipient, delivery.Tier);
                CountReceived(row.Counts, row.Failures, document, delivery, calendar, fetchWithinWorkingDays, asOf);
            }
        }

        return [.. rows.OrderBy(r => r.Key.Day).ThenBy(r => r.Key.Agency, StringComparer.Ordinal)
            .Select(r => new DailyRollup(r.Key.Day, r.Key.Agency, r.Value.Tier, r.Value.Counts, r.Value.Failures))];
    }

    private static void CountSent(FigureCounts counts, DocumentFacts document, WorkingCalendar calendar)
    {
        counts.Count(Figure.Sent);
        var external = document.FromScope == ExchangeScope.External || document.Deliveries.Any(d => d.Scope == ExchangeScope.External);
        counts.Count(external ? Figure.SentExternal : Figure.SentInternal);
        counts.Count(document.Paper ? Figure.SentWithPaper : Figure.SentElectronicOnly);
        counts.Count(document.EnvelopeSigner switch
        {
            SignerClass.Organization => Figure.EnvelopeOrganization,
            SignerClass.Personal => Figure.EnvelopePersonal,
            SignerClass.Unknown => Figure.EnvelopeUnknown,
            _ => Figure.EnvelopeUnsigned,
        });

        foreach (var pdf in document.Attachments)
        {
            counts.Count(Figure.PdfAttachments);
            if (pdf.OrganizationSigners > 0)
            {
                counts.Count(Figure.PdfOrganization);
            }

            if (pdf.PersonalSigners > 0)
            {
                counts.Count(Figure.PdfPersonal);
            }

            switch (pdf.Verdict)
            {
                case PdfVerdict.Unsigned:
                    counts.Count(Figure.PdfUnsigned);
                    break;
                case PdfVerdict.Broken:
                    counts.Count(Figure.PdfBroken);
                    break;
                case PdfVerdict.Unreadable:
                    counts.Count(Figure.PdfUnreadable);
                    break;
            }
        }

        if (document.Attachments.Count > 0)
        {
            counts.Count(Figure.DocumentsWithPdf);
            CountIf(counts, Figure.DocumentsPdfOrganization, document.Attachments.Any(a => a.OrganizationSigners > 0));
            CountIf(counts, Figure.DocumentsPdfPersonal, document.Attachments.Any(a => a.PersonalSigners > 0));
            CountIf(counts, Figure.DocumentsPdfUnsigned, document.Attachments.Any(a => a.Verdict == PdfVerdict.Unsigned));
            CountIf(counts, Figure.DocumentsPdfBroken, document.Attachments.Any(a => a.Verdict == PdfVerdict.Broken));
            CountIf(counts, Figure.DocumentsPdfUnreadable, document.Attachments.Any(a => a.Verdict == PdfVerdict.Unreadable));
        }

        if (document.PromulgationDate is { } promulgated)
        {
            var late = calendar.IsLateSend(promulgated, document.ReceivedAt);
            counts.Count(Figure.SentDated);
            CountIf(counts, Figure.SentLate, late);
            if (document.Priority >= 1)
            {
                counts.Count(Figure.UrgentDated);
                CountIf(counts, Figure.UrgentLate, late);
            }
        }
    }

    private static void CountReceived(FigureCounts counts, Dictionary<string, long> failures, DocumentFacts document, DeliveryFacts delivery,
        WorkingCalendar calendar, int fetchWithinWorkingDays, DateTimeOffset asOf)
    {
        if (delivery.State == DeliveryState.Failed)
        {
            counts.Count(Figure.FailedDeliveries);
            var code = delivery.FailureCode ?? UnspecifiedFailure;
            failures[code] = failures.GetValueOrDefault(code) + 1;
        }

        // A recipient without a route is no agency that could receive anything: only its failure counts.
        if (delivery.Scope == ExchangeScope.Unrouted)
        {
            return;
        }

        counts.Count(Figure.Received);
        var external = document.FromScope == ExchangeScope.External || delivery.Scope == ExchangeScope.External;
        counts.Count(external ? Figure.ReceivedExternal : Figure.ReceivedInternal);
        counts.Count(document.Paper ? Figure.ReceivedWithPaper : Figure.ReceivedElectronicOnly);

        var answered = delivery.FirstAnswer;
        CountIf(counts, Figure.AcknowledgedSameDay, answered is { } a && calendar.IsSameWorkingDay(document.ReceivedAt, a));

        var deadline = calendar.FetchDeadline(document.ReceivedAt, fetchWithinWorkingDays);
        if (answered is not null || deadline <= asOf)
        {
            counts.Count(Figure.ReceivedDue);
            CountIf(counts, Figure.ReceivedOnTime, answered <= deadline);
            CountIf(counts, Figure.NotReceived, answered is null);
        }

        CountIf(counts, Figure.Refused, delivery.Refused);
        CountIf(counts, Figure.TakeBackRequested, delivery.TakeBackRequested);
        CountIf(counts, Figure.ChangeAccepted, delivery.ChangeAccepted);
        CountIf(counts, Figure.ChangeRejected, delivery.ChangeRejected);
    }

    private static void CountIf(FigureCounts counts, Figure figure, bool condition)
    {
        if (condition)
        {
            counts.Count(figure);
        }
    }
}
