using System.Text;
using Lgsp.Edxml.Signatures;
using Lgsp.Exchange.Evidence;
using Lgsp.Exchange.Ledger;

namespace Lgsp.Exchange.Tests.Evidence;

/// <summary>Evidence bundles written, read back and verified offline; tampered ones fail with the reason.</summary>
public sealed class EvidenceVerifierTests(EvidenceSamples samples) : IClassFixture<EvidenceSamples>
{
    [Fact]
    public void A_written_bundle_reads_back_as_written_and_verifies_listing_what_it_proved()
    {
        var zip = samples.Bundle.Write();

        var (read, problem) = EvidenceBundle.Read(zip);
        var verdict = EvidenceVerifier.Verify(zip, samples.HubSigner);

        Assert.Null(problem);
        Assert.Equal(samples.Bundle.Entries.Select(e => (e.Entry, e.ContentHash, e.ChainHash, e.PreviousHead, string.Join(",", e.Following))),
            read!.Entries.Select(e => (e.Entry, e.ContentHash, e.ChainHash, e.PreviousHead, string.Join(",", e.Following))));
        Assert.Equal(samples.Body, Assert.Single(read.Packages).Body);
        Assert.True(verdict.Holds, verdict.Failure);
        Assert.Contains(verdict.Proved, p => p.StartsWith("checkpoint 10..13", StringComparison.Ordinal) && p.Contains("trusted", StringComparison.Ordinal));
        Assert.Contains(verdict.Proved, p => p.StartsWith("checkpoint 15..18", StringComparison.Ordinal));
        Assert.Contains(verdict.Proved, p => p.StartsWith("5 ledger entries (11, 12, 13, 16, 17)", StringComparison.Ordinal));
        Assert.Contains(verdict.Proved, p => p.StartsWith("package 1 (document from 000.00.01.H56", StringComparison.Ordinal) && p.Contains("its bytes hash to", StringComparison.Ordinal));
        Assert.Contains(verdict.Proved, p => p.StartsWith($"the next hub hub-national took the package at {LedgerChain.FormatAt(samples.At.AddSeconds(3))} (its ledger entry 901)", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_bundle_is_written_to_the_same_bytes_and_its_zip_opens_with_a_standard_reader()
    {
        var first = samples.Bundle.Write();
        var second = samples.Bundle.Write();

        Assert.Equal(first, second);
        using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(first));
        Assert.Equal(
            ["certs/chain.pem", "checkpoints/10-13.xml", "checkpoints/15-18.xml", "ledger/entries.jsonl", "manifest.json", "packages/1.edxml", "receipts/package-1.xml", "receipts/peer-16.xml", "statement.xml"],
            archive.Entries.Select(e => e.FullName));
        using var package = archive.GetEntry("packages/1.edxml")!.Open();
        using var copy = new MemoryStream();
        package.CopyTo(copy);
        Assert.Equal(samples.Body, copy.ToArray());
    }

    [Fact]
    public void Flipping_any_byte_of_a_bundle_makes_verification_fail_with_a_reason()
    {
        var zip = samples.Bundle.Write();
        var passed = new List<int>();
        for (var i = 0; i < zip.Length; i++)
        {
            var flipped = (byte[])zip.Clone();
            flipped[i] ^= 0x01;
            var verdict = EvidenceVerifier.Verify(flipped, samples.HubSigner);
            if (verdict.Holds || string.IsNullOrWhiteSpace(verdict.Failure))
            {
                passed.Add(i);
            }
        }

        Assert.Empty(passed);
    }

    [Fact]
    public void A_flipped_content_byte_is_reported_at_its_position_as_not_matching_the_files_checksum()
    {
        var zip = samples.Bundle.Write();
        var body = zip.AsSpan().IndexOf("test only"u8);
        zip[body] ^= 0x20;

        var verdict = EvidenceVerifier.Verify(zip, samples.HubSigner);

        Assert.False(verdict.Holds);
        Assert.Matches("^bundle is not in canonical form at byte [0-9]+ \\(the CRC-32 of packages/1.edxml, which does not match its content\\)$", verdict.Failure);
    }

    [Fact]
    public void Bytes_appended_to_a_bundle_are_reported_as_following_its_end()
    {
        byte[] zip = [.. samples.Bundle.Write(), 0];

        var verdict = EvidenceVerifier.Verify(zip, samples.HubSigner);

        Assert.Equal($"bundle is not in canonical form at byte {zip.Length - 1} (bytes follow the end of the zip)", verdict.Failure);
    }

    [Fact]
    public void Package_bytes_replaced_in_a_rewritten_bundle_fail_on_the_recorded_hash()
    {
        var forged = samples.Bundle with { Packages = [samples.Bundle.Packages[0] with { Body = Encoding.UTF8.GetBytes("<edXML>forged</edXML>") }] };

        var verdict = EvidenceVerifier.Verify(forged.Write(), samples.HubSigner);

        Assert.False(verdict.Holds);
        Assert.StartsWith("package 1: its bytes (21) hash to ", verdict.Failure, StringComparison.Ordinal);
        Assert.EndsWith($"but ledger entry 11 records {samples.Bundle.Packages[0].Sha256} ({samples.Body.Length} bytes)", verdict.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entry_edited_in_a_rewritten_bundle_fails_on_its_content_hash()
    {
        var entries = samples.Bundle.Entries.ToList();
        entries[1] = entries[1] with { Entry = entries[1].Entry with { Detail = """{"recipient":"000.00.03.H56","mode":"pull"}""" } };

        var verdict = EvidenceVerifier.Verify((samples.Bundle with { Entries = entries }).Write(), samples.HubSigner);

        Assert.StartsWith("ledger entry 12: content hash differs: sealed ", verdict.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entry_edited_with_its_hashes_recomputed_fails_because_its_path_no_longer_reaches_the_signed_head()
    {
        var entries = samples.Bundle.Entries.ToList();
        var edited = entries[1].Entry with { Detail = """{"recipient":"000.00.03.H56","mode":"pull"}""" };
        var content = LedgerChain.ContentHash(edited);
        entries[1] = entries[1] with
        {
            Entry = edited,
            ContentHash = LedgerChain.Hex(content),
            ChainHash = LedgerChain.Hex(LedgerChain.Link(Convert.FromHexString(entries[1].PreviousHead), content)),
        };

        var verdict = EvidenceVerifier.Verify((samples.Bundle with { Entries = entries }).Write(), samples.HubSigner);

        Assert.StartsWith("ledger entry 12: its hash path leads to ", verdict.Failure, StringComparison.Ordinal);
        Assert.EndsWith("not to checkpoint 10..13's signed head " + Head(samples.Bundle, "checkpoints/10-13.xml"), verdict.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void An_altered_checkpoint_fails_on_its_signature()
    {
        var checkpoints = samples.Bundle.Checkpoints.ToDictionary();
        var xml = Encoding.UTF8.GetString(checkpoints["checkpoints/15-18.xml"]);
        checkpoints["checkpoints/15-18.xml"] = Encoding.UTF8.GetBytes(xml.Replace("<Count>4</Count>", "<Count>5</Count>", StringComparison.Ordinal));

        var verdict = EvidenceVerifier.Verify((samples.Bundle with { Checkpoints = checkpoints }).Write(), samples.HubSigner);

        Assert.StartsWith("checkpoints/15-18.xml: checkpoint signature invalid: ", verdict.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bundle_signed_under_another_root_fails_as_untrusted_and_against_that_root_only_the_peer_receipt_fails()
    {
        // The stranger signs checkpoints and receipts under its own root; the peer hub's receipt stays under ours.
        var zip = samples.Build(samples.Stranger, samples.Body).Write();

        var verdict = EvidenceVerifier.Verify(zip, samples.HubSigner);
        var ownRoot = EvidenceVerifier.Verify(zip, new SignerCheck(samples.OtherTrust).PinnedTo([samples.Stranger.Certificate]));

        Assert.StartsWith("checkpoints/10-13.xml: checkpoint signer not trusted: ", verdict.Failure, StringComparison.Ordinal);
        Assert.StartsWith("receipts/peer-16.xml: signature: ", ownRoot.Failure, StringComparison.Ordinal);
        Assert.Contains(ownRoot.Proved, p => p.StartsWith("package 1 (document", StringComparison.Ordinal));
    }

    [Fact]
    public void A_receipt_from_another_bundle_fails_on_what_it_states()
    {
        var other = samples.Build(samples.Hub, Encoding.UTF8.GetBytes("<edXML>another</edXML>"));
        var forged = samples.Bundle with { Packages = [samples.Bundle.Packages[0] with { Receipt = other.Packages[0].Receipt }] };

        var verdict = EvidenceVerifier.Verify(forged.Write(), samples.HubSigner);

        Assert.StartsWith("package 1: the receipt states hub hub-h56, sha256 " + other.Packages[0].Sha256, verdict.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bundle_without_content_verifies_the_hashes_and_says_the_content_is_not_included()
    {
        var hashesOnly = samples.Bundle with { Packages = [samples.Bundle.Packages[0] with { Body = null }] };
        var zip = hashesOnly.Write();

        var verdict = EvidenceVerifier.Verify(zip, samples.HubSigner);

        Assert.True(verdict.Holds, verdict.Failure);
        Assert.False(hashesOnly.ContentIncluded);
        Assert.DoesNotContain("packages/", Encoding.UTF8.GetString(zip), StringComparison.Ordinal);
        Assert.Contains(verdict.Proved, p => p.Contains("content not included; its sha256 " + samples.Bundle.Packages[0].Sha256, StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_the_manifest_does_not_name_or_a_missing_one_fails_naming_it()
    {
        var (files, _) = CanonicalZip.Read(samples.Bundle.Write());

        var extra = EvidenceVerifier.Verify(CanonicalZip.Write([.. files!, new ZipFile("notes.txt", "trust me"u8.ToArray())]), samples.HubSigner);
        var missing = EvidenceVerifier.Verify(CanonicalZip.Write(files!.Where(f => f.Name != "receipts/peer-16.xml")), samples.HubSigner);

        Assert.Equal("notes.txt is in the bundle but its manifest does not account for it", extra.Failure);
        Assert.Equal("bundle is malformed: receipts/peer-16.xml is missing from the bundle", missing.Failure);
    }

    [Fact]
    public void A_peer_receipt_file_that_differs_from_the_one_the_ledger_records_fails()
    {
        var (files, _) = CanonicalZip.Read(samples.Bundle.Write());
        var swapped = files!.Select(f => f.Name == "receipts/peer-16.xml" ? f with { Data = samples.Bundle.Packages[0].Receipt } : f);

        var verdict = EvidenceVerifier.Verify(CanonicalZip.Write(swapped), samples.HubSigner);

        Assert.Equal("receipts/peer-16.xml is not the peer receipt the ledger entry at seq 16 records", verdict.Failure);
    }

    private static string Head(EvidenceBundle bundle, string checkpoint) => Checkpoint.Verify(bundle.Checkpoints[checkpoint], SignerCheck.SignatureOnly).Checkpoint!.Head;
}
