using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Evidence;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Tests.Evidence;

/// <summary>A small ledger of two hubs' worth of signing material, sealed in two checkpoints, and the
/// bundle of one document in it: received, delivered to a pulling agency, forwarded to a peer hub
/// (whose receipt the attempt records), acknowledged. Built once per test class (the PKI's RSA keys
/// take a moment).</summary>
public sealed class EvidenceSamples : IDisposable
{
    public const string HubId = "hub-h56";
    public const string DocumentId = "000.00.01.H56,2026/01/15,7/STC-NS";

    private readonly TestPki _pki = TestPki.Create("LGSP evidence test");
    private readonly TestPki _otherPki = TestPki.Create("LGSP other test");

    public EvidenceSamples()
    {
        Hub = new HubIdentity(HubId, _pki.IssueOrganization("hub-h56", "LGSP tỉnh Thanh Hóa", KeyKind.EcdsaP256), [_pki.Intermediate]);
        Peer = new HubIdentity("hub-national", _pki.IssueOrganization("hub-national", "Trục liên thông quốc gia", KeyKind.EcdsaP256), [_pki.Intermediate]);
        Stranger = new HubIdentity(HubId, _otherPki.IssueOrganization("hub-h56", "LGSP tỉnh Thanh Hóa", KeyKind.EcdsaP256), [_otherPki.Intermediate]);
        Agency = new HubIdentity(HubId, _pki.IssueOrganization("000.00.01.H56", "Sở Tài chính tỉnh Thanh Hóa", KeyKind.EcdsaP256), [_pki.Intermediate]);
        Body = Encoding.UTF8.GetBytes("<edXML:edXMLEnvelope xmlns:edXML=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">test only</edXML:edXMLEnvelope>");
        Bundle = Build(Hub, Body);
    }

    /// <summary>When the package arrived: recent, so that the test certificates were valid then.</summary>
    public DateTimeOffset At { get; } = new(DateTimeOffset.UtcNow.AddMinutes(-10).UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);

    public HubIdentity Hub { get; }

    public HubIdentity Peer { get; }

    /// <summary>A certificate for the same hub id under a root nobody trusts.</summary>
    public HubIdentity Stranger { get; }

    /// <summary>Another agency's seal under the same root, writing the hub's id: a valid chain, not the hub.</summary>
    public HubIdentity Agency { get; }

    public byte[] Body { get; }

    public EvidenceBundle Bundle { get; }

    public ICertificateTrust Trust => TrustIn(_pki.Root);

    public X509Certificate2 Root => _pki.Root;

    public ICertificateTrust OtherTrust => TrustIn(_otherPki.Root);

    /// <summary>The hub's signatures as an auditor checks them: under the root, pinned to the hub's certificate.</summary>
    public SignerCheck HubSigner => new SignerCheck(Trust).PinnedTo([Hub.Certificate]);

    /// <summary>The test root's intermediate's CRL, listing <paramref name="revoked"/> as revoked an hour before <see cref="At"/>.</summary>
    public RevocationList Crl(params X509Certificate2[] revoked) => RevocationList.Load(_pki.CreateCrl(revoked, revokedAt: At.AddHours(-1)));

    public static ICertificateTrust TrustIn(X509Certificate2 root) =>
        new CertificateTrust(new TrustOptions { Roots = [root], Validity = ValidityTime.SigningTime });

    /// <summary>The bundle as a hub signing with <paramref name="hub"/> would export it.</summary>
    public EvidenceBundle Build(HubIdentity hub, byte[] body, Func<List<LedgerEntry>, List<LedgerEntry>>? change = null)
    {
        var at = At;
        var sha = Convert.ToHexStringLower(SHA256.HashData(body));
        var receipt = new ReceiptIssuer(hub).Issue(new ReceiptFacts(PackageKind.Document, "000.00.01.H56", DocumentId, sha, body.Length, at, 11));
        var peerReceipt = new ReceiptIssuer(Peer).Issue(new ReceiptFacts(PackageKind.Document, "000.00.01.H56", DocumentId, sha, body.Length, at.AddSeconds(3), 901));
        var entries = new List<LedgerEntry>
        {
            Other(10, at),
            new(11, at, LedgerKind.PackageReceived, "qlvb-vp-ubnd", 1, DocumentId, null,
                $$"""{"kind":"document","system":"qlvb-vp-ubnd","from":"000.00.01.H56","documentId":"{{DocumentId}}","sha256":"{{sha}}","size":{{body.Length}},"policy":"strict","signature":"valid"}"""),
            new(12, at, LedgerKind.DeliveryCreated, "hub", 1, DocumentId, 1, """{"recipient":"000.00.02.H56","mode":"pull"}"""),
            new(13, at, LedgerKind.DeliveryCreated, "hub", 1, DocumentId, 2, """{"recipient":"000.00.00.G22","mode":"push"}"""),
            Other(15, at.AddSeconds(1)),
            new(16, at.AddSeconds(3), LedgerKind.AttemptSucceeded, "hub", 1, DocumentId, 2,
                $$"""{"recipient":"000.00.00.G22","attempt":1,"{{LedgerDetailKeys.PeerReceipt}}":"{{Convert.ToBase64String(peerReceipt)}}"}"""),
            new(17, at.AddSeconds(5), LedgerKind.DeliveryAcknowledged, "qlvb-so-tai-chinh", 1, DocumentId, 1, """{"recipient":"000.00.02.H56"}"""),
            Other(18, at.AddSeconds(6)),
        };
        entries = change?.Invoke(entries) ?? entries;

        // Two checkpoints, as the sealer would make them: 10..13 and 15..18.
        var (first, firstSeals) = Checkpoint.Seal(hub.Id, LedgerChain.Genesis, entries[..4], at.AddSeconds(2));
        var (second, secondSeals) = Checkpoint.Seal(hub.Id, Convert.FromHexString(first.Head), entries[4..], at.AddSeconds(8));
        var seals = firstSeals.Concat(secondSeals).ToList();
        var checkpoints = new[] { (first, 0, 4), (second, 4, entries.Count) };

        var bundled = new List<EvidenceEntry>();
        foreach (var (checkpoint, from, to) in checkpoints)
        {
            for (var i = from; i < to; i++)
            {
                if (entries[i].DocumentId != DocumentId)
                {
                    continue;
                }

                var previous = i == from ? checkpoint.PreviousHead : LedgerChain.Hex(seals[i - 1].ChainHash);
                bundled.Add(new EvidenceEntry(entries[i], LedgerChain.Hex(seals[i].ContentHash), LedgerChain.Hex(seals[i].ChainHash),
                    EvidenceBundle.CheckpointFile(checkpoint), previous, [.. seals[(i + 1)..to].Select(s => LedgerChain.Hex(s.ContentHash))]));
            }
        }

        var secondXml = second.Sign(hub);
        return new EvidenceBundle(hub.Id, DocumentId, at.AddMinutes(10),
            [new EvidencePackage(1, "document", "000.00.01.H56", sha, body.Length, 11, receipt, body)],
            bundled,
            new Dictionary<string, byte[]>
            {
                [EvidenceBundle.CheckpointFile(first)] = first.Sign(hub),
                [EvidenceBundle.CheckpointFile(second)] = secondXml,
            },
            [hub.Certificate, .. hub.Chain]).SignedBy(hub, second, secondXml);
    }

    private static LedgerEntry Other(long seq, DateTimeOffset at) =>
        new(seq, at, LedgerKind.DeliveryFetched, "qlvb-nga-son", 99, "000.00.63.H56,2026/01/14,1/UBND", 98, """{"recipient":"000.00.63.H56"}""");

    public void Dispose()
    {
        _pki.Dispose();
        _otherPki.Dispose();
    }
}
