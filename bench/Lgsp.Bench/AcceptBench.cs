using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Trust;
using Lgsp.Edxml.Validation;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Receipts;
using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Cluster;
using Lgsp.Postgres.Schema;
using Lgsp.Postgres.Storage;
using Lgsp.Server.Demo;
using Lgsp.Server.Inbound.Soap;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Packages;
using Npgsql;

namespace Lgsp.Bench;

/// <summary>
/// Sets up a durable private cluster, the demo province (plus communes for the fan-out) and the hub in
/// its own process, then measures: the accept rate of signed ~100 KB packages from concurrent clients,
/// the floor of plain durable inserts of the same bytes on the same cluster, a fan-out, and a coarse
/// in-process profile of the accept path's CPU steps.
/// </summary>
internal sealed partial class AcceptBench : IAsyncDisposable
{
    private const int SampleBytesPerSender = 4;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly BenchOptions _options;
    private readonly string _root;
    private readonly PostgresCluster _cluster;
    private readonly NpgsqlDataSource _data;
    private readonly HubProcess _hub;
    private readonly DemoSetup _demo;
    private readonly string _pki;
    private readonly IReadOnlyList<string> _communes;
    private readonly StringBuilder _report = new();
    private int _number;

    private AcceptBench(BenchOptions options, string root, PostgresCluster cluster, NpgsqlDataSource data, HubProcess hub, DemoSetup demo, string pki,
        IReadOnlyList<string> communes)
    {
        _options = options;
        _root = root;
        _cluster = cluster;
        _data = data;
        _hub = hub;
        _demo = demo;
        _pki = pki;
        _communes = communes;
    }

    private sealed record Prepared(byte[] Package, byte[] Envelope);

    /// <summary>A new temporary working directory the cluster's account can reach.</summary>
    internal static string NewRoot(string prefix)
    {
        var root = Directory.CreateTempSubdirectory(prefix).FullName;
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The benchmark runs on Linux (a private PostgreSQL cluster, /proc).");
        }

        if (Environment.UserName == "root")
        {
            // initdb and the server then run as the postgres account, which must reach pg/ inside.
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
        }

        return root;
    }

    /// <summary>A kept working directory (created when missing), readable by the postgres account as <see cref="NewRoot"/>'s.</summary>
    internal static string KeptRoot(string path)
    {
        var root = Directory.CreateDirectory(Path.GetFullPath(path)).FullName;
        if (OperatingSystem.IsLinux() && Environment.UserName == "root")
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
        }

        return root;
    }

    /// <summary>A durable private cluster under <paramref name="root"/>, migrated.</summary>
    internal static async Task<PostgresCluster> StartClusterAsync(string root)
    {
        Say($"Working directory {root} ({FileSystemOf(root)})");
        var cluster = await PostgresCluster.StartAsync(
            new PostgresClusterOptions { DataDirectory = Path.Combine(root, "pg"), Durable = true }, line => Say("[pg] " + line));
        await Migrator.ApplyAsync(cluster.ConnectionString);
        return cluster;
    }

    public static async Task<AcceptBench> SetUpAsync(BenchOptions options)
    {
        var root = NewRoot("lgsp-bench-");
        var cluster = await StartClusterAsync(root);
        if (options.PgStats)
        {
            cluster = await WithStatementStatsAsync(cluster, root);
        }

        var data = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { MaxPoolSize = options.Clients + 10 }.ConnectionString);

        var pki = Path.Combine(root, "pki");
        var directory = new PostgresDirectoryStore(data, TimeProvider.System);
        var secretKey = Path.Combine(root, "secret.key");
        var demo = await DemoProvince.SeedAsync(directory, pki, "http://127.0.0.1", Lgsp.Exchange.Directory.SecretBox.LoadOrCreate(secretKey));
        var communes = Enumerable.Range(0, options.Fanout).Select(i => string.Create(Inv, $"000.{1 + i / 100:00}.{i % 100:00}.H56")).ToList();
        for (var i = 0; i < communes.Count; i++)
        {
            await directory.SaveAgencyAsync(new Agency(communes[i], string.Create(Inv, $"UBND xã thử nghiệm {i + 1}"), DemoProvince.Province, AgencyTier.Commune, true, null, null, default), "bench");
        }

        Say($"Seeded the demo province and {communes.Count} more communes");
        var hubDirectory = Directory.CreateDirectory(Path.Combine(root, "hub")).FullName;
        var hub = await HubProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Lgsp"] = options.HubNpgsql is { } extra ? cluster.ConnectionString + ";" + extra : cluster.ConnectionString,
            ["Hub:DataDirectory"] = hubDirectory,
            ["Hub:SecretKeyPath"] = secretKey,
            ["Hub:CertificatePath"] = Path.Combine(pki, DemoProvince.HubCertificate + ".pem"),
            ["Hub:CertificateKeyPath"] = Path.Combine(pki, DemoProvince.HubCertificate + ".key.pem"),
            ["Serilog:MinimumLevel:Default"] = options.HubLogLevel,
            // Every client of the bench calls from 127.0.0.1 as one of a few systems: the per-address and
            // per-system limits (300/s and 200/s by default) would measure the limiter, not the accept path.
            ["Hub:Limits:PerAddress:Permits"] = "1000000",
            ["Hub:Limits:PerSystem:Permits"] = "1000000",
        }.Where(kv => !options.HubSettings.ContainsKey(kv.Key))
            .Concat(options.HubSettings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value))).ToDictionary(), hubDirectory);
        Say($"Hub process {hub.ProcessId} ready on {hub.BaseUri}");
        return new AcceptBench(options, root, cluster, data, hub, demo, pki, communes);
    }

    public async Task RunAsync()
    {
        var o = _options;
        var settings = await ScalarAsync<string>("SELECT 'fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit') || ', full_page_writes=' || current_setting('full_page_writes') || ', ' || version()");
        Line($"## Accept benchmark, {DateTime.Now:yyyy-MM-dd}");
        Line();
        Line($"Machine: {Environment.ProcessorCount} cores, {MemoryGiB()} GiB; cluster under {FileSystemOf(_root)}; {settings}.");
        Line($"Clients: {o.Clients}; duration {o.Duration.TotalSeconds:0} s per run; recipients per package: {o.Recipients}; hub log level: {o.HubLogLevel}"
            + (o.HubNpgsql is null ? "" : $"; hub connection string + \"{o.HubNpgsql}\"")
            + (o.HubSettings.Count == 0 ? "." : "; hub settings " + string.Join(", ", o.HubSettings.Select(kv => $"{kv.Key}={kv.Value}")) + "."));
        Line();

        var senders = Enumerable.Range(0, o.Clients).Select(i => _demo.Systems[i % _demo.Systems.Count]).ToArray();
        var clients = Enumerable.Range(0, o.Clients).Select(_ => new HttpClient { Timeout = TimeSpan.FromMinutes(2) }).ToArray();
        try
        {
            // Warm-up in two halves: the first for JIT, pools and caches; the second's rate sizes the
            // package pool of the measured run.
            var warmupPool = Build(senders, perSender: Math.Max(40, 1200 / o.Clients));
            RunResult warmup = null!;
            foreach (var half in new[] { "first", "second" })
            {
                warmup = await TimedRun.RunAsync(o.Clients, o.Warmup / 2, i => SendAsync(clients[i], senders[i], warmupPool[i]));
                Say($"Warm-up, {half} half: {warmup.Completed} accepted in {warmup.Elapsed.TotalSeconds:0.0} s ({warmup.PerSecond:0.0}/s), {warmup.Errors} errors {warmup.FirstError}");
                if (warmup.Completed == 0)
                {
                    throw new InvalidOperationException($"Nothing was accepted during the warm-up: {warmup.FirstError}{Environment.NewLine}{_hub.Output}");
                }
            }

            await FanoutAsync(clients[0]);

            // The hub is still speeding up after the warm-up (tiered JIT): allow twice the rate.
            var perSender = (int)Math.Ceiling(warmup.PerSecond * 2 * o.Duration.TotalSeconds / o.Clients) + 8;
            var watch = Stopwatch.StartNew();
            var pool = Build(senders, perSender);
            var sample = pool.SelectMany(q => q.Take(SampleBytesPerSender)).Select(p => p.Package).ToArray();
            Say($"Built and signed {perSender * o.Clients} packages ({sample.Average(p => p.Length) / 1000:0.0} KB on average) in {watch.Elapsed.TotalSeconds:0.0} s");

            var floorFirst = o.FloorFirst ? await FloorRunAsync(sample) : default;
            var accept = await AcceptRunAsync(clients, senders, pool);
            var floor = o.FloorFirst ? floorFirst : await FloorRunAsync(sample);
            Line("### Accept vs the physical floor");
            Line();
            Line("| run | per second | p50 | p99 | max | errors |");
            Line("|---|---|---|---|---|---|");
            Line($"| hub accepts (SOAP, {o.Recipients} recipients each) | {accept.Run.PerSecond:0.0} | {Ms(accept.Run.Percentile(50))} | {Ms(accept.Run.Percentile(99))} | {Ms(accept.Run.Percentile(100))} | {accept.Run.Errors} |");
            Line($"| floor: INSERT of the same bytes, one commit each | {floor.Run.PerSecond:0.0} | {Ms(floor.Run.Percentile(50))} | {Ms(floor.Run.Percentile(99))} | {Ms(floor.Run.Percentile(100))} | {floor.Run.Errors} |");
            Line();
            Line($"**Ratio: accepted/s ÷ floor inserts/s = {accept.Run.PerSecond / floor.Run.PerSecond:0.00}** ({accept.Run.PerSecond:0.0} / {floor.Run.PerSecond:0.0}; "
                + (o.FloorFirst ? "floor run first)." : "accept run first).") + $" The floor's column: {_floorColumn}.");
            if (accept.Run.RanOut)
            {
                Line("(The accept run used up its prepared packages before the end; its rate is over the time it ran.)");
            }

            if (accept.Run.FirstError is not null || floor.Run.FirstError is not null)
            {
                Line($"First errors: {accept.Run.FirstError} {floor.Run.FirstError}");
            }

            Line();
            Line("Where the CPU went (CPU time per operation, from /proc; the machine's busy share over the run):");
            Line();
            Line("| run | hub process | PostgreSQL | load generator | machine busy | of which other processes |");
            Line("|---|---|---|---|---|---|");
            Line($"| accept | {Ms(accept.Cpu.Hub / accept.Run.Completed)} | {Ms(accept.Cpu.Postgres / accept.Run.Completed)} | {Ms(accept.Cpu.Bench / accept.Run.Completed)} | {accept.Cpu.BusyShare:P0} | {accept.Cpu.OtherShare:P0} |");
            Line($"| floor | – | {Ms(floor.Cpu.Postgres / floor.Run.Completed)} | {Ms(floor.Cpu.Bench / floor.Run.Completed)} | {floor.Cpu.BusyShare:P0} | {floor.Cpu.OtherShare:P0} |");
            Line();
            Line($"Stored per accepted package: {Kb(accept.Stored.Total / accept.Run.Completed)} (package {Kb(accept.Stored.Package / accept.Run.Completed)}, "
                + $"deliveries {Kb(accept.Stored.Delivery / accept.Run.Completed)}, ledger {Kb(accept.Stored.Ledger / accept.Run.Completed)}); "
                + $"the floor stored {Kb(floor.Bytes / floor.Run.Completed)} per insert.");
            Line();
            WritePgStats();
            WriteGc();

            await ProfileAsync(sample);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        Console.Write(_report.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _data.DisposeAsync();
        await _cluster.StopAsync(PostgresStopMode.Immediate);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Say($"Could not delete {_root}: {ex.Message}");
        }
    }

    private async Task<(RunResult Run, CpuReading Cpu, StoredBytes Stored)> AcceptRunAsync(HttpClient[] clients, DemoSystem[] senders, Queue<Prepared>[] pool)
    {
        await ExecuteAsync("CHECKPOINT");
        var documentsBefore = await ScalarAsync<long>("SELECT count(*) FROM lgsp.package");
        var sizeBefore = await SizesAsync();
        var postmaster = PostmasterPid();
        var walBefore = await StartPgStatsAsync();
        var gc = StartGcWatch();
        var cpuBefore = CpuReading.Take(_hub.ProcessId, postmaster);
        var run = await TimedRun.RunAsync(_options.Clients, _options.Duration, i => SendAsync(clients[i], senders[i], pool[i]));
        var cpu = CpuReading.Take(_hub.ProcessId, postmaster) - cpuBefore;
        EndGcWatch(gc, run.Completed);
        await EndPgStatsAsync(walBefore, "accept run", run.Completed, "lgsp.package");
        var stored = await SizesAsync() - sizeBefore;
        var documents = await ScalarAsync<long>("SELECT count(*) FROM lgsp.package") - documentsBefore;
        Say($"Accept run: {run.Completed} accepted ({documents} stored) in {run.Elapsed.TotalSeconds:0.0} s, {run.PerSecond:0.0}/s, {run.Errors} errors {run.FirstError}");
        if (documents != run.Completed)
        {
            throw new InvalidOperationException($"{run.Completed} success answers but {documents} packages stored.");
        }

        return (run, cpu, stored);
    }

    private async Task<(RunResult Run, CpuReading Cpu, long Bytes)> FloorRunAsync(byte[][] sample)
    {
        await ExecuteAsync("CREATE TABLE bench_floor (body bytea NOT NULL)");
        _floorColumn = await MirrorBodyStorageAsync();
        Say("Floor column: " + _floorColumn);
        await ExecuteAsync("CHECKPOINT");
        var connections = new NpgsqlConnection[_options.Clients];
        var commands = new NpgsqlCommand[_options.Clients];
        for (var i = 0; i < connections.Length; i++)
        {
            connections[i] = await _data.OpenConnectionAsync();
            commands[i] = new NpgsqlCommand("INSERT INTO bench_floor (body) VALUES ($1)", connections[i]);
            commands[i].Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea, Value = sample[0] });
            await commands[i].PrepareAsync();
        }

        try
        {
            var counters = new int[_options.Clients];
            var postmaster = PostmasterPid();
            var walBefore = await StartPgStatsAsync();
            var cpuBefore = CpuReading.Take(_hub.ProcessId, postmaster);
            var run = await TimedRun.RunAsync(_options.Clients, _options.Duration, async i =>
            {
                // Autocommit: one durable commit per row, as the hub commits once per package.
                commands[i].Parameters[0].Value = sample[(i * 7919 + counters[i]++) % sample.Length];
                await commands[i].ExecuteNonQueryAsync();
                return true;
            });
            var cpu = CpuReading.Take(_hub.ProcessId, postmaster) - cpuBefore;
            await EndPgStatsAsync(walBefore, "floor run", run.Completed, "bench_floor");
            var bytes = await ScalarAsync<long>("SELECT pg_total_relation_size('bench_floor')");
            Say($"Floor run: {run.Completed} inserts in {run.Elapsed.TotalSeconds:0.0} s, {run.PerSecond:0.0}/s, {run.Errors} errors {run.FirstError}");
            return (run, cpu, bytes);
        }
        finally
        {
            for (var i = 0; i < connections.Length; i++)
            {
                await commands[i].DisposeAsync();
                await connections[i].DisposeAsync();
            }
        }
    }

    private async Task FanoutAsync(HttpClient http)
    {
        var o = _options;
        var province = _demo.Systems.Single(s => s.Agencies.Contains(DemoProvince.Province));
        var packages = Enumerable.Range(0, o.FanoutRuns).Select(_ => Prepare(province, _communes)).ToList();
        await ExecuteAsync("CHECKPOINT");
        var before = await SizesAsync();
        var latencies = new List<TimeSpan>();
        var documentIds = new List<string>();
        foreach (var package in packages)
        {
            var watch = Stopwatch.StartNew();
            var answer = await EdocHttp.SendDocumentAsync(http, _hub.SoapUri, province.Id, province.Secret, package.Envelope);
            latencies.Add(watch.Elapsed);
            documentIds.Add(answer.DocumentId);
            if (answer.Duplicate)
            {
                throw new InvalidOperationException("A fan-out package was a duplicate.");
            }
        }

        var stored = await SizesAsync() - before;
        long deliveries;
        await using (var count = _data.CreateCommand("SELECT count(*) FROM lgsp.delivery d JOIN lgsp.package p ON p.id = d.package_id WHERE p.document_id = ANY($1)"))
        {
            count.Parameters.AddWithValue(documentIds.ToArray());
            deliveries = (long)(await count.ExecuteScalarAsync())!;
        }
        var size = packages.Average(p => p.Package.Length);
        var runs = o.FanoutRuns;
        Line($"### Fan-out: one package to {_communes.Count} communes");
        Line();
        Line($"Package: {size / 1000:0.0} KB. Accept latency over {runs} sends, one at a time: median {Ms(Stats.Median(latencies))} "
            + $"(min {Ms(latencies.Min())}, max {Ms(latencies.Max())}). Delivery rows: {deliveries} ({deliveries / runs} per package).");
        Line();
        Line("| stored per fan-out package | bytes |");
        Line("|---|---|");
        Line($"| lgsp.package (with TOAST and indexes) | {Kb(stored.Package / runs)} |");
        Line($"| lgsp.delivery | {Kb(stored.Delivery / runs)} |");
        Line($"| lgsp.ledger | {Kb(stored.Ledger / runs)} |");
        Line($"| total | {Kb(stored.Total / runs)} (a copy per recipient would be {Kb((long)(size * _communes.Count))}) |");
        Line();
        Say($"Fan-out: median {Ms(Stats.Median(latencies))}, {Kb(stored.Total / runs)} stored per package");
    }

    /// <summary>Times the accept path's CPU steps one at a time in this process (one thread, hub idle).</summary>
    private Task ProfileAsync(byte[][] sample)
    {
        var n = _options.ProfileIterations;
        var trust = new CertificateTrust(new TrustOptions
        {
            Roots = [X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_pki, "root.pem"))],
            Intermediates = [X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_pki, "intermediate.pem"))],
        });
        var check = CheckOptions.Strict(trust);
        var verifier = new PackageSignatureVerifier(check.Signature, trust);
        using var hubCertificate = DemoProvince.LoadHubCertificate(_pki);
        var receipts = new ReceiptIssuer(new HubIdentity("bench", hubCertificate, []));
        var envelopes = sample.Select(EdocHttp.SendDocumentEnvelope).ToArray();
        var postmaster = PostmasterPid();
        var cpuBefore = CpuReading.Take(_hub.ProcessId, postmaster);
        var verdict = PackageCheck.Evaluate(sample[0], check);
        using (verdict.Validation.Package)
        {
            if (!verdict.IsAccepted)
            {
                throw new InvalidOperationException("The profile's package is not accepted: " + string.Join("; ", verdict.Findings.Select(f => f.Message)));
            }
        }

        var steps = new List<(string Step, TimeSpan Mean)>
        {
            ("read the SOAP request (XML + base64 decode)", Time(n, i => SoapRequestReader.ReadAsync(new MemoryStream(envelopes[i % envelopes.Length]), "text/xml; charset=utf-8",
                "\"urn:lgsp:edoc:1/SendDocument\"", SoapLimits.Default).GetAwaiter().GetResult())),
            ("validate (read, XSD, rules)", Time(n, i =>
            {
                using var model = PackageValidator.Validate(sample[i % sample.Length]).Package;
            })),
            ("verify the signature (XMLDSig, chain)", Time(n, i => verifier.Verify(sample[i % sample.Length]))),
            ("validate + verify (PackageCheck, as the accept path)", Time(n, i =>
            {
                using var model = PackageCheck.Evaluate(sample[i % sample.Length], check).Validation.Package;
            })),
            ("SHA-256 of the package", Time(n, i => SHA256.HashData(sample[i % sample.Length]))),
            ("sign the receipt", Time(n, i => receipts.Issue(new ReceiptFacts(PackageKind.Document, "000.00.01.H56", "x", "ab", 100_000, DateTimeOffset.UtcNow, i)))),
        };
        var hash = SecretHash.Hash("bench-secret");
        var pbkdf2 = Time(5, _ => SecretHash.Verify("bench-secret", hash));

        Line("### Where an accept's CPU goes (in-process, one thread, the steps alone)");
        Line();
        Line("| step | mean per package |");
        Line("|---|---|");
        foreach (var (step, mean) in steps)
        {
            Line($"| {step} | {Ms(mean)} |");
        }

        Line($"| PBKDF2 secret check (once per client system per minute: the hub caches verified pairs) | {Ms(pbkdf2)} |");
        Line();
        Line($"(Other processes used {(CpuReading.Take(_hub.ProcessId, postmaster) - cpuBefore).OtherShare:P0} of the cores meanwhile.)");
        Line();
        return Task.CompletedTask;
    }

    private static TimeSpan Time(int iterations, Action<int> step)
    {
        for (var i = 0; i < Math.Min(iterations, 20); i++)
        {
            step(i);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            step(i);
        }

        return watch.Elapsed / iterations;
    }

    private async Task<bool> SendAsync(HttpClient http, DemoSystem system, Queue<Prepared> pool)
    {
        if (!pool.TryDequeue(out var prepared))
        {
            return false;
        }

        var answer = await EdocHttp.SendDocumentAsync(http, _hub.SoapUri, system.Id, system.Secret, prepared.Envelope);
        return answer.Duplicate ? throw new InvalidOperationException("A prepared package was a duplicate.") : true;
    }

    /// <summary>Distinct signed packages for each sender; each sender's queue is used by its worker only.</summary>
    private Queue<Prepared>[] Build(DemoSystem[] senders, int perSender)
    {
        var built = new Prepared[senders.Length][];
        for (var s = 0; s < senders.Length; s++)
        {
            built[s] = new Prepared[perSender];
        }

        Parallel.For(0, senders.Length * perSender, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
        {
            var s = k % senders.Length;
            var prepared = Prepare(senders[s], RecipientsOf(senders[s].Agencies[0]));
            // Only the first few keep their package bytes (for the floor and the profile): the pool may be large.
            built[s][k / senders.Length] = k / senders.Length < SampleBytesPerSender ? prepared : prepared with { Package = [] };
        });
        return [.. built.Select(b => new Queue<Prepared>(b))];
    }

    private Prepared Prepare(DemoSystem system, IReadOnlyList<string> to)
    {
        var number = Interlocked.Increment(ref _number).ToString(Inv);
        var package = TestPackages.Sign(TestPackages.Document(system.Agencies[0], to, number: number, attachmentBytes: _options.AttachmentBytes), system.CertPem, system.KeyPem);
        return new Prepared(package, EdocHttp.SendDocumentEnvelope(package));
    }

    private IReadOnlyList<string> RecipientsOf(string from)
    {
        var agencies = DemoProvince.Agencies.Select(a => a.Code).ToList();
        var start = agencies.IndexOf(from);
        return [.. Enumerable.Range(1, _options.Recipients).Select(k => agencies[(start + k) % agencies.Count])];
    }

    private sealed record StoredBytes(long Package, long Delivery, long Ledger)
    {
        public long Total => Package + Delivery + Ledger;

        public static StoredBytes operator -(StoredBytes a, StoredBytes b) => new(a.Package - b.Package, a.Delivery - b.Delivery, a.Ledger - b.Ledger);
    }

    private async Task<StoredBytes> SizesAsync()
    {
        await using var command = _data.CreateCommand(
            "SELECT pg_total_relation_size('lgsp.package'), pg_total_relation_size('lgsp.delivery'), pg_total_relation_size('lgsp.ledger')");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new StoredBytes(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private int? PostmasterPid()
    {
        try
        {
            return int.Parse(File.ReadLines(Path.Combine(_cluster.DataDirectory, "postmaster.pid")).First(), Inv);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            Say($"Cannot read postmaster.pid ({ex.Message}); PostgreSQL's CPU is not counted");
            return null;
        }
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _data.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _data.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private void Line(string text = "") => _report.AppendLine(text);

    /// <summary>Progress goes to standard error; the report alone to standard output.</summary>
    internal static void Say(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString(t.TotalMilliseconds < 10 ? "0.00" : "0.0", Inv) + " ms";

    private static string Kb(double bytes) => (bytes / 1000).ToString("0.0", Inv) + " KB";

    private static string MemoryGiB()
    {
        var kb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return (long.Parse(kb, Inv) / 1048576.0).ToString("0", Inv);
    }

    /// <summary>The file system type holding <paramref name="path"/> (a tmpfs makes fsync meaningless).</summary>
    private static string FileSystemOf(string path)
    {
        var best = ("", "?");
        foreach (var line in File.ReadLines("/proc/mounts"))
        {
            var parts = line.Split(' ');
            if (parts.Length > 2 && path.StartsWith(parts[1], StringComparison.Ordinal) && parts[1].Length >= best.Item1.Length)
            {
                best = (parts[1], parts[2]);
            }
        }

        return $"{best.Item2} mounted on {best.Item1}";
    }
}
