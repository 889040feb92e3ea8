using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Receipts;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Postgres.Tests.Storage;

/// <summary>The parent side of witnessing on PostgreSQL: what <see cref="CheckpointWitness"/> refuses
/// leaves nothing behind, and a position is recorded once.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresWitnessStoreTests(PostgresFixture fixture) : IDisposable
{
    private const string Child = "hub-child";
    private const string Parent = "hub-parent";
    private readonly TestPki _pki = TestPki.Create("Witness store");
    private System.Security.Cryptography.X509Certificates.X509Certificate2? _childCertificate;

    /// <summary>The child hub's signing certificate, registered in the parent's hub record.</summary>
    private System.Security.Cryptography.X509Certificates.X509Certificate2 ChildCertificate =>
        _childCertificate ??= _pki.IssueOrganization("000.00.00.H56", "LGSP " + Child);

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task A_caller_that_is_not_an_active_child_hubs_system_is_refused_NotChildHub_and_nothing_is_recorded()
    {
        var (connectionString, witness) = await ParentAsync();
        var checkpoint = Sign(Child, 1, 2);

        var plain = await Assert.ThrowsAsync<ExchangeException>(() => witness.WitnessAsync(new ClientSystem("qlvb", PackagePolicy.Strict, new HashSet<string>()), checkpoint));
        var parentHub = await Assert.ThrowsAsync<ExchangeException>(() => witness.WitnessAsync(Caller("hub-up"), checkpoint));

        Assert.Equal((HubErrorCode.NotChildHub, "systemid"), (plain.Error.Code, plain.Error.Field));
        Assert.Equal(HubErrorCode.NotChildHub, parentHub.Error.Code);
        Assert.Equal(0L, await RecordedAsync(connectionString));
    }

    [Fact]
    public async Task A_checkpoint_sealed_by_another_hub_or_signed_outside_the_trust_is_refused_CheckpointInvalid()
    {
        var (connectionString, witness) = await ParentAsync();
        using var stranger = TestPki.Create("Stranger");
        var untrusted = Sign(Child, new HubIdentity(Child, stranger.IssueOrganization("000.00.00.H99", "Impostor"), [stranger.Intermediate]), 1);

        var other = await Assert.ThrowsAsync<ExchangeException>(() => witness.WitnessAsync(Caller(Child), Sign("hub-other", 1)));
        var outside = await Assert.ThrowsAsync<ExchangeException>(() => witness.WitnessAsync(Caller(Child), untrusted));

        Assert.Equal((HubErrorCode.CheckpointInvalid, "Checkpoint/Hub"), (other.Error.Code, other.Error.Field));
        Assert.Contains("sealed by hub hub-other, but the caller is hub hub-child", other.Error.Message);
        Assert.Equal((HubErrorCode.CheckpointInvalid, "Checkpoint"), (outside.Error.Code, outside.Error.Field));
        Assert.Contains("checkpoint signer not trusted", outside.Error.Message);
        Assert.Equal(0L, await RecordedAsync(connectionString));
    }

    [Fact]
    public async Task A_checkpoint_signed_under_the_same_root_by_a_certificate_other_than_the_childs_registered_one_is_refused_as_not_pinned()
    {
        var (connectionString, witness) = await ParentAsync();
        var agencySeal = Sign(Child, new HubIdentity(Child, _pki.IssueOrganization("000.00.01.H56", "Sở Tài chính"), [_pki.Intermediate]), 1);

        var refused = await Assert.ThrowsAsync<ExchangeException>(() => witness.WitnessAsync(Caller(Child), agencySeal));

        Assert.Equal((HubErrorCode.CheckpointInvalid, "Checkpoint"), (refused.Error.Code, refused.Error.Field));
        Assert.Contains("checkpoint signer not trusted: SignerNotPinned: ", refused.Error.Message);
        Assert.Equal(0L, await RecordedAsync(connectionString));
    }

    [Fact]
    public async Task A_child_without_a_registered_signing_certificate_is_refused_witnessing_naming_the_command_that_registers_it()
    {
        var (connectionString, witness) = await ParentAsync(registerChildCertificate: false);

        var refused = await Assert.ThrowsAsync<ExchangeException>(() => witness.WitnessAsync(Caller(Child), Sign(Child, 1)));

        Assert.Equal(HubErrorCode.CheckpointInvalid, refused.Error.Code);
        Assert.Contains($"no signing certificate is registered for hub {Child} (lgsp hubs add --id {Child} --signing-cert FILE)", refused.Error.Message);
        Assert.Equal(0L, await RecordedAsync(connectionString));
    }

    [Fact]
    public async Task Another_head_for_a_position_already_witnessed_is_refused_CheckpointConflict_naming_both_heads()
    {
        var (connectionString, witness) = await ParentAsync();
        await witness.WitnessAsync(Caller(Child), Sign(Child, 1, 2, 3));
        var rewritten = Sign(Child, 1, 3);
        var rewrittenHead = Checkpoint.Verify(rewritten, SignerCheck.SignatureOnly).Checkpoint!.Head;

        var conflict = await Assert.ThrowsAsync<ExchangeException>(() => witness.WitnessAsync(Caller(Child), rewritten));

        Assert.Equal((HubErrorCode.CheckpointConflict, "Checkpoint/Head"), (conflict.Error.Code, conflict.Error.Field));
        Assert.Contains($"this checkpoint states {rewrittenHead} for the same position", conflict.Error.Message);
        Assert.Equal(1L, await RecordedAsync(connectionString));
    }

    [Fact]
    public async Task The_same_checkpoint_sent_concurrently_is_recorded_once_and_every_caller_gets_the_same_countersignature()
    {
        var (connectionString, witness) = await ParentAsync();
        var checkpoint = Sign(Child, 1, 2);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => witness.WitnessAsync(Caller(Child), checkpoint))));

        Assert.Single(answers.Select(Convert.ToBase64String).Distinct());
        Assert.Equal(1L, await RecordedAsync(connectionString));
        Assert.Equal(1L, await Sql.ScalarAsync(connectionString, "SELECT count(*) FROM lgsp.witnessed_checkpoint"));
    }

    private async Task<(string ConnectionString, CheckpointWitness Witness)> ParentAsync(bool registerChildCertificate = true)
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        var data = NpgsqlDataSource.Create(connectionString);
        var directory = new PostgresDirectoryStore(data, TimeProvider.System);
        await directory.AddTrustCertificateAsync(_pki.Root, root: true, "test");
        await directory.SaveHubAsync(new HubLink(Child, HubRole.Child, null, null, null, null, true)
        {
            SigningCertificate = registerChildCertificate ? ChildCertificate : null,
        }, "test");
        await directory.SaveHubAsync(new HubLink("hub-up", HubRole.Parent, new Uri("http://127.0.0.1:1/vxp"), "sys", [0], null, true), "test");
        var identity = new HubIdentity(Parent, _pki.IssueOrganization("000.00.00.G22", "Trục liên thông quốc gia"), [_pki.Intermediate]);
        return (connectionString, new CheckpointWitness(identity, directory, new TrustCache(directory, TimeProvider.System, TimeSpan.Zero),
            new PostgresWitnessStore(data), TimeProvider.System));
    }

    private static ClientSystem Caller(string hub) => new("inbound-" + hub, PackagePolicy.Strict, new HashSet<string>()) { Hub = hub };

    private static Task<object?> RecordedAsync(string connectionString) =>
        Sql.ScalarAsync(connectionString, "SELECT count(*) FROM lgsp.ledger WHERE kind = 'witness.recorded'");

    /// <summary>A checkpoint naming <paramref name="hub"/>, sealed with the child's registered certificate.</summary>
    private byte[] Sign(string hub, params long[] seqs) =>
        Sign(hub, new HubIdentity(hub, ChildCertificate, [_pki.Intermediate]), seqs);

    private static byte[] Sign(string hub, HubIdentity signer, params long[] seqs)
    {
        var entries = seqs.Select(seq => new LedgerEntry(seq, DateTimeOffset.UnixEpoch.AddSeconds(seq), LedgerKind.DirectoryChanged, "test", null, null, null,
            $$"""{"n":{{seq}}}""")).ToList();
        return Checkpoint.Seal(hub, LedgerChain.Genesis, entries, DateTimeOffset.UtcNow).Checkpoint.Sign(signer);
    }
}
