using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Lgsp.Exchange.Directory;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Bench;

// hubfanout: one upload per next hop (ADR 0017), both sides of the comparison with --group.
internal static partial class HubLinkBench
{
    private static async Task<int> FanOutAsync(PostgresFixture postgres, int documents, int recipients, int group, int workers)
    {
        const string From = "000.61.10.H26";
        var codes = Enumerable.Range(1, recipients).Select(i => $"000.{i / 100:00}.{i % 100:00}.H01").ToList();
        await using var topology = await Topology.StartAsync(postgres,
            [new("root", null), new("prov-a", "root")],
            [new(From, "UBND xã Hòa Sơn", AgencyTier.Commune, "prov-a"), .. codes.Select(c => new AgencySpec(c, "Cơ quan " + c, AgencyTier.Central, "root"))],
            new Dictionary<string, string?>
            {
                ["Hub:Delivery:Workers"] = workers.ToString(CultureInfo.InvariantCulture),
                ["Hub:Parent:MaxForwardGroup"] = group.ToString(CultureInfo.InvariantCulture),
                ["Serilog:MinimumLevel:Default"] = "Warning",
            });
        var sender = topology.Client(From);
        var child = topology["prov-a"];
        var expected = (long)documents * recipients;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < documents; i++)
        {
            await sender.SendDocumentAsync(topology.SignedDocument(From, codes));
        }

        while ((long)(await child.QueryAsync("SELECT count(*) FROM lgsp.delivery WHERE state = 'delivered'"))[0][0]! < expected)
        {
            if (watch.Elapsed > TimeSpan.FromMinutes(15))
            {
                throw new TimeoutException("The forwards did not finish within 15 minutes.");
            }

            await Task.Delay(100);
        }

        var elapsed = watch.Elapsed;
        var span = (await child.QueryAsync("SELECT extract(epoch FROM max(finished_at) - min(started_at)), count(*) FILTER (WHERE outcome <> 'delivered') FROM lgsp.delivery_attempt"))[0];
        var metrics = await topology.Http.GetStringAsync(new Uri(topology["root"].BaseUri, "metrics"));
        var uploads = AcceptedDocuments().Matches(metrics).Sum(m => double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture));
        var deliveriesAtParent = (long)(await topology["root"].QueryAsync("SELECT count(*) FROM lgsp.delivery"))[0][0]!;
        Console.WriteLine($"## Fan-out behind the parent ({documents} documents x {recipients} recipients, up to {group} codes per upload, {workers} workers)");
        Console.WriteLine();
        Console.WriteLine("| uploads at the parent | deliveries there | send to all delivered | forwarding window | failed attempts |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine(FormattableString.Invariant(
            $"| {uploads:0} | {deliveriesAtParent} | {elapsed.TotalSeconds:0.0} s | {Convert.ToDouble(span[0], CultureInfo.InvariantCulture):0.0} s | {span[1]} |"));
        return 0;
    }

    // Every sendEdoc the parent answered for a document, first or repeat (duplicate="true").
    [GeneratedRegex("""lgsp_packages_accepted_total\{[^}]*kind="document"[^}]*\} (?<n>[0-9.e+]+)""")]
    private static partial Regex AcceptedDocuments();
}
