using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.ServiceModel;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Server.Tests.Soap;

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
        var documentId = await SendAsync();
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
        var documentId = await SendAsync();
        var peerReceipt = PeerReceipt(documentId);
        var previousHash = new string('a', 64);
        await RecordHopsAsync(documentId, peerReceipt, previousHash);
        await using var sender = _hub.Client(Sender);

        var trace = await sender.GetTraceAsync(new GetTraceRequest { DocumentId = documentId });

        var forward = Assert.Single(trace.Events, e => e.Kind == LedgerKind.AttemptSucceeded);
        Assert.Equal(peerReceipt, forward.PeerReceipt);
        Assert.Equal(Recipient, forward.Recipient);
        Assert.Equal(previousHash, Assert.Single(trace.Events, e => e.PreviousReceiptSha256 is not null).PreviousReceiptSha256);
        Assert.All(trace.Events.Where(e => e.Kind != LedgerKind.AttemptSucceeded), e => Assert.Null(e.PeerReceipt));
    }

    private async Task<string> SendAsync()
    {
        await using var sender = _hub.Client(Sender);
        return (await sender.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Sender, [Recipient]) })).DocumentId;
    }

    /// <summary>A receipt from another hub, signed with a throwaway key: what the forwarding records.</summary>
    internal static byte[] PeerReceipt(string documentId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=hub-national TEST ONLY", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return new ReceiptIssuer(new HubIdentity("hub-national", certificate, [])).Issue(
            new ReceiptFacts(PackageKind.Document, Sender, documentId, new string('0', 64), 1, new DateTimeOffset(2026, 1, 15, 8, 0, 3, TimeSpan.Zero), 901));
    }

    /// <summary>Writes what hub-to-hub forwarding writes: a successful attempt carrying the peer's
    /// receipt, and (as if this package had come from another hub) a reception naming that hub's receipt.</summary>
    internal static async Task RecordHopsAsync(string connectionString, string documentId, byte[] peerReceipt, string previousReceiptSha256)
    {
        await using var data = NpgsqlDataSource.Create(connectionString);
        await using var command = data.CreateCommand($"""
            INSERT INTO lgsp.ledger (at, kind, actor, package_id, document_id, delivery_id, detail)
            SELECT now(), '{LedgerKind.AttemptSucceeded}', 'hub', d.package_id, $1, d.id,
                   jsonb_build_object('recipient', d.recipient, 'attempt', 1, '{LedgerDetailKeys.PeerReceipt}', $2::text)
            FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id WHERE p.document_id = $1
            UNION ALL
            SELECT now(), '{LedgerKind.PackageReceived}', 'hub', p.id, $1, NULL,
                   jsonb_build_object('note', 'forwarded copy', '{LedgerDetailKeys.PreviousReceiptSha256}', $3::text)
            FROM lgsp.package p WHERE p.document_id = $1
            """);
        command.Parameters.AddWithValue(documentId);
        command.Parameters.AddWithValue(Convert.ToBase64String(peerReceipt));
        command.Parameters.AddWithValue(previousReceiptSha256);
        await command.ExecuteNonQueryAsync();
    }

    private Task RecordHopsAsync(string documentId, byte[] peerReceipt, string previousReceiptSha256) =>
        RecordHopsAsync(_hub.ConnectionString, documentId, peerReceipt, previousReceiptSha256);
}
