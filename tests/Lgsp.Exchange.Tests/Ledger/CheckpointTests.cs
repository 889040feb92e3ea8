using System.Text;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Receipts;

namespace Lgsp.Exchange.Tests.Ledger;

public sealed class CheckpointTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create("Ledger");
    private readonly HubIdentity _hub;
    private readonly CertificateTrust _trust;

    public CheckpointTests()
    {
        _hub = new HubIdentity(LedgerFixtures.Hub, _pki.IssueOrganization("000.00.00.H56", "LGSP tỉnh Thanh Hóa"), [_pki.Intermediate]);
        _trust = new CertificateTrust(new TrustOptions { Roots = [_pki.Root] });
    }

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void A_signed_checkpoint_verifies_as_trusted_and_reads_back_what_was_sealed()
    {
        var (checkpoint, _) = Checkpoint.Seal(LedgerFixtures.Hub, LedgerChain.Genesis, LedgerFixtures.Entries(1, 2, 4), DateTimeOffset.UtcNow);

        var verdict = Checkpoint.Verify(checkpoint.Sign(_hub), new SignerCheck(_trust));

        Assert.True(verdict.IsValid && verdict.IsTrusted, verdict.Problem);
        Assert.Equal(checkpoint, verdict.Checkpoint);
        Assert.Equal((1L, 4L, 3L, new string('0', 64)), (checkpoint.FirstSeq, checkpoint.LastSeq, checkpoint.Count, checkpoint.PreviousHead));
    }

    [Fact]
    public void A_checkpoint_sealed_while_the_hub_certificate_was_valid_stays_trusted_after_it_expires_when_checked_at_signing_time()
    {
        var sealedAt = DateTimeOffset.UtcNow.AddDays(-20);
        var expired = _pki.IssueOrganization("000.00.00.H56", "LGSP tỉnh Thanh Hóa",
            options: new CertificateOptions { NotBefore = sealedAt.AddDays(-1), NotAfter = sealedAt.AddDays(1) });
        var hub = new HubIdentity(LedgerFixtures.Hub, expired, [_pki.Intermediate]);
        var (checkpoint, _) = Checkpoint.Seal(LedgerFixtures.Hub, LedgerChain.Genesis, LedgerFixtures.Entries(1, 2), sealedAt);
        var xml = checkpoint.Sign(hub);

        var atSigningTime = Checkpoint.Verify(xml, new SignerCheck(new CertificateTrust(new TrustOptions { Roots = [_pki.Root], Validity = ValidityTime.SigningTime })));
        var now = Checkpoint.Verify(xml, new SignerCheck(_trust));

        Assert.True(atSigningTime.IsValid && atSigningTime.IsTrusted, atSigningTime.Problem);
        Assert.True(now.IsValid);
        Assert.False(now.IsTrusted);
    }

    [Fact]
    public void An_altered_checkpoint_is_reported_as_a_signature_that_does_not_verify()
    {
        var (checkpoint, _) = Checkpoint.Seal(LedgerFixtures.Hub, LedgerChain.Genesis, LedgerFixtures.Entries(1, 2), DateTimeOffset.UtcNow);
        var xml = Encoding.UTF8.GetString(checkpoint.Sign(_hub)).Replace("<Count>2</Count>", "<Count>3</Count>", StringComparison.Ordinal);

        var verdict = Checkpoint.Verify(Encoding.UTF8.GetBytes(xml), new SignerCheck(_trust));

        Assert.False(verdict.IsValid);
        Assert.Null(verdict.Checkpoint);
        Assert.StartsWith("checkpoint signature invalid", verdict.Problem);
    }

    [Fact]
    public void A_checkpoint_signed_by_a_certificate_outside_the_trust_is_valid_but_not_trusted()
    {
        using var stranger = TestPki.Create("Stranger");
        var impostor = new HubIdentity(LedgerFixtures.Hub, stranger.IssueOrganization("000.00.00.H56", "Impostor"), [stranger.Intermediate]);
        var (checkpoint, _) = Checkpoint.Seal(LedgerFixtures.Hub, LedgerChain.Genesis, LedgerFixtures.Entries(1), DateTimeOffset.UtcNow);

        var verdict = Checkpoint.Verify(checkpoint.Sign(impostor), new SignerCheck(_trust));

        Assert.True(verdict.IsValid);
        Assert.False(verdict.IsTrusted);
        Assert.StartsWith("checkpoint signer not trusted", verdict.Problem);
    }

    [Fact]
    public void A_signed_countersignature_is_not_mistaken_for_a_checkpoint()
    {
        var (checkpoint, _) = Checkpoint.Seal(LedgerFixtures.Hub, LedgerChain.Genesis, LedgerFixtures.Entries(1), DateTimeOffset.UtcNow);
        var countersignature = Witness.Of(checkpoint, checkpoint.Sign(_hub), LedgerFixtures.Hub, DateTimeOffset.UtcNow).Sign(_hub);

        var verdict = Checkpoint.Verify(countersignature, new SignerCheck(_trust));

        Assert.False(verdict.IsValid);
        Assert.Equal("not a checkpoint: the root element is {urn:lgsp:ledger:1}Witness", verdict.Problem);
    }

    [Fact]
    public void Sealing_chains_each_entry_onto_the_previous_head_and_records_every_step()
    {
        var entries = LedgerFixtures.Entries(7, 9);
        var start = LedgerChain.Link(LedgerChain.Genesis, LedgerChain.Genesis);

        var (checkpoint, seals) = Checkpoint.Seal(LedgerFixtures.Hub, start, entries, DateTimeOffset.UtcNow);

        var first = LedgerChain.Link(start, LedgerChain.ContentHash(entries[0]));
        var second = LedgerChain.Link(first, LedgerChain.ContentHash(entries[1]));
        Assert.Equal([first, second], seals.Select(s => s.ChainHash));
        Assert.Equal(LedgerChain.Hex(second), checkpoint.Head);
        Assert.Equal(LedgerChain.Hex(start), checkpoint.PreviousHead);
    }

    [Fact]
    public void Sealing_refuses_entries_out_of_order()
    {
        var entries = LedgerFixtures.Entries(2, 1);

        Assert.Throws<ArgumentException>(() => Checkpoint.Seal(LedgerFixtures.Hub, LedgerChain.Genesis, entries, DateTimeOffset.UtcNow));
    }
}
