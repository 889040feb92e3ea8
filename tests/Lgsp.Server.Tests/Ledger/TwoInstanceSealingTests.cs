using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Trust;
using Lgsp.Postgres.Ledger;
using Lgsp.Postgres.Storage;
using Lgsp.Server.Demo;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;
using Npgsql;
using Xunit.Abstractions;

namespace Lgsp.Server.Tests.Ledger;

/// <summary>Two real server processes on one database, both sealing every 200 ms, under concurrent
/// sends to both: afterwards the ledger is one chain, every entry sealed exactly once, checkpoints
/// contiguous and signed by the hub.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoInstanceSealingTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly string[] Agencies = [.. DemoProvince.Agencies.Select(a => a.Code)];

    [Fact(Timeout = 240_000)]
    public async Task Two_instances_sealing_under_concurrent_sends_keep_one_valid_chain_with_every_entry_sealed_once()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var shared = Directory.CreateTempSubdirectory("lgsp-seal-").FullName;
        DemoSetup demo;
        await using (var data = NpgsqlDataSource.Create(connectionString))
        {
            demo = await DemoProvince.SeedAsync(new PostgresDirectoryStore(data, TimeProvider.System), Path.Combine(shared, "pki"), "http://127.0.0.1",
                Exchange.Directory.SecretBox.LoadOrCreate(Path.Combine(shared, "secret.key")));
        }

        Dictionary<string, string?> Settings(string name) => new()
        {
            ["ConnectionStrings:Lgsp"] = connectionString,
            ["Hub:DataDirectory"] = Directory.CreateDirectory(Path.Combine(shared, name)).FullName,
            ["Hub:CertificatePath"] = Path.Combine(shared, "pki", DemoProvince.HubCertificate + ".pem"),
            ["Hub:CertificateKeyPath"] = Path.Combine(shared, "pki", DemoProvince.HubCertificate + ".key.pem"),
            ["Hub:CertificateChainPath"] = Path.Combine(shared, "pki", "intermediate.pem"),
            ["Hub:SecretKeyPath"] = Path.Combine(shared, "secret.key"),
            ["Hub:Ledger:SealInterval"] = "00:00:00.200",
            ["Hub:Ledger:BatchSize"] = "50",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };

        await using var first = await HubProcess.StartAsync(Settings("a"), shared);
        await using var second = await HubProcess.StartAsync(Settings("b"), shared);
        int successes;
        await using (var toFirst = new SendBurst())
        await using (var toSecond = new SendBurst())
        {
            // Each burst numbers its documents from 1, so the two send for different agencies.
            var half = demo.Systems.Count / 2;
            toFirst.Start(first.SoapUri, demo with { Systems = [.. demo.Systems.Take(half)] }, 4, RecipientsOf);
            toSecond.Start(second.SoapUri, demo with { Systems = [.. demo.Systems.Skip(half)] }, 4, RecipientsOf);
            await toFirst.WaitAsync(TimeSpan.FromSeconds(4), successes: 30, timeout: TimeSpan.FromSeconds(60));
            await toSecond.WaitAsync(TimeSpan.FromSeconds(4), successes: 30, timeout: TimeSpan.FromSeconds(60));
            await toFirst.StopAsync();
            await toSecond.StopAsync();
            successes = toFirst.Successes + toSecond.Successes;
            Assert.All(toFirst.Records.Concat(toSecond.Records), r => Assert.True(r.Succeeded, r.Failure));
        }

        // A graceful stop seals what is left: nothing stays unsealed.
        Assert.Equal(0, await first.StopAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, await second.StopAsync(TimeSpan.FromSeconds(60)));

        await using var database = NpgsqlDataSource.Create(connectionString);
        var trust = new CertificateTrust(new TrustOptions { Roots = TrustMaterial.LoadCertificates(Path.Combine(shared, "pki", "root.pem")) });
        var hubCertificate = TrustMaterial.LoadCertificates(Path.Combine(shared, "pki", Lgsp.Server.Demo.DemoProvince.HubCertificate + ".pem"));
        var verdict = await new PostgresLedger(database).VerifyAsync(new SignerCheck(trust).PinnedTo(hubCertificate));
        var entries = (long)(await Scalar(database, "SELECT count(*) FROM lgsp.ledger"))!;
        output.WriteLine($"{successes} documents accepted through two instances; {entries} ledger entries in "
            + $"{verdict.Checkpoints} checkpoints; verdict: {verdict.Break?.ToString() ?? "holds"}");

        Assert.True(verdict.Holds, verdict.Break?.ToString());
        Assert.Equal(0, verdict.Unsealed);
        Assert.Equal(entries, verdict.SealedEntries);
        Assert.True(entries >= successes * 4, $"{entries} entries for {successes} documents of 3 recipients each");
        Assert.Equal(0L, await Scalar(database, "SELECT count(*) FROM lgsp.ledger l LEFT JOIN lgsp.ledger_seal s ON s.seq = l.seq WHERE s.seq IS NULL"));
        Assert.Equal(entries, await Scalar(database, "SELECT count(*) FROM lgsp.ledger_seal"));
        Assert.Equal(entries, await Scalar(database, "SELECT sum(count)::bigint FROM lgsp.checkpoint"));
        Assert.Equal(0L, await Scalar(database, """
            SELECT count(*) FROM (SELECT first_seq, previous_head, lag(last_seq) OVER w AS prev_last, lag(head) OVER w AS prev_head
                                  FROM lgsp.checkpoint WINDOW w AS (ORDER BY first_seq)) c
            WHERE c.prev_last IS NOT NULL AND (c.first_seq <= c.prev_last OR c.previous_head <> c.prev_head)
            """));
    }

    private static IReadOnlyList<string> RecipientsOf(string from)
    {
        var others = Agencies.Where(a => a != from).ToList();
        var start = Array.IndexOf(Agencies, from);
        return [.. Enumerable.Range(0, 3).Select(k => others[(start + k) % others.Count])];
    }

    private static async Task<object?> Scalar(NpgsqlDataSource data, string sql)
    {
        await using var command = data.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }
}
