using System.Diagnostics;
using Lgsp.Exchange.Directory;
using Lgsp.Server.Demo;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Lgsp.Server.Tests.Hub;

/// <summary>
/// A province scaled out: three hub processes on one PostgreSQL database behind a round-robin front, a
/// parent hub (a real process) above them. Agencies of the province send to each other and to agencies
/// of the parent (forwarded by push jobs), agencies of the parent send down (pulled by the parent poller);
/// one instance is SIGKILLed mid-burst and started again. Afterwards every document answered as accepted
/// is delivered exactly once to each recipient, a send that got no answer is absent or delivered once,
/// every delivery reached its final state, and each hub's ledger is one valid chain.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class SeveralInstancesTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const string Parent = "root";
    private const string Province = "prov";
    private static readonly string[] ProvinceAgencies = ["000.00.01.H26", "000.00.02.H26", "000.00.03.H26", "000.00.04.H26"];
    private static readonly string[] ParentAgencies = ["000.00.01.H27", "000.00.02.H27"];
    // Generous: on a loaded 2-core machine the parent poller takes one item every second or two.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(300);

    [Fact(Timeout = 600_000)]
    public async Task Three_instances_on_one_database_with_one_killed_mid_burst_deliver_every_accepted_document_exactly_once()
    {
        var watch = Stopwatch.StartNew();
        void Say(string what) => output.WriteLine($"[{watch.Elapsed.TotalSeconds:0.0} s] {what}");

        await using var topology = await Topology.StartAsync(postgres, [new(Parent, null), new(Province, Parent)],
            [
                .. ProvinceAgencies.Select((code, i) => new AgencySpec(code, $"Sở thử nghiệm {i + 1}", AgencyTier.Department, Province)),
                .. ParentAgencies.Select((code, i) => new AgencySpec(code, $"Sở tỉnh bên {i + 1}", AgencyTier.Department, Parent)),
            ],
            new Dictionary<string, string?>
            {
                ["Hub:Ledger:SealInterval"] = "00:00:00.500",
                // A forward cut short by the kill holds its delivery until the lease ends (the topology's
                // 10 s, over its 5 s push and 8 s hub-call timeouts); then the reconciler (every 2 s here)
                // sends it again. Shorter timeouts failed calls that a loaded machine made slow.
                // Longer than a forward waits in the queue under the burst, so that the reconciler does
                // not enqueue the whole backlog again every round.
                ["Hub:Delivery:ReconcileGrace"] = "00:00:10",
                ["Hub:Delivery:Workers"] = "4",
            });
        var instances = new List<Instance> { Instance.Of(topology[Province]) };
        for (var i = 1; i < 3; i++)
        {
            instances.Add(await Instance.StartAnotherAsync(topology[Province], (char)('a' + i)));
        }

        await using var front = await RoundRobinFront.StartAsync([.. instances.Select(i => i.BaseUri)]);
        Say($"parent hub {topology[Parent].BaseUri}; province instances {string.Join(", ", instances.Select(i => i.BaseUri))} on one database; front {front.BaseUri}");

        try
        {
            IReadOnlyList<SendRecord> up, down;
            Instance victim;
            int[] pullsAtKill;
            await using (var upBurst = new SendBurst())
            await using (var downBurst = new SendBurst())
            {
                upBurst.Start(front.SoapUri, Setup(topology, ProvinceAgencies), 4, ProvinceRecipients);
                downBurst.Start(topology[Parent].SoapUri, Setup(topology, ParentAgencies), 1, ParentRecipients);

                // Kill an instance that has run the parent poller, so that the poller has to move.
                await upBurst.WaitAsync(TimeSpan.FromSeconds(3), successes: 20, timeout: Patience);
                victim = await topology.WaitForAsync(() => Task.FromResult(instances.Where(i => i.Pulls > 0).MaxBy(i => i.Pulls)), Patience,
                    "an instance that pulled from the parent");
                pullsAtKill = [.. instances.Select(i => i.Pulls)];
                var checkpointsAtKill = await CountAsync(topology[Province], "SELECT count(*) FROM lgsp.checkpoint");
                await victim.KillAsync();
                Say($"killed {victim.Name} {upBurst.Elapsed.TotalSeconds:0.0} s into the burst; pulls per instance so far [{string.Join(", ", pullsAtKill)}]; {checkpointsAtKill} checkpoints");

                await Task.Delay(TimeSpan.FromSeconds(2));
                await victim.StartAsync();
                Say($"{victim.Name} started again");
                await upBurst.WaitAsync(upBurst.Elapsed + TimeSpan.FromSeconds(1), successes: upBurst.Successes + 5, timeout: upBurst.Elapsed + Patience);
                await upBurst.StopAsync();
                await downBurst.StopAsync();
                up = [.. upBurst.Records];
                down = [.. downBurst.Records];

                Assert.True(await CountAsync(topology[Province], "SELECT count(*) FROM lgsp.checkpoint") > checkpointsAtKill, "No instance sealed after the kill.");
            }

            Say($"up: {up.Count} sends, {up.Count(s => s.Succeeded)} accepted, {up.Count(s => !s.Succeeded)} without an answer; "
                + $"down: {down.Count} sends, {down.Count(s => s.Succeeded)} accepted; front served [{string.Join(", ", front.Served)}], skipped a dead instance {front.Skipped} times");
            Assert.All(down, s => Assert.True(s.Succeeded, s.Failure));
            Assert.All(front.Served, served => Assert.True(served > 0, "An instance answered nothing through the front."));

            // The forwards up reach their final state, the parent poller has taken everything down.
            await SettleAsync(topology, watch);
            Assert.True(instances.Where(i => i != victim).Select(i => i.Pulls).Sum() > instances.Where(i => i != victim).Sum(i => pullsAtKill[instances.IndexOf(i)]),
                "No other instance ran the parent poller after the kill.");

            // Every recipient pulls what it has, each document once.
            foreach (var agency in ProvinceAgencies)
            {
                await PullEverythingAsync(topology, front.SoapUri, agency, [.. up.Concat(down).Where(s => s.To.Contains(agency))]);
            }

            foreach (var agency in ParentAgencies)
            {
                await PullEverythingAsync(topology, topology[Parent].SoapUri, agency, [.. up.Where(s => s.To.Contains(agency))]);
            }

            Say("every recipient got every accepted document once");

            // No job lost: every delivery on both hubs reached its final state (a push to an agency
            // delivered, a forward delivered or, once its far recipient confirmed, acknowledged; a pull
            // fetched and confirmed), none failed.
            foreach (var hub in new[] { Province, Parent })
            {
                Assert.Equal(0L, await CountAsync(topology[hub], "SELECT count(*) FROM lgsp.delivery WHERE state NOT IN ('delivered', 'acknowledged')"));
                Assert.Equal(0L, await CountAsync(topology[hub], "SELECT count(*) FROM lgsp.delivery WHERE mode = 'push' AND via_hub IS NULL AND state <> 'delivered'"));
            }

            await AssertOneChainAsync(topology, Province, Say);
            await AssertOneChainAsync(topology, Parent, Say);
        }
        catch (Exception ex) when (ex is not XunitException)
        {
            throw new XunitException($"{ex.GetType().Name}: {ex.Message}{Environment.NewLine}{string.Join(Environment.NewLine, instances.Select(i => $"--- {i.Name}{Environment.NewLine}{i.Tail}"))}", ex);
        }
        finally
        {
            foreach (var instance in instances.Skip(1))
            {
                await instance.DisposeAsync();
            }
        }
    }

    private static IReadOnlyList<string> ProvinceRecipients(string from)
    {
        // Two agencies of the province (pulled through the front) and one of the parent (forwarded up).
        var start = Array.IndexOf(ProvinceAgencies, from);
        return [ProvinceAgencies[(start + 1) % ProvinceAgencies.Length], ProvinceAgencies[(start + 2) % ProvinceAgencies.Length],
            ParentAgencies[start % ParentAgencies.Length]];
    }

    private static IReadOnlyList<string> ParentRecipients(string from)
    {
        // Two agencies of the province: the parent holds them until the province's poller takes them.
        var start = Array.IndexOf(ParentAgencies, from);
        return [ProvinceAgencies[start], ProvinceAgencies[start + 2]];
    }

    private static DemoSetup Setup(Topology topology, IEnumerable<string> agencies) =>
        new("", "", "", "", [.. agencies.Select(topology.Agency).Select(a => new DemoSystem(a.System, a.Secret, [a.Code], a.CertPem, a.KeyPem))]);
}
