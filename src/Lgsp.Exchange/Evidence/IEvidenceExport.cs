namespace Lgsp.Exchange.Evidence;

/// <summary>Builds a document's evidence bundle (docs/audit.md, "Evidence bundles") signed by the running
/// hub: the console's download. The same export as <c>lgsp audit evidence</c>, which gives its key itself.</summary>
public interface IEvidenceExport
{
    /// <summary>The bundle of <paramref name="documentId"/>.</summary>
    /// <param name="documentId">The document.</param>
    /// <param name="includeContent">False exports only the packages' hashes.</param>
    /// <param name="ct">Cancels.</param>
    /// <exception cref="Errors.ExchangeException"><c>NotFound</c>: no package has that DocumentId.</exception>
    /// <exception cref="EntriesNotSealedException">An entry of the document is not sealed yet.</exception>
    Task<EvidenceBundle> ExportAsync(string documentId, bool includeContent, CancellationToken ct = default);
}

/// <summary>The document's ledger entries are not all sealed yet, so no checkpoint can vouch for them.</summary>
/// <param name="unsealed">How many entries wait.</param>
/// <param name="firstSeq">The first of them.</param>
public sealed class EntriesNotSealedException(int unsealed, long firstSeq)
    : Exception($"{unsealed} ledger {(unsealed == 1 ? "entry" : "entries")} of this document (from seq {firstSeq}) {(unsealed == 1 ? "is" : "are")} not sealed yet. "
        + "A running hub seals new entries within seconds: export again shortly. If the hub is stopped, start it (it seals on start and on shutdown).")
{
    /// <summary>How many entries wait.</summary>
    public int Unsealed { get; } = unsealed;
}
