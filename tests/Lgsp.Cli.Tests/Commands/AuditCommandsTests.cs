using Lgsp.Edxml.Testing.Pki;
using Lgsp.Exchange.Receipts;
using Lgsp.Postgres.Ledger;
using Lgsp.TestSupport.Postgres;
using Npgsql;
using HubDatabase = Lgsp.Cli.Tests.Hub.HubDatabase;

namespace Lgsp.Cli.Tests.Commands;

/// <summary><c>lgsp audit verify-ledger</c> on a sealed ledger, untouched and tampered with the way
/// someone with full database access would: triggers switched off, rows changed.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AuditCommandsTests(PostgresFixture fixture, AuditCommandsTests.Pki pki) : IClassFixture<AuditCommandsTests.Pki>
{
    private readonly Pki _pki = pki;

    [Fact]
    public async Task An_untouched_ledger_holds_and_the_report_names_entries_checkpoints_head_and_what_is_not_yet_sealed()
    {
        await using var db = await SealedLedgerAsync();
        await db.ScalarAsync("INSERT INTO lgsp.ledger (at, kind, actor, detail) VALUES (now(), 'directory.changed', 'late', '{}')");

        var output = db.Ok("audit", "verify-ledger", "--trust", _pki.RootFile, "--hub-cert", _pki.HubFile);

        Assert.Contains("ledger holds: 29 entries, 3 checkpoints, head ", output);
        Assert.Contains("not yet sealed: 1 entry after the last checkpoint", output);
    }

    [Theory]
    [InlineData("UPDATE lgsp.ledger SET detail = '{\"n\": 999}' WHERE seq = 15", 15, "content hash differs")]
    [InlineData("DELETE FROM lgsp.ledger WHERE seq = 15", 15, "entry missing")]
    [InlineData("UPDATE lgsp.ledger l SET detail = o.detail FROM lgsp.ledger o WHERE (l.seq, o.seq) IN ((13, 17), (17, 13))", 13, "content hash differs")]
    [InlineData("INSERT INTO lgsp.ledger (seq, at, kind, actor, detail) VALUES (11, now(), 'directory.changed', 'forger', '{}')", 11, "forged entry")]
    [InlineData("DELETE FROM lgsp.ledger WHERE seq = 21; DELETE FROM lgsp.ledger_seal WHERE seq = 21", 21, "entry missing: count 9 but checkpoint 12..21 says 10")]
    [InlineData("UPDATE lgsp.checkpoint SET xml = convert_to(replace(convert_from(xml, 'UTF8'), '<Count>10</Count>', '<Count>11</Count>'), 'UTF8') WHERE first_seq = 12", 12, "signature does not verify")]
    [InlineData("UPDATE lgsp.checkpoint SET head = previous_head WHERE first_seq = 22", 22, "but its signed XML says")]
    public async Task Tampering_is_reported_at_the_position_it_happened_and_exits_one(string tamper, long seq, string problem)
    {
        await using var db = await SealedLedgerAsync();
        await TamperAsync(db, tamper);

        var (exit, output, error) = db.Run("audit", "verify-ledger", "--trust", _pki.RootFile, "--hub-cert", _pki.HubFile);

        Assert.True(exit == 1, $"exit {exit}: {error}{output}");
        Assert.Contains($"ledger broken at seq {seq}: ", output);
        Assert.Contains(problem, output);
    }

    [Fact]
    public async Task Checkpoints_signed_by_a_certificate_outside_the_given_trust_break_at_the_first_checkpoint()
    {
        await using var db = await SealedLedgerAsync();
        using var stranger = TestPki.Create("Stranger");
        var root = Path.Combine(Directory.CreateTempSubdirectory("lgsp-audit-").FullName, "root.pem");
        await File.WriteAllTextAsync(root, stranger.Root.ExportCertificatePem());

        var (exit, output, _) = db.Run("audit", "verify-ledger", "--trust", root, "--hub-cert", _pki.HubFile);

        Assert.Equal(1, exit);
        Assert.Contains("ledger broken at seq 1: checkpoint 1..10 (row 1): checkpoint signer not trusted", output);
    }

    [Fact]
    public async Task Without_a_trust_root_signatures_and_the_pin_are_checked_and_the_report_says_the_chain_was_not()
    {
        await using var db = await SealedLedgerAsync();

        var (exit, output, _) = db.Run("audit", "verify-ledger", "--data", Directory.CreateTempSubdirectory("lgsp-audit-").FullName, "--hub-cert", _pki.HubFile);

        Assert.Equal(0, exit);
        Assert.Contains("NOT checked against a trust root", output);
        Assert.Contains("checkpoint signer pinned to ", output);
        Assert.Contains("ledger holds: 29 entries", output);
    }

    [Fact]
    public async Task Without_a_pinned_hub_certificate_the_ledger_is_not_verified_and_the_report_says_the_signer_is_unpinned()
    {
        await using var db = await SealedLedgerAsync();

        var (exit, output, _) = db.Run("audit", "verify-ledger", "--trust", _pki.RootFile, "--data", Directory.CreateTempSubdirectory("lgsp-audit-").FullName);

        Assert.Equal(1, exit);
        Assert.Contains("checkpoint signer: NOT pinned (no --hub-cert or --hub-fingerprint", output);
        Assert.DoesNotContain("ledger holds", output);
    }

    [Fact]
    public async Task A_ledger_resealed_with_another_agencys_certificate_under_the_same_root_breaks_at_its_first_checkpoint_as_not_pinned()
    {
        await using var db = await SealedLedgerAsync(_pki.Agency);

        var (exit, output, _) = db.Run("audit", "verify-ledger", "--trust", _pki.RootFile, "--hub-cert", _pki.HubFile);

        Assert.Equal(1, exit);
        Assert.Contains("ledger broken at seq 1: checkpoint 1..10 (row 1): checkpoint signer not trusted: SignerNotPinned: ", output);
    }

    [Fact]
    public async Task After_a_key_rotation_checkpoints_signed_with_the_previous_certificate_verify_when_it_is_pinned_too()
    {
        await using var db = await SealedLedgerAsync(_pki.PreviousHub);
        await db.ScalarAsync("INSERT INTO lgsp.ledger (at, kind, actor, detail) VALUES (now(), 'directory.changed', 'after rotation', '{}')");
        await new PostgresLedgerSealer(db.DataSource, TimeProvider.System).SealAsync(_pki.Hub);

        var both = db.Run("audit", "verify-ledger", "--trust", _pki.RootFile, "--hub-cert", _pki.HubFile, "--hub-cert", _pki.PreviousHubFile);
        var currentOnly = db.Run("audit", "verify-ledger", "--trust", _pki.RootFile, "--hub-cert", _pki.HubFile);

        Assert.True(both.Exit == 0, both.Output);
        Assert.Contains("ledger holds: 30 entries, 4 checkpoints", both.Output);
        Assert.Equal(1, currentOnly.Exit);
        Assert.Contains("ledger broken at seq 1: checkpoint 1..10 (row 1): checkpoint signer not trusted: SignerNotPinned: ", currentOnly.Output);
    }

    [Fact]
    public async Task A_hub_certificate_revoked_by_a_given_crl_breaks_the_ledger_at_its_first_checkpoint()
    {
        await using var db = await SealedLedgerAsync();

        var (exit, output, _) = db.Run("audit", "verify-ledger", "--trust", _pki.RootFile, "--hub-cert", _pki.HubFile, "--crl", _pki.CrlRevokingHub);

        Assert.Equal(1, exit);
        Assert.Contains("ledger broken at seq 1: checkpoint 1..10 (row 1): checkpoint signer not trusted: ", output);
        Assert.Contains("was revoked on", output);
    }

    [Fact]
    public async Task From_a_seq_the_walk_starts_at_the_checkpoint_covering_it_and_ignores_breaks_before_it()
    {
        await using var db = await SealedLedgerAsync();
        await TamperAsync(db, "UPDATE lgsp.ledger SET actor = 'someone else' WHERE seq = 3");

        var output = db.Ok("audit", "verify-ledger", "--from", "15", "--trust", _pki.RootFile, "--hub-cert", _pki.HubFile);
        var whole = db.Run("audit", "verify-ledger", "--trust", _pki.RootFile, "--hub-cert", _pki.HubFile);

        Assert.Contains("ledger holds: 19 entries, 2 checkpoints", output);
        Assert.Equal(1, whole.Exit);
        Assert.Contains("ledger broken at seq 3: content hash differs", whole.Output);
    }

    [Fact]
    public async Task A_ledger_of_one_hundred_thousand_entries_verifies()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        await db.ScalarAsync("""
            INSERT INTO lgsp.ledger (at, kind, actor, document_id, detail)
            SELECT now(), 'package.received', 'bench', 'DOC-' || g, jsonb_build_object('n', g, 'sha256', md5(g::text), 'size', g * 10)
            FROM generate_series(1, 100000) g
            """);
        await new PostgresLedgerSealer(db.DataSource, TimeProvider.System).SealAsync(_pki.Hub);

        var output = db.Ok("audit", "verify-ledger", "--trust", _pki.RootFile, "--hub-cert", _pki.HubFile);

        Assert.Contains("ledger holds: 100000 entries, 20 checkpoints", output);
    }

    /// <summary>Entries 1..10 and 12..30 (11 was drawn and never committed), sealed ten at a time:
    /// checkpoints 1..10, 12..21 and 22..30.</summary>
    private async Task<HubDatabase> SealedLedgerAsync(HubIdentity? sealer = null)
    {
        var db = await HubDatabase.CreateAsync(fixture);
        await db.ScalarAsync("""
            INSERT INTO lgsp.ledger (at, kind, actor, detail)
            SELECT now(), 'directory.changed', 'test', jsonb_build_object('n', g, 'name', 'Sở Tài chính') FROM generate_series(1, 10) g
            """);
        await db.ScalarAsync("SELECT nextval('lgsp.ledger_seq_seq')");
        await db.ScalarAsync("""
            INSERT INTO lgsp.ledger (at, kind, actor, detail)
            SELECT now(), 'directory.changed', 'test', jsonb_build_object('n', g) FROM generate_series(12, 30) g
            """);
        await new PostgresLedgerSealer(db.DataSource, TimeProvider.System, batchSize: 10).SealAsync(sealer ?? _pki.Hub);
        return db;
    }

    /// <summary>Runs <paramref name="sql"/> with the append-only triggers and foreign keys off, as the
    /// cluster's superuser can.</summary>
    private static async Task TamperAsync(HubDatabase db, string sql)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SET session_replication_role = replica; " + sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The hub's signing identity and its root as a PEM file.</summary>
    public sealed class Pki : IDisposable
    {
        private readonly TestPki _pki = TestPki.Create("Audit");

        public Pki()
        {
            Hub = new HubIdentity("hub-audit", _pki.IssueOrganization("000.00.00.H56", "LGSP audit test hub"), [_pki.Intermediate]);
            PreviousHub = new HubIdentity("hub-audit", _pki.IssueOrganization("000.00.00.H56", "LGSP audit test hub"), [_pki.Intermediate]);
            Agency = new HubIdentity("hub-audit", _pki.IssueOrganization("000.00.01.H56", "Sở Tài chính"), [_pki.Intermediate]);
            var directory = Directory.CreateTempSubdirectory("lgsp-audit-").FullName;
            RootFile = Path.Combine(directory, "root.pem");
            File.WriteAllText(RootFile, _pki.Root.ExportCertificatePem());
            HubFile = Path.Combine(directory, "hub.pem");
            File.WriteAllText(HubFile, Hub.Certificate.ExportCertificatePem());
            PreviousHubFile = Path.Combine(directory, "previous-hub.pem");
            File.WriteAllText(PreviousHubFile, PreviousHub.Certificate.ExportCertificatePem());
            CrlRevokingHub = Path.Combine(directory, "hub-revoked.crl");
            File.WriteAllBytes(CrlRevokingHub, _pki.CreateCrl([Hub.Certificate], revokedAt: DateTimeOffset.UtcNow.AddHours(-1)));
        }

        public HubIdentity Hub { get; }

        /// <summary>The hub's signing certificate before a key rotation.</summary>
        public HubIdentity PreviousHub { get; }

        /// <summary>Another agency's seal under the same root, writing the hub's id.</summary>
        public HubIdentity Agency { get; }

        /// <summary>The hub's signing certificate as a PEM file.</summary>
        public string HubFile { get; }

        public string PreviousHubFile { get; }

        /// <summary>A CRL of the intermediate revoking the hub's certificate an hour ago.</summary>
        public string CrlRevokingHub { get; }

        public string RootFile { get; }

        public void Dispose() => _pki.Dispose();
    }
}
