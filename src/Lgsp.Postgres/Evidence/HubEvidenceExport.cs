using Lgsp.Exchange.Evidence;
using Lgsp.Exchange.Receipts;

namespace Lgsp.Postgres.Evidence;

/// <summary><see cref="IEvidenceExport"/> inside the running hub: the export statement is signed with
/// the hub's own identity (the certificate its checkpoints are pinned to), as <c>lgsp audit evidence</c>
/// signs with the key it is given.</summary>
/// <param name="export">The export.</param>
/// <param name="hub">The hub's identity, with its private key.</param>
public sealed class HubEvidenceExport(PostgresEvidenceExport export, HubIdentity hub) : IEvidenceExport
{
    /// <inheritdoc />
    public Task<EvidenceBundle> ExportAsync(string documentId, bool includeContent, CancellationToken ct = default) =>
        export.ExportAsync(documentId, includeContent, hub.Certificate, hub.Chain, ct);
}
