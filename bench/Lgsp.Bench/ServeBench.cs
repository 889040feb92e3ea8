using System.Diagnostics;
using System.Globalization;
using Lgsp.Postgres.Storage;
using Lgsp.Server.Demo;
using Lgsp.Server.Inbound.Axis;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Packages;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Bench;

/// <summary>
/// Serving packages (bench/README.md, "Serving packages"), on one real hub process: the latency of SOAP
/// <c>GetDocument</c> and axis <c>downloadEdoc</c> for small packages (p50/p95), then one large package
/// pulled with each, timed, with the hub's peak resident memory growth from a baseline taken after the
/// send (<c>clear_refs</c>; the send side still holds a package whole). The server run is
/// <see cref="HubProcess.ServerAssembly"/>: this build's, or another build's given by
/// <c>LGSP_SERVER_ASSEMBLY</c> (the other side of a comparison, say main before the change).
/// </summary>
internal static class ServeBench
{
    private const string Sender = "000.00.01.H56";
    private const string Puller = "000.00.02.H56";

    public const string Usage = "Lgsp.Bench serve [--small 200] [--large-mb 50]";

    public static async Task<int> RunAsync(int small, int largeMb)
    {
        var postgres = new PostgresFixture();
        await postgres.InitializeAsync();
        var directory = Directory.CreateTempSubdirectory("lgsp-serve-bench-").FullName;
        try
        {
            var connectionString = await postgres.CreateDatabaseAsync();
            DemoSetup demo;
            await using (var data = NpgsqlDataSource.Create(connectionString))
            {
                demo = await DemoProvince.SeedAsync(new PostgresDirectoryStore(data, TimeProvider.System), Path.Combine(directory, "pki"), "http://127.0.0.1",
                    Exchange.Directory.SecretBox.LoadOrCreate(Path.Combine(directory, "keys", "secret.key")));
            }

            await using var hub = await HubProcess.StartAsync(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Lgsp"] = connectionString,
                ["Hub:DataDirectory"] = directory,
                ["Hub:CertificatePath"] = Path.Combine(directory, "pki", DemoProvince.HubCertificate + ".pem"),
                ["Hub:CertificateKeyPath"] = Path.Combine(directory, "pki", DemoProvince.HubCertificate + ".key.pem"),
                ["Serilog:MinimumLevel:Default"] = "Warning",
            }, directory);
            var sender = demo.Systems.Single(s => s.Agencies.Contains(Sender));
            var puller = demo.Systems.Single(s => s.Agencies.Contains(Puller));
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };

            Console.WriteLine($"## Serving packages ({HubProcess.ServerAssembly}; load average {File.ReadAllText("/proc/loadavg").Trim()})");
            Console.WriteLine();

            // Small packages (about 100 KB each), one warm-up pull of each kind not counted.
            var ids = new List<long>();
            for (var i = 0; i <= small; i++)
            {
                var package = TestPackages.Sign(TestPackages.Document(Sender, [Puller], attachmentBytes: 75_000), sender.CertPem, sender.KeyPem);
                await EdocHttp.SendDocumentAsync(http, hub.SoapUri, sender.Id, sender.Secret, EdocHttp.SendDocumentEnvelope(package));
            }

            ids.AddRange((await EdocHttp.GetPendingDocumentsAsync(http, hub.SoapUri, puller.Id, puller.Secret, Puller)).Select(p => p.Id));
            var soap = new List<double>();
            var download = new List<double>();
            foreach (var id in ids)
            {
                soap.Add(await TimedAsync(() => EdocHttp.GetDocumentAsync(http, hub.SoapUri, puller.Id, puller.Secret, id)));
                download.Add(await TimedAsync(() => DownloadAsync(http, hub, puller, id)));
            }

            Console.WriteLine($"| {small} packages of about 100 KB, one at a time | p50 | p95 |");
            Console.WriteLine("|---|---|---|");
            Row("SOAP GetDocument", soap.Skip(1).ToList());
            Row("axis downloadEdoc", download.Skip(1).ToList());
            Console.WriteLine();

            // One large package.
            var large = TestPackages.Sign(TestPackages.Document(Sender, [Puller], attachmentBytes: largeMb * 1024 * 1024 * 3 / 4), sender.CertPem, sender.KeyPem);
            await EdocHttp.SendDocumentAsync(http, hub.SoapUri, sender.Id, sender.Secret, EdocHttp.SendDocumentEnvelope(large));
            var largeId = (await EdocHttp.GetPendingDocumentsAsync(http, hub.SoapUri, puller.Id, puller.Secret, Puller)).Max(p => p.Id);
            Console.WriteLine(FormattableString.Invariant($"| one package of {large.Length / 1048576.0:0.0} MiB | time | hub peak growth | resident before |"));
            Console.WriteLine("|---|---|---|---|");
            foreach (var (path, pull) in new (string, Func<Task<byte[]>>)[]
            {
                ("SOAP GetDocument", () => EdocHttp.GetDocumentAsync(http, hub.SoapUri, puller.Id, puller.Secret, largeId)),
                ("axis downloadEdoc", () => DownloadAsync(http, hub, puller, largeId)),
            })
            {
                var baseline = hub.ResetPeak();
                var watch = Stopwatch.StartNew();
                var bytes = await pull();
                var took = watch.Elapsed;
                var growth = hub.PeakBytes() - baseline;
                if (!bytes.AsSpan().SequenceEqual(large))
                {
                    throw new InvalidOperationException($"{path} served other bytes than were sent.");
                }

                Console.WriteLine(FormattableString.Invariant($"| {path} | {took.TotalSeconds:0.00} s | +{growth / 1048576.0:0.0} MiB | {baseline / 1048576.0:0} MiB |"));
            }

            return 0;
        }
        finally
        {
            await postgres.DisposeAsync();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the system to clean.
            }
        }
    }

    // downloadEdoc as the SDK calls it: a signed GET; the body is the package.
    private static async Task<byte[]> DownloadAsync(HttpClient http, HubProcess hub, DemoSystem system, long id)
    {
        var signed = AxisSignature.Sign(system.Secret,
        [
            new(AxisSignature.TimestampParameter, AxisSignature.FormatTimestamp(DateTime.Now)),
            new(AxisSignature.SystemIdParameter, system.Id),
            new(AxisSignature.ContentTypeParameter, "application/json"),
            new("docId", id.ToString(CultureInfo.InvariantCulture)),
        ]);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(hub.BaseUri, "vxp/downloadEdoc"));
        foreach (var (name, value) in signed.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<double> TimedAsync<T>(Func<Task<T>> call)
    {
        var watch = Stopwatch.StartNew();
        await call();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static void Row(string name, List<double> times)
    {
        times.Sort();
        Console.WriteLine(FormattableString.Invariant($"| {name} | {Percentile(times, 0.50):0.0} ms | {Percentile(times, 0.95):0.0} ms |"));
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
