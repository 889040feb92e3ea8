using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Receipts;

namespace Lgsp.Exchange.Evidence;

/// <summary>The outcome of verifying a bundle.</summary>
/// <param name="Holds">True when every check passed.</param>
/// <param name="Proved">What was proved, in the order it was checked, one sentence each.</param>
/// <param name="Failure">The first thing that does not hold; null when <paramref name="Holds"/>.</param>
public sealed record EvidenceVerdict(bool Holds, IReadOnlyList<string> Proved, string? Failure);

/// <summary>
/// Verifies an evidence bundle offline with nothing but its bytes, the trust roots and the hub's
/// pinned signing certificate(s): the container is canonical; every checkpoint's signature is valid,
/// is by a pinned hub certificate, chains to a root and names the bundle's hub; the hub's signed
/// export statement lists exactly the bundle's entries and packages (a missing one is named);
/// every entry's content hash recomputes and its hash path leads to its checkpoint's signed head;
/// every package's bytes (when included) hash to what its <c>package.received</c> entry and the
/// hub's signed receipt state; every peer receipt recorded by a forward is signed, trusted and for
/// the same bytes. Stops at the first failure.
/// </summary>
/// <remarks>Thread safe: stateless. Certificates are checked at the time each signature was made as
/// the signed document states it (the receipt's ReceivedAt, the checkpoint's SealedAt): a bundle
/// stays verifiable after the hub's certificate expires. Revocation is checked only against CRLs the
/// caller's trust carries.</remarks>
public static partial class EvidenceVerifier
{
    /// <summary>The failure of a verification whose hub signer is not pinned.</summary>
    public const string Unpinned = "the hub's signer is not pinned: give the hub's signing certificate (--hub-cert) or its SHA-256 fingerprint "
        + "(--hub-fingerprint); a bundle never verifies under whatever certificate it carries";

    /// <summary>Verifies a bundle.</summary>
    /// <param name="zip">The bundle's bytes.</param>
    /// <param name="hub">What the hub's signatures (checkpoints, receipts, the export statement) must
    /// satisfy: its trust (roots and CRLs; its policy should check validity at the signing time,
    /// <see cref="ValidityTime.SigningTime"/>) and the pinned hub signing certificate(s). Unpinned,
    /// the bundle does not hold (<see cref="Unpinned"/>). Peer hubs' receipts are checked against the
    /// same trust, without the pin.</param>
    /// <returns>The verdict; never throws for a bad bundle.</returns>
    public static EvidenceVerdict Verify(byte[] zip, SignerCheck hub)
    {
        ArgumentNullException.ThrowIfNull(zip);
        ArgumentNullException.ThrowIfNull(hub);
        var proved = new List<string>();
        EvidenceVerdict Fail(string failure) => new(false, proved, failure);
        if (!hub.IsPinned || hub.Trust is not { } trust)
        {
            return Fail(hub.IsPinned ? "no trust root was given" : Unpinned);
        }

        var (bundle, problem) = EvidenceBundle.Read(zip);
        if (bundle is null)
        {
            return Fail(problem!);
        }

        proved.Add($"the bundle is canonical ({zip.Length} bytes, format {EvidenceBundle.Format}) and holds exactly the files its manifest names");

        // The bundle's certificate chain helps build the hub's chain; it is never trusted by itself.
        var hubSigner = hub with { ExtraCertificates = [.. hub.ExtraCertificates, .. bundle.Certificates] };
        var checkpoints = new Dictionary<string, Checkpoint>(StringComparer.Ordinal);
        foreach (var (name, xml) in bundle.Checkpoints.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var verdict = Checkpoint.Verify(xml, hubSigner);
            if (!verdict.IsValid || !verdict.IsTrusted)
            {
                return Fail($"{name}: {verdict.Problem}");
            }

            var checkpoint = verdict.Checkpoint!;
            if (checkpoint.Hub != bundle.Hub)
            {
                return Fail($"{name}: signed by hub {checkpoint.Hub}, but the bundle is hub {bundle.Hub}'s");
            }

            if (name != EvidenceBundle.CheckpointFile(checkpoint))
            {
                return Fail($"{name}: the file holds checkpoint {checkpoint.Range}");
            }

            if (CertificateProblem(verdict.Signer!, bundle) is { } certificate)
            {
                return Fail($"{name}: {certificate}");
            }

            checkpoints[name] = checkpoint;
            proved.Add($"checkpoint {checkpoint.Range} ({checkpoint.Count} entries, head {checkpoint.Head}) is signed by {verdict.Signer!.Subject}, the pinned hub certificate, trusted, for hub {checkpoint.Hub}");
        }

        if (CompletenessProblem(bundle, hubSigner, checkpoints.Values, proved) is { } incomplete)
        {
            return Fail(incomplete);
        }

        long previous = long.MinValue;
        foreach (var e in bundle.Entries)
        {
            var seq = e.Entry.Seq;
            if (seq <= previous)
            {
                return Fail($"ledger entry {seq}: entries are not in ascending order");
            }

            previous = seq;
            if (e.Entry.DocumentId != bundle.DocumentId)
            {
                return Fail($"ledger entry {seq}: it is about DocumentId {e.Entry.DocumentId}, not {bundle.DocumentId}");
            }

            if (PathProblem(e, checkpoints) is { } path)
            {
                return Fail($"ledger entry {seq}: {path}");
            }
        }

        proved.Add($"{bundle.Entries.Count} ledger entries ({string.Join(", ", bundle.Entries.Select(e => e.Entry.Seq))}): each content hash recomputed, each linked by its hash path to its checkpoint's signed head");

        foreach (var package in bundle.Packages)
        {
            if (PackageProblem(package, bundle, hubSigner) is { } failure)
            {
                return Fail($"package {package.Id}: {failure}");
            }

            proved.Add($"package {package.Id} ({package.Kind} from {package.From}, {package.Size} bytes): "
                + (package.Body is null ? "content not included; its " : "its bytes hash to ")
                + $"sha256 {package.Sha256}, as ledger entry {package.ReceivedSeq} records and the hub's signed receipt states");
        }

        foreach (var e in bundle.Entries.Where(e => e.Entry.Kind == LedgerKind.PackageReceived))
        {
            if (bundle.Packages.All(p => p.ReceivedSeq != e.Entry.Seq))
            {
                return Fail($"ledger entry {e.Entry.Seq}: a package.received entry without its package and receipt in the bundle");
            }

            if (EvidenceBundle.DetailString(e.Entry.Detail, LedgerDetailKeys.PreviousReceiptSha256) is { } previousReceipt)
            {
                proved.Add($"package of ledger entry {e.Entry.Seq} came from another hub, whose receipt for it has sha256 {previousReceipt} (recorded in the sealed entry)");
            }
        }

        foreach (var (seq, receipt) in bundle.PeerReceipts())
        {
            if (PeerProblem(seq, receipt, bundle, trust) is { } peer)
            {
                return Fail($"{EvidenceBundle.PeerReceiptFile(seq)}: {peer}");
            }

            var content = ReceiptContent.TryRead(receipt)!;
            proved.Add($"the next hub {content.Hub} took the package at {LedgerChain.FormatAt(content.ReceivedAt)} (its ledger entry {content.LedgerSeq}); its signed receipt is recorded in ledger entry {seq}");
        }

        return new EvidenceVerdict(true, proved, null);
    }

    private static string? PathProblem(EvidenceEntry e, IReadOnlyDictionary<string, Checkpoint> checkpoints)
    {
        if (!checkpoints.TryGetValue(e.Checkpoint, out var checkpoint))
        {
            return $"its checkpoint {e.Checkpoint} is not in the bundle";
        }

        if (e.Entry.Seq < checkpoint.FirstSeq || e.Entry.Seq > checkpoint.LastSeq)
        {
            return $"checkpoint {checkpoint.Range} does not cover it";
        }

        byte[] content;
        try
        {
            content = LedgerChain.ContentHash(e.Entry);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return $"detail is not JSON: {ex.Message}";
        }

        if (LedgerChain.Hex(content) != e.ContentHash)
        {
            return $"content hash differs: sealed {e.ContentHash}, the entry hashes to {LedgerChain.Hex(content)}";
        }

        if (e.Entry.Seq == checkpoint.FirstSeq && e.PreviousHead != checkpoint.PreviousHead)
        {
            return $"it opens checkpoint {checkpoint.Range}, whose previous head is {checkpoint.PreviousHead}, not {e.PreviousHead}";
        }

        if (e.Following.Count > checkpoint.Count - 1 || (e.Entry.Seq == checkpoint.LastSeq) != (e.Following.Count == 0))
        {
            return $"its hash path has {e.Following.Count} later entries, which checkpoint {checkpoint.Range} cannot hold after seq {e.Entry.Seq}";
        }

        byte[] head;
        try
        {
            head = LedgerChain.Link(Convert.FromHexString(e.PreviousHead), content);
            if (LedgerChain.Hex(head) != e.ChainHash)
            {
                return $"chain hash differs: sealed {e.ChainHash}, recomputed {LedgerChain.Hex(head)}";
            }

            foreach (var following in e.Following)
            {
                head = LedgerChain.Link(head, Convert.FromHexString(following));
            }
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return $"its hash path is malformed: {ex.Message}";
        }

        return LedgerChain.Hex(head) == checkpoint.Head
            ? null
            : $"its hash path leads to {LedgerChain.Hex(head)}, not to checkpoint {checkpoint.Range}'s signed head {checkpoint.Head}";
    }

    private static string? PackageProblem(EvidencePackage package, EvidenceBundle bundle, SignerCheck hubSigner)
    {
        var received = bundle.Entries.FirstOrDefault(e => e.Entry.Seq == package.ReceivedSeq);
        if (received is null || received.Entry.Kind != LedgerKind.PackageReceived || received.Entry.PackageId != package.Id)
        {
            return $"ledger entry {package.ReceivedSeq} is not in the bundle as this package's package.received";
        }

        if (EvidenceBundle.DetailString(received.Entry.Detail, "sha256") is not { } recorded || recorded != package.Sha256)
        {
            return $"ledger entry {package.ReceivedSeq} records sha256 {EvidenceBundle.DetailString(received.Entry.Detail, "sha256")}, the manifest {package.Sha256}";
        }

        if (package.Body is { } body)
        {
            var actual = Convert.ToHexStringLower(SHA256.HashData(body));
            if (actual != package.Sha256 || body.Length != package.Size)
            {
                return $"its bytes ({body.Length}) hash to {actual}, but ledger entry {package.ReceivedSeq} records {package.Sha256} ({package.Size} bytes)";
            }
        }

        var content = ReceiptContent.TryRead(package.Receipt);
        if (content is null)
        {
            return "its receipt is not a hub receipt";
        }

        var signature = SignedXmlDocument.Verify(package.Receipt, hubSigner, content.ReceivedAt);
        if (!signature.IsValid || !signature.IsTrusted)
        {
            return $"receipt signature: {signature.Problem}";
        }

        if (CertificateProblem(signature.Signer!, bundle) is { } certificate)
        {
            return $"receipt: {certificate}";
        }

        if (content.Hub != bundle.Hub || content.Sha256 != package.Sha256 || content.Size != package.Size
            || content.LedgerSeq != package.ReceivedSeq || content.DocumentId != bundle.DocumentId || content.From != package.From)
        {
            return $"the receipt states hub {content.Hub}, sha256 {content.Sha256}, {content.Size} bytes, ledger entry {content.LedgerSeq}, "
                + $"DocumentId {content.DocumentId}, from {content.From}: not what the bundle records";
        }

        return null;
    }

    private static string? PeerProblem(long seq, byte[] receipt, EvidenceBundle bundle, ICertificateTrust trust)
    {
        var content = ReceiptContent.TryRead(receipt);
        if (content is null)
        {
            return "not a hub receipt";
        }

        var signature = SignedXmlDocument.Verify(receipt, new SignerCheck(trust), content.ReceivedAt);
        if (!signature.IsValid || !signature.IsTrusted)
        {
            return $"signature: {signature.Problem}";
        }

        var entry = bundle.Entries.First(e => e.Entry.Seq == seq);
        var package = bundle.Packages.FirstOrDefault(p => p.Id == entry.Entry.PackageId);
        return package is null || content.Sha256 != package.Sha256 || content.DocumentId != bundle.DocumentId
            ? $"the peer's receipt is for sha256 {content.Sha256} of {content.DocumentId}, not the package ledger entry {seq} forwarded"
            : null;
    }

    /// <summary>A signer must be in the bundle's certificate chain, so that the chain file says truthfully who signed.</summary>
    private static string? CertificateProblem(X509Certificate2 signer, EvidenceBundle bundle) =>
        bundle.Certificates.Any(c => c.RawData.AsSpan().SequenceEqual(signer.RawData))
            ? null
            : $"its signer {signer.Subject} is not in {EvidenceBundle.CertificatesFile}";
}
