using Lgsp.Exchange.Reports.Calendar;
using Lgsp.Exchange.Reports.Facts;
using Lgsp.Exchange.Reports.Rollups;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Tests.Reports.Rollups;

/// <summary>The counting rules of the rollups that the database tests do not reach: unrouted
/// recipients, the as-of time of the deadline figures, and a PDF signed by both kinds.</summary>
public sealed class RollupBuilderTests
{
    private static readonly WorkingCalendar Calendar = new(BundledHolidays.All);
    private static readonly DateTimeOffset Monday10 = new(2025, 3, 17, 10, 0, 0, TimeSpan.FromHours(7));

    private static DeliveryFacts Delivery(string recipient, ExchangeScope scope, DeliveryState state = DeliveryState.Pending, string? code = null,
        DateTimeOffset? fetched = null) =>
        new(recipient, "department", scope, state, code, fetched, null, null, false, false, false, false);

    private static DocumentFacts Document(IReadOnlyList<DeliveryFacts> deliveries, IReadOnlyList<AttachmentFact>? pdfs = null) =>
        new(1, "000.00.01.H56", "department", ExchangeScope.Internal, Monday10, 0, false, new DateOnly(2025, 3, 17), SignerClass.Unsigned,
            pdfs ?? [], deliveries);

    [Fact]
    public void An_unrouted_recipient_counts_only_as_a_failed_delivery_under_its_code()
    {
        var rows = RollupBuilder.Build([Document([Delivery("000.00.99.H56", ExchangeScope.Unrouted, DeliveryState.Failed, "unknown-recipient")])],
            Calendar, 1, Monday10.AddDays(30));

        var recipient = Assert.Single(rows, r => r.Agency == "000.00.99.H56");
        Assert.Equal((0L, 1L), (recipient.Counts[Figure.Received], recipient.Counts[Figure.FailedDeliveries]));
        Assert.Equal(new Dictionary<string, long> { ["unknown-recipient"] = 1 }, recipient.Failures);
    }

    [Fact]
    public void A_delivery_is_not_due_before_its_fetch_deadline_and_not_received_after_it()
    {
        var document = Document([Delivery("000.00.02.H56", ExchangeScope.Internal)]);

        var before = RollupBuilder.Build([document], Calendar, 1, new DateTimeOffset(2025, 3, 17, 23, 59, 0, TimeSpan.FromHours(7)))
            .Single(r => r.Agency == "000.00.02.H56").Counts;
        var after = RollupBuilder.Build([document], Calendar, 1, new DateTimeOffset(2025, 3, 18, 0, 0, 0, TimeSpan.FromHours(7)))
            .Single(r => r.Agency == "000.00.02.H56").Counts;

        Assert.Equal((0L, 0L), (before[Figure.ReceivedDue], before[Figure.NotReceived]));
        Assert.Equal((1L, 1L), (after[Figure.ReceivedDue], after[Figure.NotReceived]));
    }

    [Fact]
    public void A_PDF_signed_by_an_organisation_and_a_person_counts_in_both_and_the_document_once_each()
    {
        var rows = RollupBuilder.Build([Document([], [new AttachmentFact(1, "a.pdf", PdfVerdict.Signed, 1, 1)])], Calendar, 1, Monday10);

        var sender = Assert.Single(rows).Counts;
        Assert.Equal((1L, 1L, 1L), (sender[Figure.PdfAttachments], sender[Figure.PdfOrganization], sender[Figure.PdfPersonal]));
        Assert.Equal((1L, 1L, 0L), (sender[Figure.DocumentsPdfOrganization], sender[Figure.DocumentsPdfPersonal], sender[Figure.PdfUnsigned]));
    }

    [Fact]
    public void Each_answer_is_timed_from_the_acceptance_and_an_answer_recorded_before_it_takes_no_time()
    {
        var delivery = Delivery("000.00.02.H56", ExchangeScope.Internal, fetched: Monday10.AddMinutes(90)) with
        {
            AcknowledgedAt = Monday10.AddHours(2),
            ArrivedAt = Monday10.AddMinutes(-5),
            AcceptedAt = Monday10.AddDays(4).AddHours(1),
        };

        var counts = RollupBuilder.Build([Document([delivery])], Calendar, 1, Monday10.AddDays(30)).Single(r => r.Agency == "000.00.02.H56").Counts;

        // Picked up at the fetch (the earlier of fetch and confirm); 01 before the acceptance counts as 0 s;
        // 03 on Friday 11:00: 97 h, all on working days; no 02 and no 06.
        Assert.Equal((1L, 90L * 60, 90L * 60), (counts[Figure.PickedUp], counts[Figure.PickedUpSeconds], counts[Figure.PickedUpWorkingSeconds]));
        Assert.Equal((1L, 0L), (counts[Figure.Arrived], counts[Figure.ArrivedSeconds]));
        Assert.Equal((1L, 97L * 3600, 97L * 3600), (counts[Figure.Accepted], counts[Figure.AcceptedSeconds], counts[Figure.AcceptedWorkingSeconds]));
        Assert.Equal((0L, 0L, 0L), (counts[Figure.Refused], counts[Figure.Finished], counts[Figure.FinishedSeconds]));
    }

    [Fact]
    public void The_mean_of_a_time_is_its_sum_over_its_count_in_hours_and_absent_without_answers()
    {
        var counts = new FigureCounts();
        counts[Figure.Accepted] = 3;
        counts[Figure.AcceptedSeconds] = 300_660;
        counts[Figure.AcceptedWorkingSeconds] = 127_860;
        var accepted = TimeMeasure.All.Single(m => m.Count == Figure.Accepted);
        var finished = TimeMeasure.All.Single(m => m.Count == Figure.Finished);

        Assert.Equal((27.84, 11.84), (accepted.MeanHours(counts), accepted.MeanWorkingHours(counts)));
        Assert.Null(finished.MeanHours(counts));
        Assert.Same(accepted, TimeMeasure.Of(Figure.AcceptedWorkingSeconds));
    }
}
