using System.Text.Json;
using Lgsp.Edxml.Signatures;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Ledger;
using Lgsp.Server.Outbound.Links;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Outbound.Links;

/// <summary>Witnessing between two real hub processes on loopback: the child seals its ledger,
/// sends its latest checkpoint to its parent over the axis protocol, and stores the countersignature;
/// the parent records the head in its own ledger (docs/audit.md, "what witnessing adds").</summary>
[Collection(PostgresCollection.Name)]
public sealed class WitnessingTests(PostgresFixture postgres)
{
    private const string Root = "root";
    private const string Province = "prov-a";
    private const string Commune = "000.61.10.H26";

    [Fact]
    public async Task A_child_hub_gets_its_sealed_head_recorded_in_its_parents_ledger_and_stores_the_countersignature()
    {
        await using var topology = await StartAsync();

        var stored = await topology.WaitForAsync(async () =>
            (await topology[Province].QueryAsync("SELECT witness, last_seq, head, checkpoint_sha256, xml FROM lgsp.countersignature ORDER BY last_seq LIMIT 1"))
            .FirstOrDefault(), TimeSpan.FromSeconds(60), "a countersignature at the child");

        var (witness, lastSeq, head) = ((string)stored[0]!, (long)stored[1]!, (string)stored[2]!);
        Assert.Equal(Root, witness);
        var sealedHead = await topology[Province].QueryAsync("SELECT encode(head, 'hex') FROM lgsp.checkpoint WHERE last_seq = $1", lastSeq);
        Assert.Equal(head, Assert.Single(sealedHead)[0]);
        var verdict = Witness.Verify((byte[])stored[4]!, SignerCheck.SignatureOnly);
        Assert.True(verdict.IsValid, verdict.Problem);
        Assert.Equal((Root, Province, lastSeq, head), (verdict.Witness!.WitnessHub, verdict.Witness.Hub, verdict.Witness.LastSeq, verdict.Witness.Head));

        var recorded = await topology[Root].QueryAsync(
            "SELECT actor, detail::text FROM lgsp.ledger WHERE kind = 'witness.recorded' AND (detail ->> 'lastSeq')::bigint = $1", lastSeq);
        var (actor, detail) = ((string)Assert.Single(recorded)[0]!, JsonDocument.Parse((string)recorded[0][1]!).RootElement);
        Assert.Equal(Topology.InboundSystem(Province), actor);
        Assert.Equal((Province, head, (string)stored[3]!, Root),
            (detail.GetProperty("hub").GetString(), detail.GetProperty("head").GetString(), detail.GetProperty("checkpointSha256").GetString(), detail.GetProperty("witness").GetString()));
        var countersigned = await topology[Province].QueryAsync(
            "SELECT count(*) FROM lgsp.ledger WHERE kind = 'witness.countersigned' AND (detail ->> 'lastSeq')::bigint = $1", lastSeq);
        Assert.Equal(1L, countersigned[0][0]);
    }

    [Fact]
    public async Task A_system_that_is_not_a_child_hub_is_refused_witnessing_with_NotChildHub()
    {
        await using var topology = await StartAsync();
        var account = topology.Agency(Commune);
        var hub = topology[Province];
        var caller = new HubLink("as-agency", HubRole.Parent, hub.AxisUri, account.System, hub.Secrets.Seal(account.Secret), null, true);
        var checkpoint = (byte[])(await topology.WaitForAsync(async () =>
            (await hub.QueryAsync("SELECT xml FROM lgsp.checkpoint ORDER BY last_seq LIMIT 1")).FirstOrDefault(), TimeSpan.FromSeconds(60), "a checkpoint"))[0]!;
        using var http = new HttpClient();

        var answer = await new AxisClient(http, hub.Secrets, TimeProvider.System).WitnessCheckpointAsync(caller, checkpoint);

        Assert.Equal(AxisAnswerKind.Refused, answer.Kind);
        Assert.Equal(("NotChildHub", "systemid"), (answer.ErrorCode, answer.ErrorField));
        Assert.Empty(await hub.QueryAsync("SELECT 1 FROM lgsp.ledger WHERE kind = 'witness.recorded'"));
    }

    [Fact]
    public async Task A_countersignature_by_a_certificate_other_than_the_parents_registered_one_is_not_kept_and_is_counted()
    {
        await using var topology = await StartAsync();
        var child = topology[Province];

        // The child now knows another certificate as its parent's: the parent's real countersignatures
        // are, to it, signed by someone else, however well they chain to the root.
        using var other = Lgsp.Edxml.Testing.Pki.TestPki.Create("Other parent key");
        await using (var data = Npgsql.NpgsqlDataSource.Create(child.ConnectionString))
        {
            var store = new Lgsp.Postgres.Storage.PostgresDirectoryStore(data, TimeProvider.System);
            var parent = (await store.FindHubAsync(Root))!;
            await store.SaveHubAsync(parent with { SigningCertificate = other.IssueOrganization("hub-" + Root, "LGSP " + Root) }, "test");
        }

        using var http = new HttpClient();
        await topology.WaitForAsync(async () =>
            (await http.GetStringAsync(new Uri(child.BaseUri, "metrics"))).Contains("lgsp_witness_cycles_total{outcome=\"bad-countersignature\"}", StringComparison.Ordinal)
                ? "counted" : null, TimeSpan.FromSeconds(60), "a bad-countersignature cycle at the child");
        var kept = (long)(await child.QueryAsync("SELECT count(*) FROM lgsp.countersignature"))[0][0]!;
        await Task.Delay(TimeSpan.FromSeconds(4));

        Assert.Equal(kept, (long)(await child.QueryAsync("SELECT count(*) FROM lgsp.countersignature"))[0][0]!);
        Assert.True((long)(await topology[Root].QueryAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'witness.recorded'"))[0][0]! > kept,
            "the parent kept witnessing the child's new checkpoints; the child kept none of those countersignatures");
    }

    [Fact]
    public async Task The_witness_check_over_the_hub_to_hub_channel_matches_an_untouched_child_and_names_a_rewritten_entry()
    {
        await using var topology = await StartAsync();
        var child = topology[Province];
        await topology.WaitForAsync(async () =>
            (long)(await child.QueryAsync("SELECT count(*) FROM lgsp.countersignature"))[0][0]! >= 2 ? "" : null, TimeSpan.FromSeconds(60), "two countersignatures at the child");
        await child.StopAsync();
        string[] check =
        [
            "audit", "witness-check", "--witness-url", topology[Root].AxisUri.ToString(), "--database", child.ConnectionString,
            "--secret-key", Path.Combine(child.Directory, "secret.key"),
            "--trust", Path.Combine(topology.PkiDirectory, "root.pem"), "--hub-cert", Path.Combine(topology.PkiDirectory, $"org-hub-{Root}.pem"),
        ];

        var (exit, output) = RunCli(check);

        Assert.True(exit == 0, output);
        var issued = (long)(await topology[Root].QueryAsync("SELECT count(*) FROM lgsp.witnessed_checkpoint WHERE hub = $1", Province))[0][0]!;
        Assert.Matches($"^[0-9]+ witnessed heads match \\({issued} countersignatures given by the witness over its channel, [0-9]+ countersignatures stored by the hub", output);

        // The child's operator rewrites an early entry and throws away every record that would betray it.
        await child.QueryAsync("""
            SET session_replication_role = replica;
            UPDATE lgsp.ledger SET detail = jsonb_set(detail, '{rewritten}', 'true') WHERE seq = 2;
            DELETE FROM lgsp.countersignature;
            SET session_replication_role = origin;
            """);

        var (tamperedExit, tamperedOutput) = RunCli(check);

        Assert.True(tamperedExit == 1, tamperedOutput);
        Assert.Contains("entry rewritten at or before seq", tamperedOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_system_that_is_not_a_child_hub_is_refused_the_countersignatures_with_NotChildHub()
    {
        await using var topology = await StartAsync();
        var account = topology.Agency(Commune);
        var hub = topology[Province];
        var caller = new HubLink("as-agency", HubRole.Parent, hub.AxisUri, account.System, hub.Secrets.Seal(account.Secret), null, true);
        using var http = new HttpClient();

        var answer = await new AxisClient(http, hub.Secrets, TimeProvider.System).GetCountersignaturesAsync(caller, 0);

        Assert.Equal(AxisAnswerKind.Refused, answer.Kind);
        Assert.Equal(("NotChildHub", "systemid"), (answer.ErrorCode, answer.ErrorField));
    }

    private static (int Exit, string Output) RunCli(string[] arguments)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = Lgsp.Cli.LgspCommand.Run(arguments, new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString() + error);
    }

    private Task<Topology> StartAsync() => Topology.StartAsync(postgres,
        [new(Root, null), new(Province, Root)],
        [new(Commune, "UBND xã Hòa Sơn", AgencyTier.Commune, Province)],
        new Dictionary<string, string?>
        {
            ["Hub:Ledger:SealInterval"] = "00:00:00.500",
            ["Hub:Ledger:WitnessInterval"] = "00:00:01",
        });
}
