using System.Diagnostics;
using System.Globalization;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Trust;
using Lgsp.Postgres.Ledger;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Hub;
using Npgsql;

namespace Lgsp.Server.Tests.Hub;

/// <summary>The instances, and the checks after the burst.</summary>
public sealed partial class SeveralInstancesTests
{
    /// <summary>Waits until every forward up is delivered and the parent has nothing left for the province.</summary>
    private async Task SettleAsync(Topology topology, Stopwatch watch)
    {
        await topology.WaitForAsync(async () =>
            await CountAsync(topology[Province], "SELECT count(*) FROM lgsp.delivery WHERE mode = 'push' AND state <> 'delivered'") == 0
            && await CountAsync(topology[Parent], "SELECT count(*) FROM lgsp.delivery WHERE via_hub IS NOT NULL AND state <> 'acknowledged'") == 0
                ? "settled" : null, Patience, "every forward delivered and every document down taken by the province");
        output.WriteLine($"[{watch.Elapsed.TotalSeconds:0.0} s] forwards delivered; the parent holds nothing more for the province");
    }

    /// <summary>The agency fetches and confirms everything pending for it: each document exactly once, every
    /// accepted one among them, nothing that was never sent.</summary>
    private static async Task PullEverythingAsync(Topology topology, Uri soapUri, string agency, IReadOnlyList<SendRecord> addressed)
    {
        var account = topology.Agency(agency);
        var pending = await EdocHttp.GetPendingDocumentsAsync(topology.Http, soapUri, account.System, account.Secret, agency);
        var twice = pending.GroupBy(p => (p.From, p.DocumentId)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"{agency} has {twice.Count} documents pending more than once, e.g. {twice.FirstOrDefault()}.");
        var sent = addressed.ToDictionary(s => (s.From, s.DocumentId));
        Assert.All(pending, p => Assert.True(sent.ContainsKey((p.From, p.DocumentId)), $"{agency} was given {p.From} {p.DocumentId}, which was never sent to it."));
        var have = pending.Select(p => (p.From, p.DocumentId)).ToHashSet();
        var lost = addressed.Where(s => s.Succeeded && !have.Contains((s.From, s.DocumentId))).ToList();
        Assert.True(lost.Count == 0, $"{agency} misses {lost.Count} accepted documents, e.g. {lost.FirstOrDefault()?.From} {lost.FirstOrDefault()?.DocumentId}.");

        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (item, ct) =>
        {
            var bytes = await EdocHttp.GetDocumentAsync(topology.Http, soapUri, account.System, account.Secret, item.Id, ct);
            Assert.Equal(sent[(item.From, item.DocumentId)].Package, bytes);
            await EdocHttp.CallAsync(topology.Http, soapUri, "ConfirmReceived", account.System, account.Secret,
                $"<Id>{item.Id.ToString(CultureInfo.InvariantCulture)}</Id><Outcome>done</Outcome>", ct);
        });

        Assert.Empty(await EdocHttp.GetPendingDocumentsAsync(topology.Http, soapUri, account.System, account.Secret, agency));
    }

    /// <summary>Once sealing has caught up: the hub's ledger verifies as one chain signed by the hub, every entry sealed once.</summary>
    /// <remarks>The hubs keep writing entries after the bursts (the parent's follow-ups and the outcomes
    /// reported up arrive on their own polls), and a verification that runs while the sealer is between
    /// its seals and its checkpoint sees seals no checkpoint covers yet. So "caught up" is a verification,
    /// waited for, that holds with every entry sealed once while the entry count stays the same; if none
    /// comes, the last verdict says why.</remarks>
    private static async Task AssertOneChainAsync(Topology topology, string hub, Action<string> say)
    {
        await using var data = NpgsqlDataSource.Create(topology[hub].ConnectionString);
        var trust = new CertificateTrust(new TrustOptions { Roots = TrustMaterial.LoadCertificates(Path.Combine(topology.PkiDirectory, "root.pem")) });
        var pin = TrustMaterial.LoadCertificates(Path.Combine(topology.PkiDirectory, $"org-hub-{hub}.pem"));
        long entries = 0, sealedRows = 0;
        LedgerVerdict? last = null;
        try
        {
            var verdict = await topology.WaitForAsync(async () =>
            {
                var entriesBefore = await CountAsync(topology[hub], "SELECT count(*) FROM lgsp.ledger");
                last = await new PostgresLedger(data).VerifyAsync(new SignerCheck(trust).PinnedTo(pin));
                sealedRows = await CountAsync(topology[hub], "SELECT count(*) FROM lgsp.ledger_seal");
                entries = await CountAsync(topology[hub], "SELECT count(*) FROM lgsp.ledger");
                return entriesBefore == entries && last.Holds && last.Unsealed == 0 && last.SealedEntries == entries && sealedRows == entries
                    ? last
                    : null;
            }, Patience, $"every ledger entry of {hub} sealed once and verified");
            say($"{hub}: {entries} ledger entries in {verdict.Checkpoints} checkpoints; verdict: holds");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{hub}: the ledger never verified with every entry sealed once; last verdict: {last?.Break?.ToString() ?? "holds"}, "
                + $"{last?.Unsealed} unsealed, {last?.SealedEntries} sealed entries, {sealedRows} seal rows, {entries} entries.");
        }
    }

    private static async Task<long> CountAsync(TopologyHub hub, string sql) => (long)(await hub.QueryAsync(sql))[0][0]!;

    /// <summary>One instance of the province's hub: its process (started again after a kill on the same
    /// port, as a service manager would) and how often it pulled from the parent.</summary>
    private sealed class Instance : IAsyncDisposable
    {
        private readonly Func<HubProcess?> _process;
        private readonly Func<Task> _kill;
        private readonly Func<Task> _start;
        private int _pullsBefore;

        private Instance(string name, Uri baseUri, Func<HubProcess?> process, Func<Task> kill, Func<Task> start)
        {
            Name = name;
            BaseUri = baseUri;
            _process = process;
            _kill = kill;
            _start = start;
        }

        public string Name { get; }

        public Uri BaseUri { get; }

        /// <summary>Items it pulled from the parent, over its lives.</summary>
        public int Pulls => _pullsBefore + PullsInThisLife();

        /// <summary>The end of its output.</summary>
        public string Tail => string.Join(Environment.NewLine, (_process()?.Output ?? "(not running)").Split(Environment.NewLine).TakeLast(40));

        /// <summary>The instance the topology started.</summary>
        public static Instance Of(TopologyHub hub) => new("instance a", hub.BaseUri, () => hub.Process, hub.KillAsync, hub.StartAsync);

        /// <summary>Another instance with the same configuration and database, its own port and data directory.</summary>
        public static async Task<Instance> StartAnotherAsync(TopologyHub hub, char name)
        {
            var settings = new Dictionary<string, string?>(hub.Settings)
            {
                ["Hub:DataDirectory"] = Directory.CreateDirectory(hub.Directory + "-" + name).FullName,
            };
            var port = HubProcess.FreePort();
            HubProcess? process = null;
            async Task StartAsync() => process = await HubProcess.StartAsync(settings, settings["Hub:DataDirectory"]!, TimeSpan.FromSeconds(120), port);
            async Task KillAsync()
            {
                if (process is not null)
                {
                    await process.KillAsync();
                    await process.DisposeAsync();
                    process = null;
                }
            }

            await StartAsync();
            return new Instance($"instance {name}", new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), () => process, KillAsync, StartAsync);
        }

        /// <summary>SIGKILL.</summary>
        public async Task KillAsync()
        {
            _pullsBefore += PullsInThisLife();
            await _kill();
        }

        /// <summary>Starts it again.</summary>
        public Task StartAsync() => _start();

        public async ValueTask DisposeAsync() => await _kill();

        private int PullsInThisLife() =>
            (_process()?.Output ?? "").Split(Environment.NewLine).Count(l => l.Contains("Pulled ", StringComparison.Ordinal) && l.Contains("from parent hub", StringComparison.Ordinal));
    }
}
