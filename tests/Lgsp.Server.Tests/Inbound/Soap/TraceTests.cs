using System.ServiceModel;
using Lgsp.Exchange.Ledger;
using Lgsp.Server.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Inbound.Soap;

/// <summary>GetTrace: a sender's system sees its own documents, an auditor's system any, and the hop
/// receipts show when the ledger holds them.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TraceTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Sender = "000.00.61.H56";
    private const string Recipient = "000.00.02.H56";
    private const string Bystander = "000.00.63.H56";

    private RunningHub _hub = null!;

    public async Task InitializeAsync() => _hub = await RunningHub.StartAsync(postgres);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task An_auditor_system_traces_a_document_another_agency_sent_and_a_bystanders_system_may_not()
    {
        var documentId = await _hub.SendDocumentAsync(Sender, Recipient);
        var auditor = _hub.Demo.Auditor!;
        await using var auditorClient = EdocClientFactory.Create(_hub.SoapUri, auditor.Id, auditor.Secret, SoapVersion.Soap11);
        await using var bystander = _hub.Client(Bystander);

        var trace = await auditorClient.GetTraceAsync(new GetTraceRequest { DocumentId = documentId });
        var fault = await Assert.ThrowsAsync<FaultException<Error>>(() => bystander.GetTraceAsync(new GetTraceRequest { DocumentId = documentId }));

        Assert.Equal([LedgerKind.PackageReceived, LedgerKind.DeliveryCreated], trace.Events.Select(e => e.Kind));
        Assert.Equal(Recipient, trace.Events[1].Recipient);
        Assert.Null(trace.Events[0].Recipient);
        Assert.Equal("NotFound", fault.Detail.Code);
    }

    [Fact]
    public async Task The_trace_carries_the_next_hubs_receipt_and_the_previous_hubs_receipt_hash_when_the_ledger_records_them()
    {
        var documentId = await _hub.SendDocumentAsync(Sender, Recipient);
        var peerReceipt = HopRecords.PeerReceipt(Sender, documentId);
        var previousHash = new string('a', 64);
        await HopRecords.RecordAsync(_hub.ConnectionString, documentId, peerReceipt, previousHash);
        await using var sender = _hub.Client(Sender);

        var trace = await sender.GetTraceAsync(new GetTraceRequest { DocumentId = documentId });

        var forward = Assert.Single(trace.Events, e => e.Kind == LedgerKind.AttemptSucceeded);
        Assert.Equal(peerReceipt, forward.PeerReceipt);
        Assert.DoesNotContain(LedgerDetailKeys.PeerReceipt, forward.Detail, StringComparison.Ordinal); // the bytes once, in PeerReceipt
        Assert.Equal(Recipient, forward.Recipient);
        Assert.Equal(previousHash, Assert.Single(trace.Events, e => e.PreviousReceiptSha256 is not null).PreviousReceiptSha256);
        Assert.All(trace.Events.Where(e => e.Kind != LedgerKind.AttemptSucceeded), e => Assert.Null(e.PeerReceipt));
    }
}
