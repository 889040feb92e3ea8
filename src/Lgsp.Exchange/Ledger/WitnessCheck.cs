using Lgsp.Edxml.Signatures;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Ledger;

/// <summary>What <see cref="WitnessCheck.RunAsync"/> found.</summary>
/// <param name="Problem">The first problem (a countersignature that does not hold, one for another hub,
/// or the first witnessed head the ledger no longer reaches); null when every head matches.</param>
/// <param name="BreakSeq">The witnessed position that no longer matches, when that is the problem.</param>
/// <param name="Matched">Witnessed heads compared and found matching.</param>
/// <param name="Recorded">Heads the witness recorded in its own ledger, or countersignatures it gave over its channel (given by the caller).</param>
/// <param name="Countersignatures">Countersignatures stored by the audited hub that were checked and compared.</param>
/// <param name="EntriesWalked">Ledger entries recomputed from genesis.</param>
public sealed record WitnessCheckVerdict(string? Problem, long? BreakSeq, int Matched, int Recorded, int Countersignatures, long EntriesWalked)
{
    /// <summary>Every witnessed head matches.</summary>
    public bool Holds => Problem is null;
}

/// <summary>
/// The witness check (docs/audit.md, "what witnessing adds"), one implementation for
/// <c>lgsp audit witness-check</c> and the console's audit screen: each countersignature the audited
/// hub stored must be signed by the witness's pinned certificate and be for the audited hub; then the
/// hub's chain is recomputed from genesis over its current ledger and compared, with
/// <see cref="WitnessedHeadCheck"/>, with every head the witness recorded and every countersigned one.
/// </summary>
/// <remarks>The CLI gives the heads read from the parent's database too; the console, which reaches only
/// its own hub's database, gives none and compares the countersignatures the hub stored.</remarks>
public static class WitnessCheck
{
    /// <summary>Runs the check.</summary>
    /// <param name="recorded">Heads the witness recorded (from its database); may be empty.</param>
    /// <param name="stored">The countersignatures the audited hub stored.</param>
    /// <param name="signer">Who may have countersigned: pinned to the witness's certificate.</param>
    /// <param name="chainsChecked">True when <paramref name="signer"/> carries trust roots, so that a
    /// countersignature must also chain to them.</param>
    /// <param name="auditedHub">The audited hub's id, when known: a countersignature for another hub is a problem.</param>
    /// <param name="entries">The audited hub's ledger entries in ascending seq, through the seq given.</param>
    /// <param name="progress">Told the seq of each entry walked; may be null.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="issued">Countersignatures the witness gave over the hub-to-hub channel
    /// (<c>getCountersignatures</c>); checked exactly as the stored ones, then compared as heads the
    /// witness vouches for. Null or empty when the heads come from its database.</param>
    /// <exception cref="ArgumentException"><paramref name="signer"/> is not pinned: any certificate under
    /// the roots would be taken for the witness's.</exception>
    public static async Task<WitnessCheckVerdict> RunAsync(IReadOnlyList<WitnessedHead> recorded, IReadOnlyList<StoredCountersignature> stored,
        SignerCheck signer, bool chainsChecked, string? auditedHub, Func<long, CancellationToken, IAsyncEnumerable<LedgerEntry>> entries,
        IProgress<long>? progress, CancellationToken ct = default, IReadOnlyList<StoredCountersignature>? issued = null)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(entries);
        if (!signer.IsPinned)
        {
            throw new ArgumentException("The witness check needs the witness's certificate pinned.", nameof(signer));
        }

        issued ??= [];
        var heads = new List<WitnessedHead>(recorded);
        var countersignatures = 0;
        var witnessSide = recorded.Count + issued.Count;
        foreach (var (one, given) in stored.Select(one => (one, false)).Concat(issued.Select(one => (one, true))))
        {
            var name = given ? $"countersignature given by witness {one.Witness}" : $"countersignature by {one.Witness}";
            var verdict = Witness.Verify(one.Xml, signer);
            if (verdict.Witness is not { } witness || (chainsChecked && !verdict.IsTrusted) || !signer.Admits(verdict.Signer!))
            {
                return new WitnessCheckVerdict($"{name} for seq {one.LastSeq} does not hold: {verdict.Problem}",
                    null, 0, witnessSide, countersignatures, 0);
            }

            if (auditedHub is not null && witness.Hub != auditedHub)
            {
                return new WitnessCheckVerdict($"{name} for seq {one.LastSeq} is for hub {witness.Hub}, not the audited hub {auditedHub}",
                    null, 0, witnessSide, countersignatures, 0);
            }

            heads.Add(new WitnessedHead(witness.Hub, witness.LastSeq, witness.Head, witness.WitnessHub, witness.WitnessedAt,
                given ? "countersignature given by the witness" : "countersignature stored by the hub"));
            countersignatures += given ? 0 : 1;
        }

        var check = new WitnessedHeadCheck(heads);
        long walked = 0;
        await foreach (var entry in entries(check.ThroughSeq, ct).WithCancellation(ct).ConfigureAwait(false))
        {
            walked++;
            progress?.Report(entry.Seq);
            if (check.Add(entry) is not null)
            {
                break;
            }
        }

        var found = check.Break ?? check.Complete();
        return new WitnessCheckVerdict(found?.Problem, found?.Seq, check.Matched, witnessSide, countersignatures, walked);
    }
}
