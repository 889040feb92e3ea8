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
}
