using Lgsp.Edxml.Signatures;
using Lgsp.Exchange.Ledger;

namespace Lgsp.Exchange.Evidence;

/// <summary>The bundle is complete: the hub's signed export statement lists exactly its entries and packages.</summary>
public static partial class EvidenceVerifier
{
    /// <summary>Checks the export statement: signed by the pinned hub key, for this hub and document,
    /// its head signed by a checkpoint in the bundle, and listing exactly the bundle's packages and
    /// entries. An entry or package the statement lists and the bundle lacks is named (the gap).</summary>
    private static string? CompletenessProblem(EvidenceBundle bundle, SignerCheck hubSigner, IEnumerable<Checkpoint> checkpoints, List<string> proved)
    {
        const string File = EvidenceBundle.StatementFile;
        var (statement, trusted, problem) = EvidenceStatement.Verify(bundle.Statement!, hubSigner);
        if (statement is null || !trusted)
        {
            return $"{File}: {problem}";
        }

        if (statement.Hub != bundle.Hub || statement.DocumentId != bundle.DocumentId
            || LedgerChain.FormatAt(statement.ExportedAt) != LedgerChain.FormatAt(bundle.ExportedAt))
        {
            return $"{File}: it states hub {statement.Hub}, DocumentId {statement.DocumentId}, exported at {LedgerChain.FormatAt(statement.ExportedAt)}: not the bundle's";
        }

        var head = checkpoints.FirstOrDefault(c => c.LastSeq == statement.HeadSeq);
        if (head is null || head.Head != statement.Head)
        {
            return $"{File}: its ledger head {statement.Head} after seq {statement.HeadSeq} is not the head of a signed checkpoint in the bundle";
        }

        var entries = bundle.Entries.Select(e => e.Entry.Seq).ToHashSet();
        var up = $"the hub's signed export statement lists {Plural(statement.Entries.Count, "entry", "entries")} about the document up to seq {statement.HeadSeq} "
            + $"({EvidenceStatement.List(statement.Entries)}), the bundle holds {EvidenceStatement.List(bundle.Entries.Select(e => e.Entry.Seq))}";
        if (statement.Entries.Where(seq => !entries.Contains(seq)).Select(seq => (long?)seq).FirstOrDefault() is { } missing)
        {
            return $"ledger entry {missing} is missing from the bundle: {up}";
        }

        if (entries.Except(statement.Entries).Order().Select(seq => (long?)seq).FirstOrDefault() is { } extra)
        {
            return $"ledger entry {extra} is not listed by the export statement: {up}";
        }

        var packages = bundle.Packages.Select(p => p.Id).ToHashSet();
        if (statement.Packages.Where(id => !packages.Contains(id)).Select(id => (long?)id).FirstOrDefault() is { } lost)
        {
            return $"package {lost} is missing from the bundle: the hub's signed export statement lists packages {EvidenceStatement.List(statement.Packages)}";
        }

        if (packages.Except(statement.Packages).Order().Select(id => (long?)id).FirstOrDefault() is { } unlisted)
        {
            return $"package {unlisted} is not listed by the export statement (packages {EvidenceStatement.List(statement.Packages)})";
        }

        proved.Add($"the bundle is complete: the hub's signed export statement (pinned key) says that at ledger head {statement.Head} after seq {statement.HeadSeq}, "
            + $"the document had exactly these {Plural(statement.Entries.Count, "entry", "entries")} and {Plural(statement.Packages.Count, "package", "packages")}");
        return null;
    }

    private static string Plural(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";
}
