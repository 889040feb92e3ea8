using Lgsp.Cli.Tests.Hub;
using Lgsp.Exchange.Evidence;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Cli.Tests.Commands;

/// <summary><c>lgsp audit export</c> from a real database with an accepted, sealed document, and
/// <c>lgsp audit verify</c> with nothing but the bundle and the root.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AuditEvidenceCommandsTests(PostgresFixture fixture, AcceptedDocuments documents) : IClassFixture<AcceptedDocuments>
{
    [Fact]
    public async Task An_exported_bundle_verifies_offline_with_only_the_bundle_and_the_root()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var (acceptance, package) = await documents.SealedDocumentAsync(db);
        var bundle = documents.NewPath("bundle.zip");

        var exported = db.Ok(["audit", "export", acceptance.DocumentId, "--out", bundle, .. documents.Signing]);
        await db.DisposeAsync();
        var (exit, output, error) = Offline("audit", "verify", bundle, "--trust", documents.RootPem, "--hub-cert", documents.HubPem);

        Assert.Contains($"wrote {bundle}", exported, StringComparison.Ordinal);
        Assert.Contains("1 package(s), 2 ledger entries", exported, StringComparison.Ordinal);
        Assert.True(exit == 0, error + output);
        Assert.Contains($"ok  package {acceptance.PackageId} (document from {AcceptedDocuments.Sender}, {package.Length} bytes): its bytes hash to sha256 {acceptance.Sha256}, "
            + $"as ledger entry {acceptance.LedgerSeq} records and the hub's signed receipt states", output, StringComparison.Ordinal);
        Assert.Contains("ok  2 ledger entries", output, StringComparison.Ordinal);
        Assert.Contains("trusted, for hub hub-h56", output, StringComparison.Ordinal);
        Assert.EndsWith("bundle holds: " + Path.GetFileName(bundle) + " verified offline against the given root(s) and the pinned hub certificate" + Environment.NewLine, output, StringComparison.Ordinal);
        var (read, _) = EvidenceBundle.Read(await File.ReadAllBytesAsync(bundle));
        Assert.Equal(package, Assert.Single(read!.Packages).Body);
    }

    [Fact]
    public async Task Flipping_any_byte_of_an_exported_bundle_fails_verification_with_the_reason()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var (acceptance, _) = await documents.SealedDocumentAsync(db);
        var bundle = documents.NewPath("bundle.zip");
        db.Ok(["audit", "export", acceptance.DocumentId, "--out", bundle, .. documents.Signing]);
        var zip = await File.ReadAllBytesAsync(bundle);
        var trust = new Lgsp.Edxml.Trust.CertificateTrust(new() { Roots = [.. Lgsp.Edxml.Trust.TrustMaterial.LoadCertificates(documents.RootPem)], Validity = Lgsp.Edxml.Trust.ValidityTime.SigningTime });

        // Every byte through the verifier the command uses; a sample of them through the command itself.
        var held = Enumerable.Range(0, zip.Length).Where(i => EvidenceVerifier.Verify(Flip(zip, i), new Lgsp.Edxml.Signatures.SignerCheck(trust).PinnedTo([documents.Hub.Certificate])) is { Holds: true } or { Failure: null or "" }).ToList();
        var flippedFile = documents.NewPath("flipped.zip");
        foreach (var i in Enumerable.Range(0, zip.Length).Where(i => i % 251 == 0).Append(zip.Length - 1))
        {
            await File.WriteAllBytesAsync(flippedFile, Flip(zip, i));
            var (exit, output, _) = Offline("audit", "verify", flippedFile, "--trust", documents.RootPem, "--hub-cert", documents.HubPem);
            Assert.True(exit == 1, $"byte {i}: exit {exit}");
            Assert.Contains($"bundle does not hold: bundle is not in canonical form at byte ", output, StringComparison.Ordinal);
        }

        Assert.Empty(held);
    }

    [Fact]
    public async Task A_bundle_without_content_holds_only_the_hash_and_still_verifies()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var (acceptance, _) = await documents.SealedDocumentAsync(db);
        var bundle = documents.NewPath("hashes.zip");

        var exported = db.Ok(["audit", "export", acceptance.DocumentId, "--out", bundle, "--without-content", .. documents.Signing]);
        var (exit, output, _) = Offline("audit", "verify", bundle, "--trust", documents.RootPem, "--hub-cert", documents.HubPem);

        Assert.Contains("(hashes only)", exported, StringComparison.Ordinal);
        Assert.Equal(0, exit);
        Assert.Contains($"content not included; its sha256 {acceptance.Sha256}", output, StringComparison.Ordinal);
        Assert.Null(Assert.Single(EvidenceBundle.Read(await File.ReadAllBytesAsync(bundle)).Bundle!.Packages).Body);
    }

    [Fact]
    public async Task Exporting_before_the_entries_are_sealed_is_refused_with_the_reason_and_writes_nothing()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        await AcceptedDocuments.SeedAsync(db);
        var (acceptance, _) = await documents.AcceptAsync(db);
        var bundle = documents.NewPath("early.zip");

        var (exit, _, error) = db.Run(["audit", "export", acceptance.DocumentId, "--out", bundle, .. documents.Signing]);

        Assert.Equal(1, exit);
        Assert.Contains($"2 ledger entries of this document (from seq {acceptance.LedgerSeq}) are not sealed yet", error, StringComparison.Ordinal);
        Assert.False(File.Exists(bundle));
    }

    [Fact]
    public async Task Exporting_an_unknown_document_fails_as_not_found()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);

        var (exit, _, error) = db.Run(["audit", "export", "000.00.01.H56,2026/01/01,0/NONE", "--out", documents.NewPath("none.zip"), .. documents.Signing]);

        Assert.Equal(1, exit);
        Assert.StartsWith("NotFound DocumentId", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bundle_checked_against_another_root_fails_naming_the_untrusted_checkpoint()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var (acceptance, _) = await documents.SealedDocumentAsync(db);
        var bundle = documents.NewPath("bundle.zip");
        db.Ok(["audit", "export", acceptance.DocumentId, "--out", bundle, .. documents.Signing]);
        using var other = Lgsp.Edxml.Testing.Pki.TestPki.Create("LGSP unrelated root");
        var otherRoot = documents.NewPath("other-root.pem");
        await File.WriteAllTextAsync(otherRoot, other.Root.ExportCertificatePem());

        var (exit, output, _) = Offline("audit", "verify", bundle, "--trust", otherRoot, "--hub-cert", documents.HubPem);

        Assert.Equal(1, exit);
        Assert.Matches("bundle does not hold: checkpoints/[0-9]+-[0-9]+\\.xml: checkpoint signer not trusted: ", output);
    }

    [Fact]
    public async Task Verifying_without_the_hubs_pinned_certificate_fails_saying_the_signer_is_unpinned_and_a_fingerprint_pins_it()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var (acceptance, _) = await documents.SealedDocumentAsync(db);
        var bundle = documents.NewPath("bundle.zip");
        db.Ok(["audit", "export", acceptance.DocumentId, "--out", bundle, .. documents.Signing]);

        var (exit, output, _) = Offline("audit", "verify", bundle, "--trust", documents.RootPem);
        var (byFingerprint, pinned, _) = Offline("audit", "verify", bundle, "--trust", documents.RootPem,
            "--hub-fingerprint", Lgsp.Edxml.Signatures.SignerCheck.Fingerprint(documents.Hub.Certificate).ToUpperInvariant());

        Assert.Equal(1, exit);
        Assert.Contains("hub signer: NOT pinned (no --hub-cert or --hub-fingerprint)", output, StringComparison.Ordinal);
        Assert.Contains("bundle does not hold: the hub's signer is not pinned", output, StringComparison.Ordinal);
        Assert.True(byFingerprint == 0, pinned);
        Assert.Contains("ok  the bundle is complete: the hub's signed export statement (pinned key)", pinned, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exporting_without_the_hubs_signing_key_is_refused_and_writes_nothing()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var (acceptance, _) = await documents.SealedDocumentAsync(db);
        var bundle = documents.NewPath("unsigned.zip");

        var (exit, _, error) = db.Run("audit", "export", acceptance.DocumentId, "--out", bundle, "--data", Directory.CreateTempSubdirectory("lgsp-nokey-").FullName);

        Assert.Equal(2, exit);
        Assert.Contains("signed with the hub's own key: give --signing-cert and --signing-key", error, StringComparison.Ordinal);
        Assert.False(File.Exists(bundle));
    }

    /// <summary>Runs the command with no database configured anywhere in the process.</summary>
    private static (int Exit, string Output, string Error) Offline(params string[] args)
    {
        Assert.Null(Environment.GetEnvironmentVariable("ConnectionStrings__Lgsp"));
        Assert.DoesNotContain("--database", args);
        return CliRunner.Run(args);
    }

    private static byte[] Flip(byte[] zip, int i)
    {
        var copy = (byte[])zip.Clone();
        copy[i] ^= 0x01;
        return copy;
    }
}
