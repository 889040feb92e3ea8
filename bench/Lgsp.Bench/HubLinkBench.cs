using System.Diagnostics;
using System.Globalization;
using System.Xml.Linq;
using Lgsp.Exchange.Directory;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Bench;

/// <summary>
/// Hubs talking to hubs, as real server processes on one test cluster (bench/README.md, "Hub links"):
/// <list type="bullet">
/// <item><c>fourhop</c>: end-to-end latency of a document from a commune under a district hub of
/// province A to a commune of province B (forwarded up twice, pulled down once, pulled by the
/// recipient), one document at a time, measured from the SOAP send to the moment the recipient's
/// pending list shows it;</item>
/// <item><c>forward</c>: forwarding throughput between a child hub and its parent: a burst of documents
/// accepted at the child, forwarded with <c>sendEdoc</c>; forwards per second from the first forward's
/// start to the last one's end, as the child's attempt rows record them;</item>
/// <item><c>hubfanout</c>: documents each addressed to many recipients behind the parent, forwarded with
/// up to <c>--group</c> codes per upload (ADR 0017; <c>--group 1</c> is one upload per recipient, as
/// before): uploads the parent received and the time until every forward is delivered.</item>
/// </list>
/// </summary>
internal static partial class HubLinkBench
{
    private static readonly XNamespace Ns = EdocHttp.Namespace;

    public const string Usage = """
        Lgsp.Bench fourhop [--sends 30] [--poll-ms 500]
        Lgsp.Bench forward [--documents 300] [--clients 4] [--workers 10]
        Lgsp.Bench hubfanout [--documents 10] [--recipients 50] [--group 200] [--workers 10]
        """;

    public static async Task<int> RunAsync(string mode, string[] args)
    {
        var options = new BenchArgs(args, Usage);
        var postgres = new PostgresFixture();
        await postgres.InitializeAsync();
        try
        {
            return mode switch
            {
                "fourhop" => await FourHopAsync(postgres, options.Int("--sends", 30), options.Int("--poll-ms", 500)),
                "hubfanout" => await FanOutAsync(postgres, options.Int("--documents", 10), options.Int("--recipients", 50), options.Int("--group", 200),
                    options.Int("--workers", 10)),
                _ => await ForwardAsync(postgres, options.Int("--documents", 300), options.Int("--clients", 4), options.Int("--workers", 10)),
            };
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    private static async Task<int> FourHopAsync(PostgresFixture postgres, int sends, int pollMs)
    {
        const string From = "000.61.10.H26";
        const string To = "000.62.20.H27";
        var poll = TimeSpan.FromMilliseconds(pollMs).ToString("c", CultureInfo.InvariantCulture);
        await using var topology = await Topology.StartAsync(postgres,
            [new("root", null), new("prov-a", "root"), new("dist-a1", "prov-a"), new("prov-b", "root")],
            [new(From, "UBND xã Hòa Sơn", AgencyTier.Commune, "dist-a1"), new(To, "UBND xã Tân Lập", AgencyTier.Commune, "prov-b")],
            new Dictionary<string, string?>
            {
                ["Hub:Parent:PollInterval"] = poll,
                ["Hub:Delivery:PollInterval"] = poll,
                ["Serilog:MinimumLevel:Default"] = "Warning",
            });
        var sender = topology.Client(From);
        var recipient = topology.Client(To);

        // One warm-up document (JIT, pools, first connections on every hop), not counted.
        await OneAsync(topology, sender, recipient, From, To);
        var latencies = new List<double>();
        for (var i = 0; i < sends; i++)
        {
            latencies.Add((await OneAsync(topology, sender, recipient, From, To)).TotalMilliseconds);
        }

        latencies.Sort();
        Console.WriteLine($"## Four-hop delivery latency ({sends} documents one at a time; poll interval {pollMs} ms at every hub)");
        Console.WriteLine();
        Console.WriteLine("| p50 | p99 | min | max | mean |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine(FormattableString.Invariant(
            $"| {Percentile(latencies, 0.50):0} ms | {Percentile(latencies, 0.99):0} ms | {latencies[0]:0} ms | {latencies[^1]:0} ms | {latencies.Average():0} ms |"));
        return 0;
    }

    private static async Task<TimeSpan> OneAsync(Topology topology, AgencyClient sender, AgencyClient recipient, string from, string to)
    {
        var package = topology.SignedDocument(from, [to]);
        var watch = Stopwatch.StartNew();
        var documentId = await sender.SendDocumentAsync(package);
        while (true)
        {
            var item = (await recipient.PendingDocumentsAsync()).FirstOrDefault(i => i.Element(Ns + "DocumentId")!.Value == documentId);
            if (item is not null)
            {
                var elapsed = watch.Elapsed;
                await recipient.ConfirmAsync(long.Parse(item.Element(Ns + "Id")!.Value, CultureInfo.InvariantCulture));
                return elapsed;
            }

            if (watch.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"{documentId} did not arrive within 2 minutes.");
            }

            await Task.Delay(20);
        }
    }

    private static async Task<int> ForwardAsync(PostgresFixture postgres, int documents, int clients, int workers)
    {
        const string From = "000.61.10.H26";
        const string To = "000.00.05.H01";
        await using var topology = await Topology.StartAsync(postgres,
            [new("root", null), new("prov-a", "root")],
            [new(From, "UBND xã Hòa Sơn", AgencyTier.Commune, "prov-a"), new(To, "Bộ Nội vụ", AgencyTier.Central, "root")],
            new Dictionary<string, string?>
            {
                ["Hub:Delivery:Workers"] = workers.ToString(CultureInfo.InvariantCulture),
                ["Serilog:MinimumLevel:Default"] = "Warning",
            });
        var packages = Enumerable.Range(0, documents).Select(_ => topology.SignedDocument(From, [To])).ToList();
        var sender = topology.Client(From);
        var next = -1;
        var sending = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < documents; i = Interlocked.Increment(ref next))
            {
                await sender.SendDocumentAsync(packages[i]);
            }
        }));
        var sent = sending.Elapsed;

        var child = topology["prov-a"];
        var watch = Stopwatch.StartNew();
        while ((long)(await child.QueryAsync("SELECT count(*) FROM lgsp.delivery WHERE state = 'delivered'"))[0][0]! < documents)
        {
            if (watch.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException("The forwards did not finish within 10 minutes.");
            }

            await Task.Delay(200);
        }

        var span = (await child.QueryAsync(
            "SELECT extract(epoch FROM max(finished_at) - min(started_at)), count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)), " +
            "percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)), count(*) FILTER (WHERE outcome <> 'delivered') FROM lgsp.delivery_attempt"))[0];
        var seconds = Convert.ToDouble(span[0], CultureInfo.InvariantCulture);
        Console.WriteLine($"## Forwarding throughput, child hub to parent ({documents} documents, {workers} workers, {clients} senders)");
        Console.WriteLine();
        Console.WriteLine("| forwards/s | forwards | failed attempts | forwarding window | accepted at the child in | one forward p50 | one forward p99 |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        Console.WriteLine(FormattableString.Invariant(
            $"| {documents / seconds:0.0} | {span[1]} | {span[4]} | {seconds:0.0} s | {sent.TotalSeconds:0.0} s ({documents / sent.TotalSeconds:0.0}/s) | {Convert.ToDouble(span[2], CultureInfo.InvariantCulture) * 1000:0} ms | {Convert.ToDouble(span[3], CultureInfo.InvariantCulture) * 1000:0} ms |"));
        return 0;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
