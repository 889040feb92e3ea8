using System.Text;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Receipts;

namespace Lgsp.Exchange.Tests.Ledger;

public sealed class WitnessTests : IDisposable
{
    private const string Parent = "hub-parent";
    private readonly TestPki _pki = TestPki.Create("Witness");
    private readonly HubIdentity _child;
    private readonly HubIdentity _parent;
    private readonly CertificateTrust _trust;

    public WitnessTests()
    {
        _child = new HubIdentity(LedgerFixtures.Hub, _pki.IssueOrganization("000.00.00.H56", "LGSP tỉnh Thanh Hóa"), [_pki.Intermediate]);
        _parent = new HubIdentity(Parent, _pki.IssueOrganization("000.00.00.G22", "Trục liên thông quốc gia"), [_pki.Intermediate]);
        _trust = new CertificateTrust(new TrustOptions { Roots = [_pki.Root] });
    }

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void A_witness_states_the_checkpoints_hub_last_seq_head_and_the_hash_of_its_signed_bytes()
    {
        var (checkpoint, xml) = SignedCheckpoint(1, 2, 5);

        var witness = Witness.Of(checkpoint, xml, Parent, new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero).AddTicks(1234567));

        Assert.Equal((Parent, LedgerFixtures.Hub, 5L, checkpoint.Head), (witness.WitnessHub, witness.Hub, witness.LastSeq, witness.Head));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(xml)), witness.CheckpointSha256);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero).AddTicks(1234560), witness.WitnessedAt);
    }

    [Fact]
    public void A_countersignature_verifies_as_trusted_and_reads_back_what_was_witnessed()
    {
        var (checkpoint, xml) = SignedCheckpoint(1, 2);
        var witness = Witness.Of(checkpoint, xml, Parent, DateTimeOffset.UtcNow);

        var verdict = Witness.Verify(witness.Sign(_parent), new SignerCheck(_trust));

        Assert.True(verdict.IsValid && verdict.IsTrusted, verdict.Problem);
        Assert.Equal(witness, verdict.Witness);
        Assert.Equal(_parent.Certificate.Thumbprint, verdict.Signer?.Thumbprint);
    }

    [Fact]
    public void A_countersignature_made_while_the_parent_certificate_was_valid_stays_trusted_after_it_expires_when_checked_at_signing_time()
    {
        var witnessedAt = DateTimeOffset.UtcNow.AddDays(-20);
        var expired = _pki.IssueOrganization("000.00.00.G22", "Trục liên thông quốc gia",
            options: new CertificateOptions { NotBefore = witnessedAt.AddDays(-1), NotAfter = witnessedAt.AddDays(1) });
        var (checkpoint, xml) = SignedCheckpoint(1, 2);
        var countersignature = Witness.Of(checkpoint, xml, Parent, witnessedAt).Sign(new HubIdentity(Parent, expired, [_pki.Intermediate]));

        var atSigningTime = Witness.Verify(countersignature, new SignerCheck(new CertificateTrust(new TrustOptions { Roots = [_pki.Root], Validity = ValidityTime.SigningTime })));
        var now = Witness.Verify(countersignature, new SignerCheck(_trust));

        Assert.True(atSigningTime.IsValid && atSigningTime.IsTrusted, atSigningTime.Problem);
        Assert.True(now.IsValid);
        Assert.False(now.IsTrusted);
    }

    [Fact]
    public void The_countersignature_names_the_witness_and_the_child_in_the_ledger_namespace()
    {
        var (checkpoint, xml) = SignedCheckpoint(3);

        var text = Encoding.UTF8.GetString(Witness.Of(checkpoint, xml, Parent, DateTimeOffset.UtcNow).Sign(_parent));

        Assert.Contains($"<Witness xmlns=\"urn:lgsp:ledger:1\"><Witness>{Parent}</Witness><Hub>{LedgerFixtures.Hub}</Hub><LastSeq>3</LastSeq><Head>{checkpoint.Head}</Head>", text);
    }

    [Fact]
    public void An_altered_head_in_a_countersignature_is_reported_as_a_signature_that_does_not_verify()
    {
        var (checkpoint, xml) = SignedCheckpoint(1, 2);
        var signed = Encoding.UTF8.GetString(Witness.Of(checkpoint, xml, Parent, DateTimeOffset.UtcNow).Sign(_parent));
        var forged = signed.Replace($"<Head>{checkpoint.Head}</Head>", $"<Head>{new string('a', 64)}</Head>", StringComparison.Ordinal);
        Assert.NotEqual(signed, forged);

        var verdict = Witness.Verify(Encoding.UTF8.GetBytes(forged), new SignerCheck(_trust));

        Assert.False(verdict.IsValid);
        Assert.Null(verdict.Witness);
        Assert.StartsWith("witness signature invalid", verdict.Problem);
    }

    [Fact]
    public void A_countersignature_by_a_certificate_outside_the_trust_is_valid_but_not_trusted()
    {
        using var stranger = TestPki.Create("Stranger");
        var impostor = new HubIdentity(Parent, stranger.IssueOrganization("000.00.00.G22", "Impostor"), [stranger.Intermediate]);
        var (checkpoint, xml) = SignedCheckpoint(1);

        var verdict = Witness.Verify(Witness.Of(checkpoint, xml, Parent, DateTimeOffset.UtcNow).Sign(impostor), new SignerCheck(_trust));

        Assert.True(verdict.IsValid);
        Assert.False(verdict.IsTrusted);
        Assert.StartsWith("witness signer not trusted", verdict.Problem);
    }

    [Fact]
    public void A_signed_checkpoint_is_not_mistaken_for_a_witness()
    {
        var (_, xml) = SignedCheckpoint(1);

        var verdict = Witness.Verify(xml, new SignerCheck(_trust));

        Assert.False(verdict.IsValid);
        Assert.Equal("not a witness: the root element is {urn:lgsp:ledger:1}Checkpoint", verdict.Problem);
    }

    [Fact]
    public void Only_the_witnessing_hub_can_sign_its_witness()
    {
        var (checkpoint, xml) = SignedCheckpoint(1);

        Assert.Throws<ArgumentException>(() => Witness.Of(checkpoint, xml, Parent, DateTimeOffset.UtcNow).Sign(_child));
    }

    private (Checkpoint Checkpoint, byte[] Xml) SignedCheckpoint(params long[] seqs)
    {
        var (checkpoint, _) = Checkpoint.Seal(LedgerFixtures.Hub, LedgerChain.Genesis, LedgerFixtures.Entries(seqs), DateTimeOffset.UtcNow);
        return (checkpoint, checkpoint.Sign(_child));
    }
}
