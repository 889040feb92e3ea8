using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.People;
using Lgsp.Postgres.Storage;
using Lgsp.Server.Demo;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Packages;
using Npgsql;

namespace Lgsp.Bench;

/// <summary>The console's read paths on a large store: DOCS generated document packages (Vietnamese
/// subjects from a word list, three years, ten senders) and DELIVERIES deliveries (mixed states,
/// failures included) and one ledger entry per package, written directly with
/// <c>INSERT … SELECT generate_series</c> (not accepted), then the real hub in its own process, a
/// console user signed in over HTTP, and 200 timed requests (after 10 warm-ups) per page: the search
/// by words, by DocumentId and by recipient + dates, a document's page and the overview.</summary>
internal static partial class ConsoleBench
{
    private const int Batch = 100_000;
    private const int Requests = 200;
    private const int Warmups = 10;
    private const int Senders = 10;
    private const int Agencies = 30;
    private const string User = "bench-admin";
    private const string Password = "bench-password-TEST-ONLY";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>When set, the directory holding the store, kept after the run and reused by the next
    /// (seeding 2 M documents takes minutes): the first run seeds it, later runs only measure.</summary>
    public const string KeepVariable = "LGSP_BENCH_CONSOLE_DIR";

    public static async Task RunAsync(long docs, long deliveries)
    {
        if (Environment.GetEnvironmentVariable(KeepVariable) is { Length: > 0 } kept)
        {
            await MeasureAsync(AcceptBench.KeptRoot(kept), docs, deliveries);
            return;
        }

        var root = AcceptBench.NewRoot("lgsp-bench-console-");
        try
        {
            await MeasureAsync(root, docs, deliveries);
        }
        finally
        {
            // After the hub and the cluster have stopped.
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

    private static async Task MeasureAsync(string root, long docs, long deliveries)
    {
        await using var cluster = await AcceptBench.StartClusterAsync(root);
        await using var data = NpgsqlDataSource.Create(cluster.ConnectionString);
        var pki = Path.Combine(root, "pki");
        var secretKey = Path.Combine(root, "secret.key");
        var perDocument = (int)Math.Clamp(deliveries / Math.Max(docs, 1), 1, Agencies - Senders);
        var seededMark = Path.Combine(root, "seeded");
        var seeding = TimeSpan.Zero;
        if (File.Exists(seededMark))
        {
            // The sizes it was seeded with, whatever this run was asked for.
            var sizes = (await File.ReadAllTextAsync(seededMark)).Split(' ');
            (docs, deliveries) = (long.Parse(sizes[0], Inv), long.Parse(sizes[1], Inv));
            perDocument = (int)Math.Clamp(deliveries / Math.Max(docs, 1), 1, Agencies - Senders);
            AcceptBench.Say($"Reusing the store seeded in {root}: {docs} documents, {deliveries} deliveries");
        }
        else
        {
            await DemoProvince.SeedAsync(new PostgresDirectoryStore(data, TimeProvider.System), pki, "http://127.0.0.1", SecretBox.LoadOrCreate(secretKey));
            var watch = Stopwatch.StartNew();
            await SeedAsync(data, docs, perDocument);
            seeding = watch.Elapsed;
            await new PostgresConsoleUserStore(data, TimeProvider.System).AddAsync(
                new ConsoleUser(User, ConsoleRole.Admin, [], "local", SecretHash.Hash(Password), false, 0, null, DateTimeOffset.UtcNow, null), "bench");
            await File.WriteAllTextAsync(seededMark, $"{docs} {deliveries}");
        }

        var counts = await ScalarsAsync(data, "SELECT (SELECT count(*) FROM lgsp.package), (SELECT count(*) FROM lgsp.delivery), (SELECT count(*) FROM lgsp.ledger)");
        AcceptBench.Say($"Seeded {counts[0]} packages, {counts[1]} deliveries, {counts[2]} ledger entries in {seeding.TotalSeconds:F0} s");

        var targets = await TargetsAsync(data, docs);

        var hubDirectory = Directory.CreateDirectory(Path.Combine(root, "hub")).FullName;
        await using var hub = await HubProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Lgsp"] = cluster.ConnectionString,
            ["Hub:DataDirectory"] = hubDirectory,
            ["Hub:SecretKeyPath"] = secretKey,
            ["Hub:CertificatePath"] = Path.Combine(pki, DemoProvince.HubCertificate + ".pem"),
            ["Hub:CertificateKeyPath"] = Path.Combine(pki, DemoProvince.HubCertificate + ".key.pem"),
            // The generated ledger entries are not the hub's to seal: sealing millions would take the CPU away from the reads.
            ["Hub:Ledger:Sealer"] = "false",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        }, hubDirectory, readyTimeout: TimeSpan.FromMinutes(5)); // a shared machine may be slow to start it
        AcceptBench.Say($"Hub process {hub.ProcessId} ready on {hub.BaseUri}");

        using var http = await SignInAsync(hub.BaseUri);
        var pages = new (string Name, string Goal, Func<int, string> Url)[]
        {
            ($"search by words (`q={targets.Words}`)", "p95 < 200 ms", _ => "/console/documents?q=" + Uri.EscapeDataString(targets.Words)),
            ("search by DocumentId (`q=<id>`)", "p95 < 200 ms", i => "/console/documents?q=" + Uri.EscapeDataString(targets.DocumentIds[i % targets.DocumentIds.Count])),
            ($"search by recipient + dates (`to={targets.Recipient}&since={targets.Since}&until={targets.Until}`)", "p95 < 200 ms",
                _ => $"/console/documents?to={Uri.EscapeDataString(targets.Recipient)}&since={targets.Since}&until={targets.Until}"),
            ("document page (`/console/documents/{id}`)", "p95 < 100 ms", i => "/console/documents/" + Uri.EscapeDataString(targets.DocumentIds[i % targets.DocumentIds.Count])),
            ("overview (`/console/`)", "p95 < 300 ms", _ => "/console/"),
        };

        var postmaster = int.Parse(File.ReadLines(Path.Combine(cluster.DataDirectory, "postmaster.pid")).First(), Inv);
        var cpuBefore = CpuReading.Take(hub.ProcessId, postmaster);
        var rows = new List<string>();
        foreach (var (name, goal, url) in pages)
        {
            for (var i = 0; i < Warmups; i++)
            {
                await GetAsync(http, url(i));
            }

            var times = new List<double>(Requests);
            for (var i = 0; i < Requests; i++)
            {
                var one = Stopwatch.StartNew();
                await GetAsync(http, url(i));
                times.Add(one.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            var row = $"| {name} | {Ms(Pct(times, 50))} | {Ms(Pct(times, 95))} | {Ms(times[^1])} | {goal} |";
            AcceptBench.Say(row);
            rows.Add(row);
        }

        var cpu = CpuReading.Take(hub.ProcessId, postmaster) - cpuBefore;
        Console.WriteLine($"## Console benchmark, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine($"Store: {counts[0]:N0} document packages, {counts[1]:N0} deliveries ({perDocument} per document), {counts[2]:N0} ledger entries; seeded in {seeding.TotalSeconds:F0} s.");
        Console.WriteLine($"Request round trip on loopback (client side; bounds the server time from above), {Requests} requests each after {Warmups} warm-ups, one at a time:");
        Console.WriteLine($"While measuring: machine busy {cpu.BusyShare:P0}, of which other processes {cpu.OtherShare:P0}; load average at the end {File.ReadAllText("/proc/loadavg").Split(' ')[0]}.");
        Console.WriteLine();
        Console.WriteLine("| request | p50 | p95 | max | goal |");
        Console.WriteLine("|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
    }

    private static async Task GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(new Uri(url, UriKind.Relative));
        var body = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK || body.Length == 0)
        {
            throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode}");
        }
    }

    /// <summary>Signs in as the console does in a browser: the login form's antiforgery token and
    /// cookie, then the posted form; the client keeps the session cookie.</summary>
    private static async Task<HttpClient> SignInAsync(Uri baseUri)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = baseUri,
            Timeout = TimeSpan.FromMinutes(2),
        };
        var form = await http.GetStringAsync(new Uri("/console/login", UriKind.Relative));
        var token = TokenPattern().Match(form) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException("No antiforgery token on the login page.");
        using var posted = await http.PostAsync(new Uri("/console/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = User,
            ["password"] = Password,
            ["returnUrl"] = "/console/",
            ["__RequestVerificationToken"] = token,
        }));
        if (posted.StatusCode != HttpStatusCode.Redirect && posted.StatusCode != HttpStatusCode.Found)
        {
            throw new InvalidOperationException($"Sign-in answered {(int)posted.StatusCode}.");
        }

        await GetAsync(http, "/console/documents");
        return http;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private static double Pct(List<double> sorted, int p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.0" : "0", Inv) + " ms";

    private static async Task<long[]> ScalarsAsync(NpgsqlDataSource data, string sql)
    {
        await using var command = data.CreateCommand(sql);
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return [.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetInt64)];
    }

    internal static async Task ExecuteAsync(NpgsqlDataSource data, string sql, params object[] parameters)
    {
        await using var command = data.CreateCommand(sql);
        command.CommandTimeout = 0;
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>What the timed requests ask for: two common words, 50 DocumentIds spread over the
    /// store (their packages' bodies made real edXML, so the page reads a real header), and a
    /// recipient with a month's window two months back.</summary>
    private sealed record Targets(string Words, IReadOnlyList<string> DocumentIds, string Recipient, string Since, string Until);

    private static async Task<Targets> TargetsAsync(NpgsqlDataSource data, long docs)
    {
        var ids = Enumerable.Range(0, 50).Select(i => 1 + i * docs / 50).ToArray();
        var documentIds = new List<string>();
        await using (var command = data.CreateCommand("SELECT id, from_agency, document_id FROM lgsp.package WHERE id = ANY($1) ORDER BY id"))
        {
            command.Parameters.AddWithValue(ids);
            await using var reader = await command.ExecuteReaderAsync();
            var bodies = new List<(long Id, byte[] Body)>();
            while (await reader.ReadAsync())
            {
                documentIds.Add(reader.GetString(2));
                bodies.Add((reader.GetInt64(0), TestPackages.Document(DemoProvince.Agencies[0].Code, [DemoProvince.Agencies[1].Code], subject: "V/v triển khai chuyển đổi số năm 2026")));
            }

            await reader.DisposeAsync();
            foreach (var (id, body) in bodies)
            {
                await ExecuteAsync(data, "UPDATE lgsp.package SET body = $2, size = length($2) WHERE id = $1", id, body);
            }
        }

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return new Targets("chuyen doi", documentIds, AgencyCode(Senders), today.AddDays(-60).ToString("yyyy-MM-dd", Inv), today.AddDays(-31).ToString("yyyy-MM-dd", Inv));
    }

    /// <summary>The generated agencies' codes: the first <see cref="Senders"/> send, all receive.</summary>
    internal static string AgencyCode(int i) => string.Create(Inv, $"000.{50 + i / 100:00}.{i % 100:00}.H56");
}
