using System.Globalization;
using System.Text;
using Lgsp.Postgres.Cluster;
using Lgsp.Postgres.Storage;
using Lgsp.Server.Demo;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Packages;
using Npgsql;

namespace Lgsp.Bench;

/// <summary>
/// The accept rate with 1, 2 … N hub instances on one durable private cluster (bench/README.md,
/// "Several instances"): the accept benchmark's packages and clients, the clients spread over the
/// instances (client <c>i</c> sends to instance <c>i mod n</c>, as a round-robin front would). The
/// instances are started one by one, each run after a warm-up of the instances it uses. Every answer
/// must be a success and not a duplicate, and the stored packages must equal the success answers.
/// </summary>
internal static class InstancesBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public const string Usage = "Lgsp.Bench instances [--instances 3] [--clients 12] [--duration 20] [--warmup 6] [--attachment-bytes 72000]";

    public static async Task<int> RunAsync(string[] args)
    {
        var (instances, clients, duration, warmup, attachmentBytes) = Parse(args);
        var root = AcceptBench.NewRoot("lgsp-bench-instances-");
        var cluster = await AcceptBench.StartClusterAsync(root);
        var hubs = new List<HubProcess>();
        try
        {
            await using var data = NpgsqlDataSource.Create(cluster.ConnectionString);
            var pki = Path.Combine(root, "pki");
            var secretKey = Path.Combine(root, "secret.key");
            var demo = await DemoProvince.SeedAsync(new PostgresDirectoryStore(data, TimeProvider.System), pki, "http://127.0.0.1",
                Lgsp.Exchange.Directory.SecretBox.LoadOrCreate(secretKey));
            var agencies = DemoProvince.Agencies.Select(a => a.Code).ToList();
            var senders = Enumerable.Range(0, clients).Select(i => demo.Systems[i % demo.Systems.Count]).ToArray();
            var http = Enumerable.Range(0, clients).Select(_ => new HttpClient { Timeout = TimeSpan.FromMinutes(2) }).ToArray();
            var number = 0;
            byte[] Envelope(DemoSystem system)
            {
                var from = system.Agencies[0];
                var start = agencies.IndexOf(from);
                var to = Enumerable.Range(1, 3).Select(k => agencies[(start + k) % agencies.Count]).ToList();
                var package = TestPackages.Sign(TestPackages.Document(from, to, number: Interlocked.Increment(ref number).ToString(Inv), attachmentBytes: attachmentBytes),
                    system.CertPem, system.KeyPem);
                return EdocHttp.SendDocumentEnvelope(package);
            }

            Queue<byte[]>[] Pool(int perClient) =>
                [.. senders.Select(s => new Queue<byte[]>(Enumerable.Range(0, perClient).AsParallel().AsOrdered().Select(_ => Envelope(s))))];

            async Task<RunResult> RunOnAsync(int n, Queue<byte[]>[] pool, TimeSpan length) =>
                await TimedRun.RunAsync(clients, length, async i =>
                {
                    if (!pool[i].TryDequeue(out var envelope))
                    {
                        return false;
                    }

                    var answer = await EdocHttp.SendDocumentAsync(http[i], hubs[i % n].SoapUri, senders[i].Id, senders[i].Secret, envelope);
                    return answer.Duplicate ? throw new InvalidOperationException("A prepared package was a duplicate.") : true;
                });

            var report = new StringBuilder();
            report.AppendLine(CultureInfo.InvariantCulture, $"## Several instances on one database, {DateTime.Now:yyyy-MM-dd}");
            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture,
                $"Machine: {Environment.ProcessorCount} cores; load average before: {LoadAverage()}. {clients} clients spread over the instances; {duration.TotalSeconds:0} s per run after a {warmup.TotalSeconds:0} s warm-up; ~100 KB packages to 3 recipients.");
            report.AppendLine();
            report.AppendLine("| instances | accepted/s | p50 | p99 | max | errors | load average after |");
            report.AppendLine("|---|---|---|---|---|---|---|");
            long accepted = 0;
            for (var n = 1; n <= instances; n++)
            {
                var directory = Directory.CreateDirectory(Path.Combine(root, $"hub-{n}")).FullName;
                hubs.Add(await HubProcess.StartAsync(new Dictionary<string, string?>
                {
                    ["ConnectionStrings:Lgsp"] = cluster.ConnectionString + ";Application Name=lgsp-hub-" + n.ToString(Inv),
                    ["Hub:DataDirectory"] = directory,
                    ["Hub:SecretKeyPath"] = secretKey,
                    ["Hub:CertificatePath"] = Path.Combine(pki, DemoProvince.HubCertificate + ".pem"),
                    ["Hub:CertificateKeyPath"] = Path.Combine(pki, DemoProvince.HubCertificate + ".key.pem"),
                    ["Serilog:MinimumLevel:Default"] = "Warning",
                }, directory, TimeSpan.FromMinutes(3)));
                AcceptBench.Say($"Instance {n} ready on {hubs[^1].BaseUri} (process {hubs[^1].ProcessId})");

                var warm = await RunOnAsync(n, Pool(Math.Max(20, 400 / clients)), warmup);
                AcceptBench.Say($"{n} instance(s), warm-up: {warm.Completed} accepted ({warm.PerSecond:0.0}/s), {warm.Errors} errors {warm.FirstError}");
                // A short warm-up under load underestimates the rate: three times it, and at least 20/s.
                var run = await RunOnAsync(n, Pool((int)Math.Ceiling(Math.Max(warm.PerSecond, 20) * 3 * duration.TotalSeconds / clients) + 8), duration);
                AcceptBench.Say($"{n} instance(s): {run.Completed} accepted ({run.PerSecond:0.0}/s), {run.Errors} errors {run.FirstError}");
                accepted += warm.Completed + run.Completed;
                report.AppendLine(string.Create(Inv,
                    $"| {n} | {run.PerSecond:0.0} | {Ms(run.Percentile(50))} | {Ms(run.Percentile(99))} | {Ms(run.Percentile(100))} | {run.Errors}{(run.RanOut ? " (ran out of packages)" : "")} | {LoadAverage()} |"));
            }

            await using (var count = data.CreateCommand("SELECT count(*) FROM lgsp.package"))
            {
                var stored = (long)(await count.ExecuteScalarAsync())!;
                report.AppendLine();
                report.AppendLine(string.Create(Inv, $"Stored packages: {stored}; success answers: {accepted}") + (stored == accepted ? " (equal)." : " — **they differ**."));
                if (stored != accepted)
                {
                    Console.Write(report);
                    return 1;
                }
            }

            Console.Write(report);
            return 0;
        }
        finally
        {
            foreach (var hub in hubs)
            {
                await hub.DisposeAsync();
            }

            await cluster.StopAsync(PostgresStopMode.Immediate);
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                AcceptBench.Say($"Could not delete {root}: {ex.Message}");
            }
        }
    }

    private static (int Instances, int Clients, TimeSpan Duration, TimeSpan Warmup, int AttachmentBytes) Parse(string[] args)
    {
        var options = new BenchArgs(args, Usage);
        int instances = options.Int("--instances", 3), clients = options.Int("--clients", 12), duration = options.Int("--duration", 20),
            warmup = options.Int("--warmup", 6), attachment = options.Int("--attachment-bytes", 72_000);
        options.EnsureAllRead();
        return instances is < 1 or > 8 || clients < 1 || duration < 1 || warmup < 1
            ? throw options.OutOfRange()
            : (instances, clients, TimeSpan.FromSeconds(duration), TimeSpan.FromSeconds(warmup), attachment);
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString(t.TotalMilliseconds < 10 ? "0.00" : "0.0", Inv) + " ms";
}
