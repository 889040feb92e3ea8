using System.Data;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Signatures;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Evidence;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Receipts;
using Lgsp.Postgres.Ledger;
using Npgsql;

namespace Lgsp.Postgres.Evidence;

/// <summary>Builds a document's evidence bundle from the database: its packages (or only their
/// hashes), their ledger entries with seal records and hash paths, the checkpoints covering them and
/// the ledger's latest one, the hub's receipts and certificate chain, and the export statement
/// signed with the hub's key (<see cref="EvidenceStatement"/>: every entry and package of the
/// document up to the latest checkpoint). Reads in one repeatable-read snapshot.</summary>
/// <remarks>Thread safe: every call takes its own connection. Entries not yet sealed are refused
/// (<see cref="EntriesNotSealedException"/>) rather than sealed here: sealing belongs to the running
/// hub's sealer. The statement is signed with the signing certificate the caller gives, which must be
/// the hub's own (the one its checkpoints are pinned to), or the bundle will not verify.</remarks>
public sealed class PostgresEvidenceExport(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>The bundle of <paramref name="documentId"/>.</summary>
    /// <param name="documentId">The document.</param>
    /// <param name="includeContent">False exports only the packages' hashes.</param>
    /// <param name="signer">The hub's signing certificate, with its private key.</param>
    /// <param name="signerChain">Its issuing certificates, carried in the statement's signature.</param>
    /// <param name="ct">Cancels.</param>
    /// <exception cref="ExchangeException"><c>NotFound</c>: no package has that DocumentId.</exception>
    /// <exception cref="EntriesNotSealedException">An entry of the document is not sealed yet.</exception>
    public async Task<EvidenceBundle> ExportAsync(string documentId, bool includeContent, X509Certificate2 signer,
        IReadOnlyList<X509Certificate2> signerChain, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(signerChain);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);

        var packages = new List<EvidencePackage>();
        await using (var command = new NpgsqlCommand("""
            SELECT id, kind, from_agency, sha256, size, CASE WHEN $2 THEN body END, receipt, ledger_seq
            FROM lgsp.package WHERE document_id = $1 ORDER BY id
            """, connection, tx))
        {
            command.Parameters.AddWithValue(documentId);
            command.Parameters.AddWithValue(includeContent);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                packages.Add(new EvidencePackage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                    Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(3)), reader.GetInt32(4), reader.GetInt64(7),
                    reader.GetFieldValue<byte[]>(6), reader.IsDBNull(5) ? null : reader.GetFieldValue<byte[]>(5)));
            }
        }

        if (packages.Count == 0)
        {
            throw ExchangeException.Of(HubErrorCode.NotFound, "DocumentId", "DocumentId", documentId);
        }

        var sealedEntries = new List<(LedgerEntry Entry, byte[]? Content, byte[]? Chain, long? CheckpointId)>();
        await using (var command = new NpgsqlCommand($"""
            SELECT {PostgresLedger.EntryColumns}, s.content_hash, s.chain_hash, s.checkpoint_id
            FROM lgsp.ledger l LEFT JOIN lgsp.ledger_seal s ON s.seq = l.seq
            WHERE l.document_id = $1 AND l.package_id = ANY($2)
            ORDER BY l.seq
            """, connection, tx))
        {
            command.Parameters.AddWithValue(documentId);
            command.Parameters.AddWithValue(packages.Select(p => p.Id).ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var entry = PostgresLedger.ReadEntry(reader, 0);
                sealedEntries.Add(reader.IsDBNull(8)
                    ? (entry, null, null, null)
                    : (entry, reader.GetFieldValue<byte[]>(8), reader.GetFieldValue<byte[]>(9), reader.GetInt64(10)));
            }
        }

        var unsealed = sealedEntries.Where(e => e.CheckpointId is null).ToList();
        if (unsealed.Count > 0)
        {
            throw new EntriesNotSealedException(unsealed.Count, unsealed[0].Entry.Seq);
        }

        var checkpoints = new Dictionary<long, (Checkpoint Checkpoint, byte[] Xml)>();
        await using (var command = new NpgsqlCommand("SELECT id, xml FROM lgsp.checkpoint WHERE id = ANY($1)", connection, tx))
        {
            command.Parameters.AddWithValue(sealedEntries.Select(e => e.CheckpointId!.Value).Distinct().ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var xml = reader.GetFieldValue<byte[]>(1);
                var stated = Checkpoint.Verify(xml, SignerCheck.SignatureOnly).Checkpoint
                    ?? throw new InvalidDataException($"Checkpoint {reader.GetInt64(0)} in the database does not verify; run lgsp audit verify-ledger.");
                checkpoints[reader.GetInt64(0)] = (stated, xml);
            }
        }

        var entries = new List<EvidenceEntry>();
        foreach (var (entry, content, chain, checkpointId) in sealedEntries)
        {
            var (checkpoint, _) = checkpoints[checkpointId!.Value];
            var (previous, following) = await HashPathAsync(connection, tx, entry.Seq, checkpoint, ct);
            entries.Add(new EvidenceEntry(entry, LedgerChain.Hex(content), LedgerChain.Hex(chain), EvidenceBundle.CheckpointFile(checkpoint), previous, following));
        }

        // The ledger's head at export: the statement says the entries above are all there are up to it.
        byte[] headXml;
        await using (var command = new NpgsqlCommand("SELECT xml FROM lgsp.checkpoint ORDER BY last_seq DESC LIMIT 1", connection, tx))
        {
            headXml = (byte[])(await command.ExecuteScalarAsync(ct))!;
        }

        var head = Checkpoint.Verify(headXml, SignerCheck.SignatureOnly).Checkpoint
            ?? throw new InvalidDataException("The ledger's latest checkpoint in the database does not verify; run lgsp audit verify-ledger.");

        var intermediates = new List<X509Certificate2>();
        await using (var command = new NpgsqlCommand("SELECT certificate FROM lgsp.trust_certificate WHERE kind = 'intermediate' ORDER BY sha256", connection, tx))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                intermediates.Add(X509CertificateLoader.LoadCertificate(reader.GetFieldValue<byte[]>(0)));
            }
        }

        await tx.CommitAsync(ct);

        var signed = packages.Select(p => p.Receipt).Concat(checkpoints.Values.Select(c => c.Xml));
        return new EvidenceBundle(head.Hub, documentId, clock.GetUtcNow(), packages, entries,
            checkpoints.Values.ToDictionary(c => EvidenceBundle.CheckpointFile(c.Checkpoint), c => c.Xml),
            HubChain([.. signed.Append(headXml).SelectMany(SignedXmlDocument.Certificates)], intermediates))
            .SignedBy(new HubIdentity(head.Hub, signer, signerChain), head, headXml);
    }

    /// <summary>The certificates the signatures carry, then the hub's trusted intermediates that issued
    /// any of them (a hub configured without its chain signs with its certificate alone, and a
    /// verifier holding only the root still needs the way to it).</summary>
    private static List<X509Certificate2> HubChain(IReadOnlyList<X509Certificate2> carried, IReadOnlyList<X509Certificate2> intermediates)
    {
        var chain = new List<X509Certificate2>();
        void Add(X509Certificate2 certificate)
        {
            if (!chain.Any(c => c.RawData.AsSpan().SequenceEqual(certificate.RawData)))
            {
                chain.Add(certificate);
            }
        }

        foreach (var certificate in carried)
        {
            Add(certificate);
        }

        for (var i = 0; i < chain.Count; i++)
        {
            foreach (var issuer in intermediates.Where(c => c.SubjectName.RawData.AsSpan().SequenceEqual(chain[i].IssuerName.RawData)
                && !c.SubjectName.RawData.AsSpan().SequenceEqual(chain[i].SubjectName.RawData)))
            {
                Add(issuer);
            }
        }

        return chain;
    }

    /// <summary>The chain hash before the entry (the sealed entry before it in its checkpoint, or the
    /// checkpoint's previous head) and the content hashes of the checkpoint's later entries.</summary>
    private static async Task<(string Previous, IReadOnlyList<string> Following)> HashPathAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        long seq, Checkpoint checkpoint, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT chain_hash FROM lgsp.ledger_seal WHERE seq >= $2 AND seq < $1 ORDER BY seq DESC LIMIT 1),
                   coalesce((SELECT array_agg(content_hash ORDER BY seq) FROM lgsp.ledger_seal WHERE seq > $1 AND seq <= $3), '{}')
            """, connection, tx);
        command.Parameters.AddWithValue(seq);
        command.Parameters.AddWithValue(checkpoint.FirstSeq);
        command.Parameters.AddWithValue(checkpoint.LastSeq);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var previous = reader.IsDBNull(0) ? checkpoint.PreviousHead : LedgerChain.Hex(reader.GetFieldValue<byte[]>(0));
        return (previous, [.. reader.GetFieldValue<byte[][]>(1).Select(h => LedgerChain.Hex(h))]);
    }
}
