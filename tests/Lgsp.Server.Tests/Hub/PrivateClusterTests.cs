using System.Diagnostics;
using Lgsp.Postgres.Cluster;
using Lgsp.Postgres.Hosting;
using Lgsp.Server.Demo;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Packages;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Lgsp.Server.Tests.Hub;

/// <summary>The zero-configuration start's private PostgreSQL cluster, with the built server as a real
/// process: started as root from a checkout the <c>postgres</c> account cannot reach, and kept running
/// when its postmaster is killed under load.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PrivateClusterTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> NoSettings = new() { ["ConnectionStrings:Lgsp"] = null };
    private static readonly string[] Agencies = [.. DemoProvince.Agencies.Select(a => a.Code)];

    [Fact(Timeout = 300_000)]
    public async Task AsRootInAFolderClosedToPostgresTheClusterLivesUnderTheFallbackRootAndTheHubAndTheCommandFindItAgain()
    {
        if (Environment.UserName != "root")
        {
            return; // Only root hands the cluster to another account.
        }

        // Like `git clone … /root/lgsp`: a folder only root may enter.
        var folder = Path.Combine("/root", "lgsp-root-start-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var asked = Path.Combine(folder, "var", HubDatabaseLocation.ClusterFolder);
        string? recorded = null;
        try
        {
            DemoSetup demo;
            await using (var first = await HubProcess.StartAsync(NoSettings, folder, TimeSpan.FromSeconds(180)))
            {
                recorded = ClusterPlacement.Recorded(asked);
                Assert.NotNull(recorded);
                Assert.StartsWith(ClusterPlacement.DefaultFallbackRoot + "/lgsp-root-start-", recorded, StringComparison.Ordinal);
                Assert.True(File.Exists(Path.Combine(recorded, "PG_VERSION")), first.Output);
                Assert.Equal(asked + "\n", File.ReadAllText(Path.Combine(Path.GetDirectoryName(recorded)!, ClusterPlacement.OwnerFileName)));
                Assert.Contains($"cannot reach {asked}", first.Output, StringComparison.Ordinal);
                Assert.Contains($"the private cluster lives in {recorded} instead", first.Output, StringComparison.Ordinal);
                Assert.False(File.Exists(Path.Combine(asked, "PG_VERSION")));

                // The hub works: the demo is seeded under ./var and a demo system's package is accepted.
                demo = DemoSetup.Read(Path.Combine(folder, "var", "demo.json"));
                var sender = demo.Systems.Single(s => s.Agencies.Contains("000.00.61.H56"));
                var package = TestPackages.Sign(TestPackages.Document("000.00.61.H56", ["000.00.02.H56"]), sender.CertPem, sender.KeyPem);
                using var http = new HttpClient();
                Assert.False((await EdocHttp.SendDocumentAsync(http, first.SoapUri, sender.Id, sender.Secret, EdocHttp.SendDocumentEnvelope(package))).Duplicate);
                Assert.Equal(0, await first.StopAsync(TimeSpan.FromSeconds(60)));
                Assert.False(File.Exists(Path.Combine(recorded, "postmaster.pid")), "the cluster is stopped with the hub");
            }

            // An operator's command finds the same cluster through the pointer file.
            var location = HubDatabaseLocation.Choose(null, "ConnectionStrings:Lgsp", Path.Combine(folder, "var"), "the default data directory");
            await using (var borrowed = await HubDatabase.OpenAsync(location, PrivateClusterUse.Borrow, output.WriteLine))
            {
                Assert.Equal(recorded, borrowed.Cluster!.DataDirectory);
                Assert.Contains(await borrowed.Directory.ListAgenciesAsync(), a => a.Code == "000.00.61.H56");
            }

            // The next start reuses it, saying where it is.
            await using var second = await HubProcess.StartAsync(NoSettings, folder, TimeSpan.FromSeconds(120));
            Assert.Contains($"The private cluster of {asked} lives in {recorded}", second.Output, StringComparison.Ordinal);
            Assert.Contains("Existing cluster", second.Output, StringComparison.Ordinal);
            var receiver = demo.Systems.Single(s => s.Agencies.Contains("000.00.02.H56"));
            using var client = new HttpClient();
            Assert.Single(await EdocHttp.GetPendingDocumentsAsync(client, second.SoapUri, receiver.Id, receiver.Secret, "000.00.02.H56"));
            Assert.Equal(0, await second.StopAsync(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            recorded ??= File.Exists(ClusterPlacement.PointerFile(asked)) ? ClusterPlacement.Recorded(asked) : null;
            if (recorded is not null)
            {
                await StopLeftoverClusterAsync(recorded);
                Directory.Delete(Path.GetDirectoryName(recorded)!, recursive: true);
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task APostmasterKilledUnderLoadIsStartedAgainAndEveryAcceptedPackageIsDeliveredOnce()
    {
        var folder = Directory.CreateTempSubdirectory("lgsp-supervised-").FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("755", 8));
        var clusterDirectory = Path.Combine(folder, "var", HubDatabaseLocation.ClusterFolder);
        HubProcess? hub = null;
        try
        {
            hub = await HubProcess.StartAsync(NoSettings, folder, TimeSpan.FromSeconds(180));
            var demo = DemoSetup.Read(Path.Combine(folder, "var", "demo.json"));
            var postmaster = int.Parse(File.ReadLines(Path.Combine(clusterDirectory, "postmaster.pid")).First());

            IReadOnlyList<SendRecord> sends;
            TimeSpan killedAt;
            TimeSpan? upAgainAt = null;
            await using (var burst = new SendBurst())
            {
                burst.Start(hub.SoapUri, demo, senders: 3, RecipientsOf);
                await burst.WaitAsync(TimeSpan.FromSeconds(1), successes: 10, timeout: TimeSpan.FromSeconds(60));
                killedAt = burst.Elapsed;
                using (var process = Process.GetProcessById(postmaster))
                {
                    process.Kill(); // SIGKILL to the postmaster this test's hub started, and to nothing else
                }

                var deadline = Stopwatch.StartNew();
                while (upAgainAt is null && deadline.Elapsed < TimeSpan.FromSeconds(90))
                {
                    await Task.Delay(100);
                    if (hub.Output.Contains("runs again on port", StringComparison.Ordinal))
                    {
                        upAgainAt = burst.Elapsed;
                    }
                }

                Assert.True(upAgainAt is not null, "The hub did not start its cluster again.");
                var before = burst.Successes;
                await burst.WaitAsync(TimeSpan.Zero, successes: before + 20, timeout: upAgainAt.Value + TimeSpan.FromSeconds(60));
                await burst.StopAsync();
                sends = [.. burst.Records];
            }

            var failed = sends.Where(s => !s.Succeeded).ToList();
            output.WriteLine($"killed postmaster {postmaster} at {killedAt.TotalSeconds:0.00} s, up again at {upAgainAt!.Value.TotalSeconds:0.00} s; "
                + $"{sends.Count} sends, {failed.Count} failed");
            foreach (var line in hub.Output.Split('\n').Where(l => l.Contains("cluster", StringComparison.Ordinal) || l.Contains("[database]", StringComparison.Ordinal)))
            {
                output.WriteLine(line);
            }

            Assert.All(failed.Where(f => f.EndedAt < killedAt), f => Assert.Fail($"A send failed before the kill: {f.Failure}"));
            Assert.Contains(sends, s => s.Succeeded && s.EndedAt > upAgainAt.Value);
            Assert.NotEqual(postmaster, int.Parse(File.ReadLines(Path.Combine(clusterDirectory, "postmaster.pid")).First()));

            // One line per change of state, and the metrics.
            Assert.Equal(1, Occurrences(hub.Output, "is down (no live postmaster)"));
            Assert.Equal(1, Occurrences(hub.Output, "runs again on port"));
            using var http = new HttpClient { BaseAddress = hub.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("health/ready")).StatusCode);
            var metrics = await http.GetStringAsync("metrics");
            Assert.Contains("\nlgsp_cluster_restarts_total 1\n", metrics, StringComparison.Ordinal);
            Assert.Contains("\nlgsp_cluster_up 1\n", metrics, StringComparison.Ordinal);

            // The sends that failed are sent again (a committed one answers Duplicate); then every
            // recipient finds every document addressed to it exactly once: nothing lost, nothing doubled.
            foreach (var send in failed)
            {
                var answer = await EdocHttp.SendDocumentAsync(http, hub.SoapUri, send.System.Id, send.System.Secret, EdocHttp.SendDocumentEnvelope(send.Package));
                Assert.Equal(send.Sha256, answer.Sha256);
            }

            foreach (var agency in Agencies)
            {
                var system = demo.Systems.Single(s => s.Agencies.Contains(agency));
                var expected = sends.Where(s => s.To.Contains(agency)).Select(s => (s.From, s.DocumentId)).Order().ToList();
                var pending = await EdocHttp.GetPendingDocumentsAsync(http, hub.SoapUri, system.Id, system.Secret, agency);
                Assert.Equal(expected, pending.Select(p => (p.From, p.DocumentId)).Order().ToList());
            }

            Assert.Equal(0, await hub.StopAsync(TimeSpan.FromSeconds(60)));
        }
        catch (Exception ex) when (hub is not null)
        {
            throw new XunitException($"{ex.GetType().Name}: {ex.Message}{Environment.NewLine}--- hub output ---{Environment.NewLine}{hub?.Output}", ex);
        }
        finally
        {
            if (hub is not null)
            {
                await hub.DisposeAsync();
            }

            await StopLeftoverClusterAsync(clusterDirectory);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IReadOnlyList<string> RecipientsOf(string from)
    {
        var others = Agencies.Where(a => a != from).ToList();
        var start = Array.IndexOf(Agencies, from);
        return [others[start % others.Count], others[(start + 1) % others.Count]];
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task StopLeftoverClusterAsync(string directory)
    {
        if (File.Exists(Path.Combine(directory, "postmaster.pid")))
        {
            var cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions { DataDirectory = directory });
            await cluster.StopAsync(PostgresStopMode.Immediate);
        }
    }
}
