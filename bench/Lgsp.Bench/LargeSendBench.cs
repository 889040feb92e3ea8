using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lgsp.Exchange.Directory;
using Lgsp.Postgres.Cluster;
using Lgsp.Postgres.Storage;
using Lgsp.Server.Demo;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Packages;
using Npgsql;

namespace Lgsp.Bench;

/// <summary>
/// Large packages against the hub in its own process (bench/README.md, "Large packages"): one ~50 MB
/// signed package sent over SOAP (time, and the hub's resident memory before and at its peak, from
/// <c>/proc/PID/status</c>), then several sent at once (the hub's peak against its memory budget, and
/// how many were admitted at once, waited for room or were refused with 503).
/// </summary>
/// <remarks>The peak is <c>VmHWM</c>, reset before each phase by writing 5 to <c>/proc/PID/clear_refs</c>
/// (so each phase's peak is its own); if the reset is not allowed, the peak since the hub started.</remarks>
internal static class LargeSendBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public const string Usage = "Lgsp.Bench large [--attachment-bytes 38797312] [--concurrent 8] [--hub-setting KEY=VALUE ...]";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArgs(args, Usage);
        var attachmentBytes = options.Int("--attachment-bytes", 37 * 1024 * 1024);
        var concurrent = options.Int("--concurrent", 8);
        var hubSettings = options.Settings("--hub-setting").ToDictionary(s => s.Key, s => (string?)s.Value);
        options.EnsureAllRead();

        var root = AcceptBench.NewRoot("lgsp-large-");
        var cluster = await AcceptBench.StartClusterAsync(root);
        try
        {
            await using var data = NpgsqlDataSource.Create(cluster.ConnectionString);
            var pki = Path.Combine(root, "pki");
            var secretKey = Path.Combine(root, "secret.key");
            var demo = await DemoProvince.SeedAsync(new PostgresDirectoryStore(data, TimeProvider.System), pki, "http://127.0.0.1", SecretBox.LoadOrCreate(secretKey));
            var hubDirectory = Directory.CreateDirectory(Path.Combine(root, "hub")).FullName;
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Lgsp"] = cluster.ConnectionString,
                ["Hub:DataDirectory"] = hubDirectory,
                ["Hub:SecretKeyPath"] = secretKey,
                ["Hub:CertificatePath"] = Path.Combine(pki, DemoProvince.HubCertificate + ".pem"),
                ["Hub:CertificateKeyPath"] = Path.Combine(pki, DemoProvince.HubCertificate + ".key.pem"),
                ["Serilog:MinimumLevel:Default"] = "Warning",
            };
            foreach (var (key, value) in hubSettings)
            {
                settings[key] = value;
            }

            await using var hub = await HubProcess.StartAsync(settings, hubDirectory);
            AcceptBench.Say($"Hub process {hub.ProcessId} ready on {hub.BaseUri}");

            var agencies = DemoProvince.Agencies.Select(a => a.Code).ToList();
            var number = 0;
            byte[] Envelope(DemoSystem system, int bytes)
            {
                var from = system.Agencies[0];
                var to = agencies[(agencies.IndexOf(from) + 1) % agencies.Count];
                var package = TestPackages.Sign(TestPackages.Document(from, [to], number: (++number).ToString(Inv), attachmentBytes: bytes), system.CertPem, system.KeyPem);
                return EdocHttp.SendDocumentEnvelope(package);
            }

            // Warm-up: small packages, so the large send does not pay for the JIT and the pools.
            using var warm = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            for (var i = 0; i < 20; i++)
            {
                var system = demo.Systems[i % demo.Systems.Count];
                await EdocHttp.SendDocumentAsync(warm, hub.SoapUri, system.Id, system.Secret, Envelope(system, 72_000));
            }

            var watch = Stopwatch.StartNew();
            var one = Envelope(demo.Systems[0], attachmentBytes);
            var many = Enumerable.Range(0, concurrent).Select(i => (System: demo.Systems[i % demo.Systems.Count], Body: Envelope(demo.Systems[i % demo.Systems.Count], attachmentBytes))).ToList();
            AcceptBench.Say($"Built and signed {1 + concurrent} packages of {attachmentBytes} attachment bytes ({one.Length} bytes of SOAP) in {watch.Elapsed.TotalSeconds:0.0} s");

            var report = new StringBuilder();
            report.AppendLine(Inv, $"## Large packages, {DateTime.Now:yyyy-MM-dd HH:mm}").AppendLine();
            report.AppendLine(Inv, $"Machine: {Environment.ProcessorCount} cores; load average before: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; hub settings: {(hubSettings.Count == 0 ? "defaults" : string.Join(", ", hubSettings.Select(kv => $"{kv.Key}={kv.Value}")))}.").AppendLine();

            // One large send.
            var resetOne = ResetPeak(hub.ProcessId);
            var before = Status(hub.ProcessId);
            watch.Restart();
            var answer = await EdocHttp.SendDocumentAsync(warm, hub.SoapUri, demo.Systems[0].Id, demo.Systems[0].Secret, one);
            var took = watch.Elapsed;
            var after = Status(hub.ProcessId);
            var packageBytes = Base64Length(one);
            report.AppendLine("| one large SOAP send | figure |").AppendLine("|---|---|");
            report.AppendLine(Inv, $"| package | {packageBytes / 1e6:0.0} MB ({one.Length / 1e6:0.0} MB of SOAP) |");
            report.AppendLine(Inv, $"| accept time | {took.TotalSeconds:0.00} s |");
            report.AppendLine(Inv, $"| hub RSS before | {Mib(before.Rss)} |");
            report.AppendLine(Inv, $"| hub RSS peak (VmHWM{(resetOne ? ", reset before the send" : ", since start")}) | {Mib(after.Hwm)} |");
            report.AppendLine(Inv, $"| hub RSS growth (peak - before) | {Mib(after.Hwm - before.Rss)} ({(double)(after.Hwm - before.Rss) / packageBytes:0.0} x the package) |");
            report.AppendLine();
            report.AppendLine(Inv, $"large-one: seconds={took.TotalSeconds:0.000} growth_mib={(after.Hwm - before.Rss) / 1048576.0:0} package_mb={packageBytes / 1e6:0.0} duplicate={answer.Duplicate}");
            report.AppendLine();

            // Several at once.
            var metricsBefore = await MetricsAsync(warm, hub.BaseUri);
            var resetMany = ResetPeak(hub.ProcessId);
            var baseline = Status(hub.ProcessId);
            var clients = many.Select(_ => new HttpClient { Timeout = TimeSpan.FromMinutes(5) }).ToArray();
            watch.Restart();
            var outcomes = await Task.WhenAll(many.Select(async (send, i) =>
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await EdocHttp.SendDocumentAsync(clients[i], hub.SoapUri, send.System.Id, send.System.Secret, send.Body);
                    return (Status: 200, Time: Stopwatch.GetElapsedTime(started));
                }
                catch (EdocAnswerException ex)
                {
                    return (ex.Status, Time: Stopwatch.GetElapsedTime(started));
                }
            }));
            var all = watch.Elapsed;
            var peak = Status(hub.ProcessId);
            var metricsAfter = await MetricsAsync(warm, hub.BaseUri);
            foreach (var client in clients)
            {
                client.Dispose();
            }

            var budget = hubSettings.TryGetValue("Hub:Limits:MemoryBudget:Bytes", out var b) && b is not null ? long.Parse(b, Inv) : 1024L * 1024 * 1024;
            var waited = (long)(metricsAfter.GetValueOrDefault("lgsp_memory_budget_waits_total") - metricsBefore.GetValueOrDefault("lgsp_memory_budget_waits_total"));
            var accepted = outcomes.Count(o => o.Status == 200);
            var busy = outcomes.Count(o => o.Status == 503);
            var other = outcomes.Length - accepted - busy;
            report.AppendLine(Inv, $"| {concurrent} concurrent large sends | figure |").AppendLine("|---|---|");
            report.AppendLine(Inv, $"| accepted / 503 (Retry-After) / other | {accepted} / {busy} / {other}{(other > 0 ? " (" + string.Join(", ", outcomes.Where(o => o.Status is not 200 and not 503).Select(o => o.Status)) + ")" : "")} |");
            report.AppendLine(Inv, $"| of which waited for room in the budget | {waited} |");
            report.AppendLine(Inv, $"| wall for all | {all.TotalSeconds:0.00} s (each: {string.Join(", ", outcomes.Select(o => o.Time.TotalSeconds.ToString("0.0", Inv)))} s) |");
            report.AppendLine(Inv, $"| hub RSS before | {Mib(baseline.Rss)} |");
            report.AppendLine(Inv, $"| hub RSS peak (VmHWM{(resetMany ? ", reset before the sends" : ", since start")}) | {Mib(peak.Hwm)} |");
            report.AppendLine(Inv, $"| memory budget (Hub:Limits:MemoryBudget:Bytes) | {Mib(budget)} |");
            report.AppendLine();
            report.AppendLine(Inv, $"large-many: accepted={accepted} busy={busy} other={other} waited={waited} peak_mib={peak.Hwm / 1048576.0:0} growth_mib={(peak.Hwm - baseline.Rss) / 1048576.0:0} budget_mib={budget / 1048576.0:0} seconds={all.TotalSeconds:0.00}");
            Console.Write(report.ToString());
            return other == 0 ? 0 : 1;
        }
        finally
        {
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

    /// <summary>The package's size from its SOAP envelope: the base64 text between the Package tags.</summary>
    private static long Base64Length(byte[] envelope)
    {
        var text = Encoding.ASCII.GetString(envelope);
        var start = text.IndexOf("<Package>", StringComparison.Ordinal) + "<Package>".Length;
        var end = text.IndexOf("</Package>", start, StringComparison.Ordinal);
        return (end - start) / 4 * 3;
    }

    private static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>VmRSS and VmHWM of a process, in bytes.</summary>
    private static (long Rss, long Hwm) Status(int pid)
    {
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kib(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kib(line);
            }
        }

        return (rss, hwm);
        static long Kib(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Inv) * 1024;
    }

    private static async Task<Dictionary<string, double>> MetricsAsync(HttpClient http, Uri baseUri)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var text = await http.GetStringAsync(new Uri(baseUri, "/metrics"));
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && !line.StartsWith('#') && double.TryParse(parts[1], NumberStyles.Float, Inv, out var value))
            {
                values[parts[0]] = value;
            }
        }

        return values;
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0", Inv) + " MiB";
}
