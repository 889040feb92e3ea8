using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;
using Npgsql;

namespace Lgsp.TestSupport.Hub;

/// <summary>What hub-to-hub forwarding leaves in the ledger, written directly: the next hub's signed
/// receipt on a successful attempt, and the previous hub's receipt hash on a reception.</summary>
public static class HopRecords
{
    /// <summary>The next hub's id in the receipts made here.</summary>
    public const string PeerHub = "hub-national";

    /// <summary>When the next hub took the package, as its receipt says.</summary>
    public static readonly DateTimeOffset PeerReceivedAt = new(2026, 1, 15, 8, 0, 3, TimeSpan.Zero);

    /// <summary>The next hub's position in its own ledger, as its receipt says.</summary>
    public const long PeerLedgerSeq = 901;

    /// <summary>A receipt from <see cref="PeerHub"/>, signed with a throwaway self-signed key.</summary>
    public static byte[] PeerReceipt(string from, string documentId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest($"CN={PeerHub} TEST ONLY", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return new ReceiptIssuer(new HubIdentity(PeerHub, certificate, [])).Issue(
            new ReceiptFacts(PackageKind.Document, from, documentId, new string('0', 64), 1, PeerReceivedAt, PeerLedgerSeq));
    }

    /// <summary>Records, for every delivery of the document, a successful attempt carrying
    /// <paramref name="peerReceipt"/>; and when <paramref name="previousReceiptSha256"/> is given, a
    /// reception of each of its packages naming the previous hub's receipt.</summary>
    public static async Task RecordAsync(string connectionString, string documentId, byte[] peerReceipt, string? previousReceiptSha256 = null)
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
            FROM lgsp.package p WHERE p.document_id = $1 AND $3::text IS NOT NULL
            """);
        command.Parameters.AddWithValue(documentId);
        command.Parameters.AddWithValue(Convert.ToBase64String(peerReceipt));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)previousReceiptSha256 ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync();
    }
}
