using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Evidence;
using Lgsp.Exchange.Ledger;

namespace Lgsp.Exchange.Tests.Evidence;

/// <summary>A bundle verifies only under the hub's pinned signing certificate, and proves that
/// nothing about the document was left out: forged, re-sealed and trimmed bundles fail, naming why.</summary>
public sealed class EvidenceCompletenessAndPinningTests(EvidenceSamples samples) : IClassFixture<EvidenceSamples>
{
    [Fact]
    public void A_bundle_resealed_with_another_agencys_seal_under_the_same_root_fails_as_not_pinned()
    {
        var zip = samples.Build(samples.Agency, samples.Body).Write();

        var verdict = EvidenceVerifier.Verify(zip, samples.HubSigner);
        var pinnedToTheAgency = EvidenceVerifier.Verify(zip, new SignerCheck(samples.Trust).PinnedTo([samples.Agency.Certificate]));

        Assert.False(verdict.Holds);
        Assert.StartsWith("checkpoints/10-13.xml: checkpoint signer not trusted: SignerNotPinned: The document is signed by ", verdict.Failure, StringComparison.Ordinal);
        Assert.Contains(SignerCheck.Fingerprint(samples.Hub.Certificate), verdict.Failure, StringComparison.Ordinal);
        Assert.True(pinnedToTheAgency.Holds, pinnedToTheAgency.Failure);
    }

    [Fact]
    public void Without_a_pinned_hub_certificate_a_bundle_does_not_verify_and_says_the_signer_is_unpinned()
    {
        var verdict = EvidenceVerifier.Verify(samples.Bundle.Write(), new SignerCheck(samples.Trust));

        Assert.False(verdict.Holds);
        Assert.Equal(EvidenceVerifier.Unpinned, verdict.Failure);
    }

    [Fact]
    public void A_bundle_verified_with_the_pin_proves_it_is_complete_up_to_the_ledger_head()
    {
        var verdict = EvidenceVerifier.Verify(samples.Bundle.Write(), samples.HubSigner);

        Assert.True(verdict.Holds, verdict.Failure);
        Assert.Contains(verdict.Proved, p => p.StartsWith("the bundle is complete: the hub's signed export statement (pinned key) says that at ledger head ", StringComparison.Ordinal)
            && p.EndsWith("after seq 18, the document had exactly these 5 entries and 1 package", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bundle_with_an_entry_removed_and_everything_else_consistent_fails_naming_the_missing_seq()
    {
        // Entry 16 and the peer receipt it records are dropped; every hash path, checkpoint and receipt left is genuine.
        var trimmed = samples.Bundle with { Entries = [.. samples.Bundle.Entries.Where(e => e.Entry.Seq != 16)] };

        var verdict = EvidenceVerifier.Verify(trimmed.Write(), samples.HubSigner);

        Assert.False(verdict.Holds);
        Assert.Equal("ledger entry 16 is missing from the bundle: the hub's signed export statement lists 5 entries about the document up to seq 18 "
            + "(11 12 13 16 17), the bundle holds 11 12 13 17", verdict.Failure);
    }

    [Fact]
    public void A_bundle_with_an_entry_removed_and_its_statement_re_signed_by_another_agencys_seal_fails_as_not_pinned()
    {
        var headXml = samples.Bundle.Checkpoints["checkpoints/15-18.xml"];
        var head = Checkpoint.Verify(headXml, SignerCheck.SignatureOnly).Checkpoint!;
        var trimmed = (samples.Bundle with { Entries = [.. samples.Bundle.Entries.Where(e => e.Entry.Seq != 16)] }).SignedBy(samples.Agency, head, headXml);

        var verdict = EvidenceVerifier.Verify(trimmed.Write(), samples.HubSigner);

        Assert.False(verdict.Holds);
        Assert.StartsWith("statement.xml: export statement signer not trusted: SignerNotPinned: ", verdict.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bundle_without_its_signed_statement_fails_saying_nothing_proves_it_complete()
    {
        var verdict = EvidenceVerifier.Verify((samples.Bundle with { Statement = null }).Write(), samples.HubSigner);

        Assert.Equal("manifest.json: the bundle has no signed export statement (statement.xml), so nothing proves it is complete", verdict.Failure);
    }

    [Fact]
    public void A_bundle_signed_by_a_revoked_hub_certificate_fails_when_the_crl_is_given()
    {
        var trust = new CertificateTrust(new TrustOptions { Roots = [samples.Root], Crls = [samples.Crl(samples.Hub.Certificate)], Validity = ValidityTime.SigningTime });

        var verdict = EvidenceVerifier.Verify(samples.Bundle.Write(), new SignerCheck(trust).PinnedTo([samples.Hub.Certificate]));

        Assert.False(verdict.Holds);
        Assert.StartsWith("checkpoints/10-13.xml: checkpoint signer not trusted: ", verdict.Failure, StringComparison.Ordinal);
        Assert.Contains("was revoked on", verdict.Failure, StringComparison.Ordinal);
    }
}
