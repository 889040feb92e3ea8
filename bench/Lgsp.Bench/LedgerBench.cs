using System.Diagnostics;
using System.Globalization;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Receipts;
using Lgsp.Postgres.Ledger;
using Npgsql;

namespace Lgsp.Bench;

/// <summary>The ledger benchmark: write N entries shaped like <c>package.received</c> in one
/// statement, seal them (5 000 per signed checkpoint), then re-walk the whole chain and every
/// checkpoint signature as <c>lgsp audit verify-ledger</c> does (the same routine), on a durable
/// private cluster.</summary>
internal static class LedgerBench
{
    public static async Task RunAsync(int entries)
    {
        var root = AcceptBench.NewRoot("lgsp-bench-ledger-");
        await using var cluster = await AcceptBench.StartClusterAsync(root);
        await using var data = NpgsqlDataSource.Create(cluster.ConnectionString);
        using var pki = TestPki.Create("Ledger bench");
        var hub = new HubIdentity("bench", pki.IssueOrganization("000.00.00.H56", "LGSP bench hub"), [pki.Intermediate]);
        var trust = new CertificateTrust(new TrustOptions { Roots = [pki.Root] });

        var watch = Stopwatch.StartNew();
        await using (var insert = data.CreateCommand("""
            INSERT INTO lgsp.ledger (at, kind, actor, package_id, document_id, detail)
            SELECT now(), 'package.received', 'qlvb-bench', g, '000.00.01.H56,2026/11/23,' || g || '/BENCH',
                   jsonb_build_object('kind', 'document', 'system', 'qlvb-bench', 'from', '000.00.01.H56', 'documentId', '000.00.01.H56,2026/11/23,' || g || '/BENCH',
                                      'sha256', encode(sha256(g::text::bytea), 'hex'), 'size', 100000 + g, 'policy', 'strict', 'signature', 'valid',
                                      'signer', 'CN=Sở Tài chính tỉnh Thanh Hóa, O=UBND tỉnh Thanh Hóa')
            FROM generate_series(1, $1) g
            """))
        {
            insert.CommandTimeout = 0;
            insert.Parameters.AddWithValue(entries);
            await insert.ExecuteNonQueryAsync();
        }

        var written = watch.Elapsed;
        watch.Restart();
        var sealedResult = await new PostgresLedgerSealer(data, TimeProvider.System).SealAsync(hub);
        var sealing = watch.Elapsed;
        watch.Restart();
        var verdict = await new PostgresLedger(data).VerifyAsync(new Lgsp.Edxml.Signatures.SignerCheck(trust).PinnedTo([hub.Certificate]));
        var verifying = watch.Elapsed;
        if (!verdict.Holds)
        {
            throw new InvalidOperationException($"The untouched ledger does not verify: {verdict.Break}");
        }

        string S(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        string Rate(TimeSpan t) => (entries / t.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture);
        Console.WriteLine($"## Ledger benchmark, {DateTime.Now:yyyy-MM-dd}, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| step | entries | checkpoints | time | entries/s |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine($"| write (one INSERT ... SELECT generate_series) | {entries} | | {S(written)} s | {Rate(written)} |");
        Console.WriteLine($"| seal (chain, sign, store) | {sealedResult.Entries} | {sealedResult.Checkpoints} | {S(sealing)} s | {Rate(sealing)} |");
        Console.WriteLine($"| verify (stream, re-hash, every signature) | {verdict.SealedEntries} | {verdict.Checkpoints} | {S(verifying)} s | {Rate(verifying)} |");
        Console.WriteLine();
        Console.WriteLine($"Head {verdict.Head}; peak working set {Environment.WorkingSet / 1024 / 1024} MiB (this process).");
    }
}
