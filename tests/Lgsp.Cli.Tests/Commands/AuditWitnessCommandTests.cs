using Lgsp.Cli.Tests.Hub;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Receipts;
using Lgsp.Postgres.Ledger;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Cli.Tests.Commands;

/// <summary><c>lgsp audit witness-check</c> on a child hub's database and its parent's, after real
/// sealing and witnessing (docs/audit.md, "what witnessing adds").</summary>
[Collection(PostgresCollection.Name)]
public sealed class AuditWitnessCommandTests(PostgresFixture fixture) : IDisposable
{
    private const string Child = "hub-child";
    private const string Parent = "hub-parent";
    private readonly TestPki _pki = TestPki.Create("Witness check");
    private readonly string _rootPem = Path.Combine(Path.GetTempPath(), $"lgsp-witness-root-{Guid.NewGuid():N}.pem");
    private readonly string _parentPem = Path.Combine(Path.GetTempPath(), $"lgsp-witness-parent-{Guid.NewGuid():N}.pem");

    private CertificateTrust Trust => new(new TrustOptions { Roots = [_pki.Root] });

    public void Dispose()
    {
        File.Delete(_rootPem);
        File.Delete(_parentPem);
        _pki.Dispose();
    }

    [Fact]
    public async Task An_untouched_child_ledger_matches_every_head_its_parent_witnessed()
    {
        await using var pair = await WitnessedPairAsync();

        var (exit, output, error) = pair.Child.Run("audit", "witness-check", "--witness-database", pair.Parent.ConnectionString, "--trust", _rootPem, "--hub-cert", _parentPem);

        Assert.True(exit == 0, error + output);
        Assert.StartsWith("4 witnessed heads match (2 recorded by the witness, 2 countersignatures stored by hub hub-child; witness signer pinned to ", output);
    }

    [Fact]
    public async Task A_child_that_rewrote_an_entry_and_resealed_everything_with_its_own_key_passes_verify_ledger_but_fails_the_witness_check()
    {
        await using var pair = await WitnessedPairAsync();

        // The attacker has full access to the child's database and its hub key: it edits entry 9,
        // deletes the seal records, checkpoints and countersignatures that would betray the edit,
        // and seals the altered history again.
        await pair.Child.ScalarAsync("""
            SET session_replication_role = replica;
            UPDATE lgsp.ledger SET detail = jsonb_set(detail, '{name}', '"Sở Tư pháp"') WHERE seq = 9;
            DELETE FROM lgsp.ledger_seal; DELETE FROM lgsp.checkpoint; DELETE FROM lgsp.countersignature;
            SET session_replication_role = origin;
            """);
        await Sealer(pair.Child).SealAsync(pair.ChildIdentity);
        var alone = await new PostgresLedger(pair.Child.DataSource).VerifyAsync(new SignerCheck(Trust).PinnedTo([pair.ChildIdentity.Certificate]));
        Assert.True(alone.Holds, alone.Break?.ToString());
        Assert.Equal(12, alone.SealedEntries);

        var (exit, output, _) = pair.Child.Run("audit", "witness-check", "--witness-database", pair.Parent.ConnectionString, "--hub", Child, "--trust", _rootPem, "--hub-cert", _parentPem);

        Assert.Equal(1, exit);
        Assert.StartsWith($"entry rewritten at or before seq 11 and after seq 6, whose witnessed head still matches: head witnessed by {Parent} at ", output);
        var resealedHeadAt11 = await pair.Child.ScalarAsync("SELECT encode(chain_hash, 'hex') FROM lgsp.ledger_seal WHERE seq = 11");
        Assert.Contains($"was {pair.WitnessedHeadAt11}, the ledger now gives {resealedHeadAt11}", output);
        Assert.NotEqual(pair.WitnessedHeadAt11, resealedHeadAt11);
    }

    [Fact]
    public async Task A_rewrite_is_caught_by_the_countersignatures_the_child_stored_even_without_records_at_the_parent()
    {
        await using var pair = await WitnessedPairAsync();
        await using var emptyParent = await HubDatabase.CreateAsync(fixture);
        await pair.Child.ScalarAsync("""
            SET session_replication_role = replica;
            UPDATE lgsp.ledger SET actor = 'someone else' WHERE seq = 3;
            SET session_replication_role = origin;
            """);

        var (exit, output, _) = pair.Child.Run("audit", "witness-check", "--witness-database", emptyParent.ConnectionString, "--trust", _rootPem, "--hub-cert", _parentPem);

        Assert.Equal(1, exit);
        Assert.StartsWith($"entry rewritten at or before seq 6: head witnessed by {Parent} at ", output);
        Assert.Contains("(countersignature stored by the hub)", output);
    }

    [Fact]
    public async Task A_forged_countersignature_in_the_child_database_fails_the_check()
    {
        await using var pair = await WitnessedPairAsync();
        await pair.Child.ScalarAsync("""
            SET session_replication_role = replica;
            UPDATE lgsp.countersignature SET xml = convert_to(replace(convert_from(xml, 'UTF8'), '<LastSeq>6</LastSeq>', '<LastSeq>5</LastSeq>'), 'UTF8')
            WHERE last_seq = 6;
            SET session_replication_role = origin;
            """);

        var (exit, output, _) = pair.Child.Run("audit", "witness-check", "--witness-database", pair.Parent.ConnectionString, "--trust", _rootPem, "--hub-cert", _parentPem);

        Assert.Equal(1, exit);
        Assert.StartsWith($"countersignature by {Parent} for seq 6 does not hold: witness signature invalid", output);
    }

    [Fact]
    public async Task Witnessing_the_same_checkpoint_again_answers_the_same_countersignature_and_records_it_once()
    {
        await using var pair = await WitnessedPairAsync();
        var latest = (byte[])(await pair.Child.ScalarAsync("SELECT xml FROM lgsp.checkpoint ORDER BY last_seq DESC LIMIT 1"))!;

        var again = await pair.Witness.WitnessAsync(pair.Caller, latest);

        Assert.Equal((byte[])(await pair.Child.ScalarAsync("SELECT xml FROM lgsp.countersignature WHERE last_seq = 11"))!, again);
        Assert.Equal(2L, await pair.Parent.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'witness.recorded'"));
    }

    [Fact]
    public async Task Without_the_parents_pinned_certificate_the_check_is_not_made_and_says_the_witness_signer_is_unpinned()
    {
        await using var pair = await WitnessedPairAsync();

        var (exit, output, _) = pair.Child.Run("audit", "witness-check", "--witness-database", pair.Parent.ConnectionString, "--trust", _rootPem);

        Assert.Equal(1, exit);
        Assert.StartsWith("witness signer: NOT pinned (no --hub-cert or --hub-fingerprint)", output);
        Assert.DoesNotContain("witnessed heads match", output);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_witness_is_named_by_exactly_one_of_its_database_and_its_url(bool both)
    {
        await using var pair = await WitnessedPairAsync();
        string[] witness = both ? ["--witness-database", pair.Parent.ConnectionString, "--witness-url", "http://127.0.0.1:9/vxp"] : [];

        var (exit, _, error) = pair.Child.Run(["audit", "witness-check", .. witness, "--trust", _rootPem, "--hub-cert", _parentPem]);

        Assert.Equal(2, exit);
        Assert.Contains("exactly one of --witness-database and --witness-url", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_witness_url_on_a_hub_without_a_parent_link_is_a_usage_error_naming_the_missing_link()
    {
        await using var pair = await WitnessedPairAsync();

        var (exit, output, error) = pair.Child.Run("audit", "witness-check", "--witness-url", "http://127.0.0.1:9/vxp", "--trust", _rootPem, "--hub-cert", _parentPem);

        Assert.True(exit == 2, output + error);
        Assert.Contains("the audited hub has no parent hub link", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_countersignature_by_a_certificate_other_than_the_parents_fails_the_check_as_not_pinned()
    {
        await using var pair = await WitnessedPairAsync();
        var impostor = new HubIdentity(Parent, _pki.IssueOrganization("000.00.01.H56", "Sở Tài chính"), [_pki.Intermediate]);
        var checkpointXml = (byte[])(await pair.Child.ScalarAsync("SELECT xml FROM lgsp.checkpoint WHERE last_seq = 6"))!;
        var checkpoint = Checkpoint.Verify(checkpointXml, SignerCheck.SignatureOnly).Checkpoint!;
        var forged = Witness.Of(checkpoint, checkpointXml, Parent, DateTimeOffset.UtcNow).Sign(impostor);
        await pair.Child.ScalarAsync($"""
            SET session_replication_role = replica;
            UPDATE lgsp.countersignature SET xml = '\x{Convert.ToHexString(forged)}' WHERE last_seq = 6;
            SET session_replication_role = origin;
            """);

        var (exit, output, _) = pair.Child.Run("audit", "witness-check", "--witness-database", pair.Parent.ConnectionString, "--trust", _rootPem, "--hub-cert", _parentPem);

        Assert.Equal(1, exit);
        Assert.StartsWith($"countersignature by {Parent} for seq 6 does not hold: witness signer not trusted: SignerNotPinned: ", output);
    }

    [Fact]
    public async Task A_checkpoint_signed_by_a_certificate_other_than_the_registered_childs_is_refused_by_the_witness()
    {
        await using var pair = await WitnessedPairAsync();
        var impostor = new HubIdentity(Child, _pki.IssueOrganization("000.00.01.H56", "Sở Tài chính"), [_pki.Intermediate]);
        await pair.Child.ScalarAsync("INSERT INTO lgsp.ledger (at, kind, actor, detail) VALUES (now(), 'directory.changed', 'test', '{}')");
        await Sealer(pair.Child).SealAsync(impostor);
        var next = await new PostgresWitnessStore(pair.Child.DataSource).NextUnwitnessedAsync(Parent);

        var refused = await Assert.ThrowsAsync<ExchangeException>(() => pair.Witness.WitnessAsync(pair.Caller, next!.Xml));

        Assert.Equal(HubErrorCode.CheckpointInvalid, refused.Error.Code);
        Assert.Contains("SignerNotPinned", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2L, await pair.Parent.ScalarAsync("SELECT count(*) FROM lgsp.ledger WHERE kind = 'witness.recorded'"));
    }

    /// <summary>A child with sealed entries, witnessed twice by its parent, holding both
    /// countersignatures: six entries sealed and witnessed at seq 6; the witness.countersigned entry
    /// (seq 7) and four more sealed and witnessed at seq 11; the second witness.countersigned entry
    /// (seq 12) is sealed by nobody yet.</summary>
    private async Task<WitnessedPair> WitnessedPairAsync()
    {
        await File.WriteAllTextAsync(_rootPem, _pki.Root.ExportCertificatePem());
        var child = await HubDatabase.CreateAsync(fixture);
        var parent = await HubDatabase.CreateAsync(fixture);
        var childIdentity = new HubIdentity(Child, _pki.IssueOrganization("000.00.00.H56", "LGSP tỉnh Thanh Hóa"), [_pki.Intermediate]);
        var parentIdentity = new HubIdentity(Parent, _pki.IssueOrganization("000.00.00.G22", "Trục liên thông quốc gia"), [_pki.Intermediate]);
        await File.WriteAllTextAsync(_parentPem, parentIdentity.Certificate.ExportCertificatePem());
        await parent.Directory.AddTrustCertificateAsync(_pki.Root, root: true, "test");
        await parent.ScalarAsync($"""
            INSERT INTO lgsp.client_system (id, secret_hash, policy) VALUES ('hub-child-in', 'x', 'strict');
            INSERT INTO lgsp.hub (id, role, base_url, system_id, secret_box, inbound_system, signing_cert)
            VALUES ('hub-child', 'child', 'http://127.0.0.1:1/vxp', 'hub-parent-in', '\x00', 'hub-child-in', '\x{Convert.ToHexString(childIdentity.Certificate.RawData)}');
            """);
        var witness = new CheckpointWitness(parentIdentity, parent.Directory, new TrustCache(parent.Directory, TimeProvider.System, TimeSpan.Zero),
            new PostgresWitnessStore(parent.DataSource), TimeProvider.System);
        var caller = new ClientSystem("hub-child-in", PackagePolicy.Strict, new HashSet<string>()) { Hub = Child };
        var childStore = new PostgresWitnessStore(child.DataSource);

        string? headAt11 = null;
        foreach (var (count, witnessedAt) in new[] { (6, 6L), (4, 11L) })
        {
            await child.ScalarAsync($"""
                INSERT INTO lgsp.ledger (at, kind, actor, detail)
                SELECT now(), 'directory.changed', 'test', jsonb_build_object('n', g, 'name', 'Sở Tài chính') FROM generate_series(1, {count}) g
                """);
            await Sealer(child).SealAsync(childIdentity);
            var next = await childStore.NextUnwitnessedAsync(Parent);
            Assert.Equal(witnessedAt, next?.LastSeq);
            var countersignature = await witness.WitnessAsync(caller, next!.Xml);
            var verdict = Witness.Verify(countersignature, new SignerCheck(Trust).PinnedTo([parentIdentity.Certificate]));
            Assert.True(verdict.IsTrusted, verdict.Problem);
            Assert.True(await childStore.SaveCountersignatureAsync(verdict.Witness!, countersignature, "hub", DateTimeOffset.UtcNow));
            headAt11 = verdict.Witness!.Head;
        }

        Assert.Null(await childStore.NextUnwitnessedAsync(Parent));
        return new WitnessedPair(child, parent, childIdentity, parentIdentity, witness, caller, headAt11!);
    }

    private static PostgresLedgerSealer Sealer(HubDatabase db) => new(db.DataSource, TimeProvider.System, batchSize: 4);

    private sealed record WitnessedPair(HubDatabase Child, HubDatabase Parent, HubIdentity ChildIdentity, HubIdentity ParentIdentity, CheckpointWitness Witness, ClientSystem Caller,
        string WitnessedHeadAt11) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Child.DisposeAsync();
            await Parent.DisposeAsync();
        }
    }
}
