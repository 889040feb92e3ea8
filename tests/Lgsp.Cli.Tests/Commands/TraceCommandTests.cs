using System.Security.Cryptography;
using System.Text.Json;
using Lgsp.Cli.Tests.Hub;
using Lgsp.Exchange.Ledger;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Cli.Tests.Commands;

/// <summary><c>lgsp trace</c> on documents accepted into a real database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TraceCommandTests(PostgresFixture fixture, AcceptedDocuments documents) : IClassFixture<AcceptedDocuments>
{
    [Fact]
    public async Task The_table_lists_the_documents_entries_in_order_with_the_recipient_and_the_next_hubs_receipt()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        await AcceptedDocuments.SeedAsync(db);
        var (acceptance, _) = await documents.AcceptAsync(db);
        await RecordForwardAsync(db, acceptance.DocumentId);

        var output = db.Ok("trace", acceptance.DocumentId);

        var lines = output.Split('\n');
        var received = Array.FindIndex(lines, l => l.Contains(LedgerKind.PackageReceived, StringComparison.Ordinal));
        var created = Array.FindIndex(lines, l => l.Contains(LedgerKind.DeliveryCreated, StringComparison.Ordinal));
        var forwarded = Array.FindIndex(lines, l => l.Contains(LedgerKind.AttemptSucceeded, StringComparison.Ordinal));
        Assert.True(received >= 0 && received < created && created < forwarded, output);
        Assert.Contains(acceptance.LedgerSeq.ToString(System.Globalization.CultureInfo.InvariantCulture), lines[received], StringComparison.Ordinal);
        Assert.Contains($"sha256={acceptance.Sha256}", lines[received], StringComparison.Ordinal);
        Assert.Contains(AcceptedDocuments.Recipient, lines[created], StringComparison.Ordinal);
        Assert.Contains("peer receipt: hub hub-national took it at 2026-01-15 08:00:03Z (its ledger #901)", lines[forwarded], StringComparison.Ordinal);
        Assert.Contains($"3 entries about {acceptance.DocumentId}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_json_has_every_event_with_its_detail_and_the_peer_receipt_bytes()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        await AcceptedDocuments.SeedAsync(db);
        var (acceptance, _) = await documents.AcceptAsync(db);
        var receipt = await RecordForwardAsync(db, acceptance.DocumentId);

        using var json = JsonDocument.Parse(db.Ok("trace", acceptance.DocumentId, "--json"));

        var events = json.RootElement.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal([LedgerKind.PackageReceived, LedgerKind.DeliveryCreated, LedgerKind.AttemptSucceeded], events.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(acceptance.Sha256, events[0].GetProperty("detail").GetProperty("sha256").GetString());
        Assert.Equal(AcceptedDocuments.SenderSystem, events[0].GetProperty("actor").GetString());
        Assert.Equal(AcceptedDocuments.Recipient, events[1].GetProperty("recipient").GetString());
        var peer = events[2].GetProperty("peerReceipt");
        Assert.Equal("hub-national", peer.GetProperty("hub").GetString());
        Assert.Equal(901, peer.GetProperty("ledgerSeq").GetInt64());
        Assert.Equal(receipt, Convert.FromBase64String(peer.GetProperty("xml").GetString()!));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(receipt)), peer.GetProperty("sha256").GetString());
        Assert.False(events[2].GetProperty("detail").TryGetProperty(LedgerDetailKeys.PeerReceipt, out _), "the receipt's bytes appear once, under peerReceipt");
        Assert.Equal(1, events[2].GetProperty("detail").GetProperty("attempt").GetInt32());
    }

    [Fact]
    public async Task An_unknown_document_exits_one_with_the_reason()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);

        var (exit, _, error) = db.Run("trace", "000.00.01.H56,2026/01/01,0/NONE");

        Assert.Equal(1, exit);
        Assert.Contains("no ledger entry is about DocumentId 000.00.01.H56,2026/01/01,0/NONE", error, StringComparison.Ordinal);
    }

    private static async Task<byte[]> RecordForwardAsync(HubDatabase db, string documentId)
    {
        var receipt = HopRecords.PeerReceipt(AcceptedDocuments.Sender, documentId);
        await HopRecords.RecordAsync(db.ConnectionString, documentId, receipt);
        return receipt;
    }
}
