using Lgsp.Edxml.Model;
using Lgsp.Exchange.Documents;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Tests.Documents;

public sealed class RecipientTimelineTests
{
    private const string Sender = "000.00.00.H56";
    private const string Finance = "000.00.02.H56";
    private const string Commune = "000.00.61.H56";
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_recipient_gets_its_own_delivery_steps_with_errors_and_the_statuses_between_it_and_the_sender_in_time_order()
    {
        var file = new DocumentFile("D1",
        [
            Package(1, PackageKind.Document, Sender, 0),
            Package(2, PackageKind.Status, Finance, 30) with { StatusCode = "03", StatusTarget = Sender },
            Package(3, PackageKind.Status, Sender, 40) with { StatusCode = "13", StatusTarget = Commune },
            Package(4, PackageKind.Status, Commune, 50) with { StatusCode = "02", StatusTarget = "000.00.99.H56" },
        ],
        [Delivery(1, 11, Finance), Delivery(1, 12, Commune), Delivery(2, 13, Sender)],
        [
            Event(101, 0, LedgerKind.DeliveryCreated, 11),
            Event(102, 0, LedgerKind.DeliveryCreated, 12),
            Event(103, 5, LedgerKind.AttemptFailed, 12, """{"recipient":"x","attempt":1,"error":"HTTP 503","errorCode":"peer-unavailable"}"""),
            Event(104, 10, LedgerKind.DeliveryFetched, 11),
            Event(105, 20, LedgerKind.DeliveryAcknowledged, 11),
            Event(106, 30, LedgerKind.DeliveryCreated, 13),
        ]);

        var timelines = RecipientTimeline.Of(file);

        Assert.Equal([Finance, Commune], timelines.Select(t => t.Delivery.Recipient));
        Assert.Equal([LedgerKind.DeliveryCreated, LedgerKind.DeliveryFetched, LedgerKind.DeliveryAcknowledged, TimelineStep.Status], timelines[0].Steps.Select(s => s.Kind));
        Assert.Equal("03", timelines[0].Steps[^1].StatusCode);
        Assert.Equal([LedgerKind.DeliveryCreated, LedgerKind.AttemptFailed, TimelineStep.Status], timelines[1].Steps.Select(s => s.Kind));
        Assert.Equal(("HTTP 503", "peer-unavailable", 1), (timelines[1].Steps[1].Error, timelines[1].Steps[1].ErrorCode, timelines[1].Steps[1].Attempt));
        Assert.Equal("13", timelines[1].Steps[2].StatusCode);
    }

    [Fact]
    public void A_step_another_hub_reported_names_that_hub_and_the_hand_off_taken_by_the_hub_below_names_none()
    {
        var file = new DocumentFile("D1", [Package(1, PackageKind.Document, Sender, 0)], [Delivery(1, 11, Finance), Delivery(1, 12, Commune)],
        [
            Event(101, 0, LedgerKind.DeliveryCreated, 11),
            Event(102, 0, LedgerKind.DeliveryCreated, 12),
            Event(103, 5, LedgerKind.DeliveryAcknowledged, 11),
            Event(104, 9, LedgerKind.DeliveryAcknowledged, 11, """{"recipient":"x","reportedBy":"prov-b"}"""),
            Event(105, 9, LedgerKind.DeliveryFailed, 12, """{"recipient":"x","reason":"failed at hub prov-b: refused","errorCode":"far:confirm-fail","reportedBy":"prov-b"}"""),
        ]);

        var timelines = RecipientTimeline.Of(file);

        Assert.Equal([null, null, "prov-b"], timelines[0].Steps.Select(s => s.ReportedBy));
        Assert.Equal(("prov-b", "far:confirm-fail"), (timelines[1].Steps[1].ReportedBy, timelines[1].Steps[1].ErrorCode));
    }

    private static StoredPackage Package(long id, PackageKind kind, string from, int minutes) => new()
    {
        Id = id, Kind = kind, From = from, SenderSystem = "sys", ReceivedAt = T0.AddMinutes(minutes), Size = 1, Sha256 = "00", Legacy = false,
        Signature = "valid", LedgerSeq = 100 + id,
    };

    private static DocumentDelivery Delivery(long packageId, long id, string recipient) => new(packageId, new DeliveryView
    {
        Id = id, Recipient = recipient, Mode = DeliveryMode.Pull, State = DeliveryState.Pending, Attempts = 0, DocumentId = "D1", From = Sender,
    });

    private static TraceEvent Event(long seq, int minutes, string kind, long delivery, string detail = "{}") =>
        new(seq, T0.AddMinutes(minutes), kind, "hub", detail) { DeliveryId = delivery };
}
