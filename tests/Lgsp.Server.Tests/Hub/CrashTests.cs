using System.Diagnostics;
using Lgsp.Postgres.Storage;
using Lgsp.Server.Demo;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Peers;
using Lgsp.TestSupport.Postgres;
using Npgsql;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Lgsp.Server.Tests.Hub;

/// <summary>"Accepted means durable", tested the hard way: a real server process is killed with SIGKILL
/// during a burst of concurrent sends; a new process starts on the same database. Every send that got a
/// success answer is then stored exactly once with all its deliveries and ledger entries, and delivered;
/// nothing is half-stored; a send that failed but had committed answers Duplicate when sent again.</summary>
/// <remarks>The hub's PostgreSQL keeps running: this is a crash of the hub, not of the database (whose
/// durability is PostgreSQL's own).</remarks>
[Collection(PostgresCollection.Name)]
public sealed class CrashTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int Senders = 8;
    private const string PushAgency = "000.00.03.H56";
    private static readonly TimeSpan BurstBeforeKill = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan SendingAfterKill = TimeSpan.FromSeconds(0.5);
    private static readonly string[] Agencies = [.. DemoProvince.Agencies.Select(a => a.Code)];

    [Fact(Timeout = 180_000)]
    public async Task EverySendAnsweredBeforeASigKillIsStoredOnceAndDeliveredAfterRestart()
    {
        await CrashDuringABurstAsync(peer: null);
    }

    [Fact(Timeout = 180_000)]
    public async Task PushDeliveriesCutShortByASigKillReachThePeerAfterRestart()
    {
        await using var peer = await FakePushPeer.StartAsync(TimeSpan.FromMilliseconds(20));
        await CrashDuringABurstAsync(peer);
    }

    private async Task CrashDuringABurstAsync(FakePushPeer? peer)
    {
        var watch = Stopwatch.StartNew();
        var connectionString = await postgres.CreateDatabaseAsync();
        var directory = Directory.CreateTempSubdirectory("lgsp-crash-").FullName;
        DemoSetup demo;
        await using (var data = NpgsqlDataSource.Create(connectionString))
        {
            demo = await DemoProvince.SeedAsync(new PostgresDirectoryStore(data, TimeProvider.System), Path.Combine(directory, "pki"), "http://127.0.0.1",
                Exchange.Directory.SecretBox.LoadOrCreate(Path.Combine(directory, "keys", "secret.key")));
        }

        if (peer is not null)
        {
            await ExecuteAsync(connectionString, "UPDATE lgsp.agency SET push_endpoint = $1 WHERE code = $2", peer.Endpoint.ToString(), PushAgency);
        }

        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Lgsp"] = connectionString,
            ["Hub:DataDirectory"] = directory,
            ["Hub:CertificatePath"] = Path.Combine(directory, "pki", DemoProvince.HubCertificate + ".pem"),
            ["Hub:CertificateKeyPath"] = Path.Combine(directory, "pki", DemoProvince.HubCertificate + ".key.pem"),
            ["Hub:Delivery:PollInterval"] = "00:00:00.500",
            ["Hub:Delivery:FirstDelay"] = "00:00:01",
            ["Hub:Delivery:PushTimeout"] = "00:00:02",
            // A push cut short by the kill holds its delivery until its lease ends; then the reconciler
            // (every 2 s here, every minute by default) sends it again.
            ["Hub:Delivery:Lease"] = "00:00:04",
            // No hub is linked here, but the lease must outlast a call to one too.
            ["Hub:Parent:RequestTimeout"] = "00:00:03",
            ["Hub:Delivery:ReconcileGrace"] = "00:00:01",
            ["Hub:Delivery:ReconcileCron"] = "*/2 * * * * *",
            // A job-system lock the killed process held (the schedulers take theirs every poll) would
            // hold the reconciler back until it times out: a minute by default.
            ["Hub:Delivery:JobLockTimeout"] = "00:00:05",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };

        HubProcess? first = null;
        HubProcess? second = null;
        try
        {
            first = await HubProcess.StartAsync(settings, directory);
            output.WriteLine($"[{watch.Elapsed.TotalSeconds:0.0} s] hub process {first.ProcessId} ready on {first.BaseUri}");

            // The burst, and the kill in the middle of it.
            IReadOnlyList<SendRecord> sends;
            TimeSpan killedAt;
            var pushedBeforeRestart = 0;
            await using (var burst = new SendBurst())
            {
                burst.Start(first.SoapUri, demo, Senders, from => RecipientsOf(from, peer is not null));
                await burst.WaitAsync(BurstBeforeKill, successes: 20, timeout: TimeSpan.FromSeconds(30));
                killedAt = burst.Elapsed;
                await first.KillAsync();
                Assert.Equal(HubProcess.SigKillExitCode, first.ExitCode);
                pushedBeforeRestart = peer?.Received.Count ?? 0;
                await Task.Delay(SendingAfterKill);
                await burst.StopAsync();
                sends = [.. burst.Records];
            }

            var succeeded = sends.Where(s => s.Succeeded).ToList();
            var failed = sends.Where(s => !s.Succeeded).ToList();
            output.WriteLine($"[{watch.Elapsed.TotalSeconds:0.0} s] killed {first.ProcessId} (exit {first.ExitCode}) {killedAt.TotalSeconds:0.00} s into the burst: "
                + $"{sends.Count} sends, {succeeded.Count} answered success, {failed.Count} failed ({failed.Count(f => f.EndedAt < killedAt)} before the kill)");
            Assert.All(failed.Where(f => f.EndedAt < killedAt), f => Assert.Fail($"A send failed before the kill: {f.Failure}"));
            Assert.NotEmpty(failed);

            var staleLocks = await ScalarAsync(connectionString, "SELECT coalesce(string_agg(resource, ', '), 'none') FROM hangfire.lock");
            second = await HubProcess.StartAsync(settings, directory);
            output.WriteLine($"[{watch.Elapsed.TotalSeconds:0.0} s] hub process {second.ProcessId} ready on {second.BaseUri}; job locks the killed process left: {staleLocks}");

            // The database: every success-answered send stored once, complete; nothing else, nothing half.
            var stored = await ReadStoredAsync(connectionString);
            var bySha = sends.ToDictionary(s => s.Sha256);
            foreach (var send in succeeded)
            {
                var rows = stored.Where(p => p.From == send.From && p.DocumentId == send.DocumentId).ToList();
                var row = Assert.Single(rows);
                Assert.Equal(send.Sha256, row.Sha256);
                Assert.Equal(send.Sha256, send.Answer!.Sha256);
                Assert.Equal(send.DocumentId, send.Answer.DocumentId);
                Assert.False(send.Answer.Duplicate);
            }

            foreach (var row in stored)
            {
                Assert.True(bySha.TryGetValue(row.Sha256, out var send), $"Package {row.Id} ({row.DocumentId}) was never sent by this test.");
                AssertComplete(row, send!);
            }

            Assert.Equal(0L, await ScalarAsync(connectionString, """
                SELECT count(*) FROM lgsp.ledger l
                WHERE (l.package_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM lgsp.package p WHERE p.id = l.package_id))
                   OR (l.delivery_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM lgsp.delivery d WHERE d.id = l.delivery_id))
                """));

            // Failed sends: those that had committed answer Duplicate; the others are stored now.
            var storedShas = stored.Select(p => p.Sha256).ToHashSet();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var committedButFailed = 0;
            foreach (var send in failed)
            {
                var answer = await EdocHttp.SendDocumentAsync(http, second.SoapUri, send.System.Id, send.System.Secret, EdocHttp.SendDocumentEnvelope(send.Package));
                Assert.Equal(send.Sha256, answer.Sha256);
                Assert.Equal(send.DocumentId, answer.DocumentId);
                Assert.Equal(storedShas.Contains(send.Sha256), answer.Duplicate);
                committedButFailed += answer.Duplicate ? 1 : 0;
            }

            output.WriteLine($"[{watch.Elapsed.TotalSeconds:0.0} s] {stored.Count} packages stored after the crash, all complete; "
                + $"{committedButFailed} of {failed.Count} failed sends had committed and answered Duplicate when sent again");

            // After the resends, every send is stored once and complete.
            stored = await ReadStoredAsync(connectionString);
            Assert.Equal(sends.Count, stored.Count);
            Assert.All(stored, row => AssertComplete(row, bySha[row.Sha256]));

            // Delivered: every pull recipient gets the identical bytes ...
            var pulls = 0;
            foreach (var agency in Agencies.Where(a => peer is null || a != PushAgency))
            {
                var system = demo.Systems.Single(s => s.Agencies.Contains(agency));
                var expected = sends.Where(s => s.To.Contains(agency)).ToList();
                var pending = await EdocHttp.GetPendingDocumentsAsync(http, second.SoapUri, system.Id, system.Secret, agency);
                Assert.Equal(expected.Count, pending.Count);
                var byId = pending.ToDictionary(p => (p.From, p.DocumentId));
                await Parallel.ForEachAsync(expected, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (send, ct) =>
                {
                    var item = byId[(send.From, send.DocumentId)];
                    var bytes = await EdocHttp.GetDocumentAsync(http, second.SoapUri, system.Id, system.Secret, item.Id, ct);
                    Assert.Equal(send.Package, bytes);
                    Interlocked.Increment(ref pulls);
                });
            }

            Assert.Equal(0L, await ScalarAsync(connectionString, "SELECT count(*) FROM lgsp.delivery WHERE mode = 'pull' AND state <> 'delivered'"));
            output.WriteLine($"[{watch.Elapsed.TotalSeconds:0.0} s] {pulls} pull deliveries fetched, byte-identical");

            // ... and every push recipient too, at least once.
            if (peer is not null)
            {
                await AssertPushedAsync(connectionString, peer, sends, pushedBeforeRestart, watch);
            }
        }
        catch (Exception ex)
        {
            throw new XunitException(
                $"{ex.GetType().Name}: {ex.Message}{Environment.NewLine}"
                + $"--- first hub process output ---{Environment.NewLine}{first?.Output}{Environment.NewLine}"
                + $"--- second hub process output ---{Environment.NewLine}{second?.Output}",
                ex);
        }
        finally
        {
            if (second is not null)
            {
                await second.DisposeAsync();
            }

            if (first is not null)
            {
                await first.DisposeAsync();
            }

            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // The temporary folder is cleaned up by the system.
            }
        }
    }

    private async Task AssertPushedAsync(string connectionString, FakePushPeer peer, IReadOnlyList<SendRecord> sends, int pushedBeforeRestart, Stopwatch watch)
    {
        var deadline = Stopwatch.StartNew();
        long open;
        while ((open = (long)(await ScalarAsync(connectionString, "SELECT count(*) FROM lgsp.delivery WHERE mode = 'push' AND state <> 'delivered'"))!) > 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"{open} push deliveries still not delivered after 60 s.");
            await Task.Delay(250);
        }

        var pushes = new List<(long Id, string Sha256)>();
        await using (var data = NpgsqlDataSource.Create(connectionString))
        await using (var command = data.CreateCommand("""
            SELECT d.id, encode(p.sha256, 'hex') FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id WHERE d.mode = 'push'
            """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                pushes.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        Assert.Equal(sends.Count(s => s.To.Contains(PushAgency)), pushes.Count);
        var received = peer.Received.ToList();
        Assert.All(received, r => Assert.Equal(r.Sha256Header, r.BodySha256));
        foreach (var (id, sha) in pushes)
        {
            Assert.Contains(received, r => r.DeliveryId == id && r.BodySha256 == sha);
        }

        var duplicates = received.Count - received.Select(r => r.DeliveryId).Distinct().Count();
        output.WriteLine($"[{watch.Elapsed.TotalSeconds:0.0} s] {pushes.Count} push deliveries delivered; the peer saw {received.Count} pushes, "
            + $"{received.Count - pushedBeforeRestart} of them after the restart, {duplicates} duplicates (pushes the kill cut short, made again)");
    }

    private static void AssertComplete(StoredPackage row, SendRecord send)
    {
        Assert.Equal(send.From, row.From);
        Assert.Equal(send.DocumentId, row.DocumentId);
        Assert.True(row.BodyMatches, $"Package {row.Id}: the stored body does not hash to its sha256.");
        Assert.Equal(send.Package.Length, row.Size);
        Assert.True(row.Received == 1, $"Package {row.Id} ({row.DocumentId}) has {row.Received} package.received ledger entries.");
        Assert.True(row.ReceiptLedgerEntry, $"Package {row.Id}: its receipt's ledger position is not its package.received entry.");
        Assert.True(send.To.Order(StringComparer.Ordinal).SequenceEqual(row.Recipients.Order(StringComparer.Ordinal)),
            $"Package {row.Id} ({row.DocumentId}) has deliveries to [{string.Join(", ", row.Recipients)}], not to [{string.Join(", ", send.To)}]: half-stored.");
        Assert.True(row.DeliveriesWithoutLedger == 0, $"Package {row.Id}: {row.DeliveriesWithoutLedger} deliveries without exactly one delivery.created entry.");
    }

    private static IReadOnlyList<string> RecipientsOf(string from, bool push)
    {
        var others = Agencies.Where(a => a != from && a != PushAgency).ToList();
        var start = Array.IndexOf(Agencies, from);
        var picked = Enumerable.Range(0, 3).Select(k => others[(start + k) % others.Count]).ToList();
        if (push && from != PushAgency)
        {
            picked[2] = PushAgency;
        }

        return picked;
    }

    private sealed record StoredPackage(long Id, string From, string DocumentId, string Sha256, int Size, bool BodyMatches, long Received,
        bool ReceiptLedgerEntry, IReadOnlyList<string> Recipients, long DeliveriesWithoutLedger);

    private static async Task<List<StoredPackage>> ReadStoredAsync(string connectionString)
    {
        await using var data = NpgsqlDataSource.Create(connectionString);
        await using var command = data.CreateCommand("""
            SELECT p.id, p.from_agency, p.document_id, encode(p.sha256, 'hex'), p.size, sha256(p.body) = p.sha256,
                (SELECT count(*) FROM lgsp.ledger l WHERE l.package_id = p.id AND l.kind = 'package.received'),
                EXISTS (SELECT 1 FROM lgsp.ledger l WHERE l.seq = p.ledger_seq AND l.package_id = p.id AND l.kind = 'package.received'),
                coalesce((SELECT array_agg(d.recipient) FROM lgsp.delivery d WHERE d.package_id = p.id), '{}'),
                (SELECT count(*) FROM lgsp.delivery d WHERE d.package_id = p.id
                    AND (SELECT count(*) FROM lgsp.ledger l WHERE l.delivery_id = d.id AND l.kind = 'delivery.created') <> 1)
            FROM lgsp.package p ORDER BY p.id
            """);
        var rows = new List<StoredPackage>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new StoredPackage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetBoolean(5),
                reader.GetInt64(6), reader.GetBoolean(7), reader.GetFieldValue<string[]>(8), reader.GetInt64(9)));
        }

        return rows;
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var data = NpgsqlDataSource.Create(connectionString);
        await using var command = data.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(string connectionString, string sql, params object[] parameters)
    {
        await using var data = NpgsqlDataSource.Create(connectionString);
        await using var command = data.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        await command.ExecuteNonQueryAsync();
    }
}
