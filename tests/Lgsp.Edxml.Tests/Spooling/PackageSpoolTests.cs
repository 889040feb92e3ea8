using System.Security.Cryptography;
using System.Text;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Spooling;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Trust;
using Lgsp.Edxml.Validation;

namespace Lgsp.Edxml.Tests.Spooling;

public sealed class PackageSpoolTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lgsp-spool-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Bytes_up_to_the_threshold_stay_in_memory_and_more_go_to_a_temporary_file_in_the_directory_given()
    {
        var bytes = RandomNumberGenerator.GetBytes(3000);

        using var small = Spool(bytes[..1000], threshold: 1000);
        using var large = Spool(bytes, threshold: 1000);

        Assert.False(small.IsOnDisk);
        Assert.True(large.IsOnDisk);
        Assert.Single(Directory.GetFiles(_directory));
        Assert.Equal(bytes[..1000], small.ToArray());
        Assert.Equal(bytes, large.ToArray());
    }

    [Fact]
    public void Length_and_sha256_are_those_of_the_bytes_written_in_pieces()
    {
        var bytes = RandomNumberGenerator.GetBytes(10_000);

        using var spool = Spool(bytes, threshold: 4096, piece: 333);

        Assert.Equal(bytes.Length, spool.Length);
        Assert.Equal(SHA256.HashData(bytes), spool.Sha256);
    }

    [Fact]
    public void The_temporary_file_is_deleted_when_the_spool_is_disposed()
    {
        var spool = Spool(RandomNumberGenerator.GetBytes(5000), threshold: 0);
        Assert.Single(Directory.GetFiles(_directory));

        spool.Dispose();

        Assert.Empty(Directory.GetFiles(_directory));
        Assert.Throws<ObjectDisposedException>(() => spool.OpenRead());
    }

    [Fact]
    public void Every_reader_has_its_own_position_over_the_one_copy()
    {
        var bytes = RandomNumberGenerator.GetBytes(5000);
        using var spool = Spool(bytes, threshold: 0);

        using var first = spool.OpenRead();
        using var second = spool.OpenRead();
        var head = new byte[100];
        first.ReadExactly(head);
        using var copy = new MemoryStream();
        second.CopyTo(copy);

        Assert.Equal(bytes[..100], head);
        Assert.Equal(bytes, copy.ToArray());
        Assert.Equal(100, first.Position);
    }

    [Fact]
    public void A_spool_is_read_only_once_complete_and_written_only_before()
    {
        using var spool = PackageSpool.Create(directory: _directory);
        spool.Write([1, 2, 3]);

        Assert.Throws<InvalidOperationException>(() => spool.OpenRead());
        spool.Complete();
        Assert.Throws<InvalidOperationException>(() => spool.Write([4]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1 << 20)]
    public void Shortening_keeps_the_first_bytes_and_their_hash_only_when_the_hash_is_accepted(int threshold)
    {
        var bytes = Encoding.ASCII.GetBytes(new string('x', 4000) + "\r\n");
        using var spool = Spool(bytes, threshold);

        Assert.False(spool.TryShorten(4000, _ => false));
        Assert.Equal(bytes.Length, spool.Length);
        Assert.Equal(SHA256.HashData(bytes), spool.Sha256);

        Assert.True(spool.TryShorten(4000, sha => sha.AsSpan().SequenceEqual(SHA256.HashData(bytes.AsSpan(0, 4000)))));
        Assert.Equal(bytes[..4000], spool.ToArray());
        Assert.Equal(SHA256.HashData(bytes.AsSpan(0, 4000)), spool.Sha256);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void A_package_spooled_to_a_file_is_judged_exactly_as_its_bytes_are(bool junk, bool tampered)
    {
        using var pki = TestPki.Create();
        var signer = pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");
        var signed = PackageSigner.Sign(File.ReadAllBytes(Repository.Sample("edoc_update.edxml")), signer, [pki.Intermediate]);
        if (tampered)
        {
            // One letter of the content changed after signing: the digest no longer matches.
            var at = signed.AsSpan().IndexOf("<edXML:Subject>"u8) + "<edXML:Subject>".Length;
            signed[at] = (byte)(signed[at] == (byte)'X' ? 'Y' : 'X');
        }

        byte[] package = junk ? [.. "1212"u8, .. signed] : signed;
        var options = CheckOptions.Legacy(new CertificateTrust(new TrustOptions { Roots = [pki.Root] }));
        using var spool = Spool(package, threshold: 0);

        var fromBytes = PackageCheck.Evaluate(package, options);
        var fromSpool = PackageCheck.Evaluate(spool, options);
        fromBytes.Validation.Package?.Dispose();
        fromSpool.Validation.Package?.Dispose();

        Assert.True(spool.IsOnDisk);
        Assert.Equal(Describe(fromBytes), Describe(fromSpool));
        Assert.Equal(!tampered, fromSpool.IsAccepted);
        Assert.Equal(tampered, fromSpool.Findings.Any(f => f.Code == Errors.ErrorCode.SignatureDigestMismatch));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_spool_over_a_file_reads_it_in_place_judges_it_as_its_bytes_and_leaves_it_on_dispose(bool tampered)
    {
        using var pki = TestPki.Create();
        var signer = pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");
        var signed = PackageSigner.Sign(File.ReadAllBytes(Repository.Sample("edoc_update.edxml")), signer, [pki.Intermediate]);
        if (tampered)
        {
            var at = signed.AsSpan().IndexOf("<edXML:Subject>"u8) + "<edXML:Subject>".Length;
            signed[at] = (byte)(signed[at] == (byte)'X' ? 'Y' : 'X');
        }

        var path = Path.Combine(_directory, "package.edxml");
        File.WriteAllBytes(path, signed);
        var verifier = new PackageSignatureVerifier(SignaturePolicy.Default with { RequireSignature = true }, new CertificateTrust(new TrustOptions { Roots = [pki.Root] }));

        SignatureVerdict fromFile;
        using (var spool = PackageSpool.OverFile(path))
        {
            Assert.True(spool.IsComplete);
            Assert.True(spool.IsOnDisk);
            Assert.Equal(signed.Length, spool.Length);
            Assert.Equal(SHA256.HashData(signed), spool.Sha256);
            Assert.Equal(signed, spool.ToArray());
            fromFile = verifier.Verify(spool);
        }

        var fromBytes = verifier.Verify(signed);
        Assert.Equal($"{fromBytes.Status} {fromBytes.IsTrusted}", $"{fromFile.Status} {fromFile.IsTrusted}");
        Assert.Equal(fromBytes.Errors.Select(e => e.Code), fromFile.Errors.Select(e => e.Code));
        Assert.Equal(!tampered, fromFile.IsTrusted && !fromFile.HasErrors);
        Assert.Equal(signed, File.ReadAllBytes(path));
    }

    private static string Describe(CheckResult result) =>
        $"{result.IsAccepted} {result.Signature?.Status} " + string.Join("; ", result.Findings.Select(f => $"{f.Code} {f.Field} {f.IsError}"));

    private PackageSpool Spool(byte[] bytes, int threshold, int piece = 1024)
    {
        var spool = PackageSpool.Create(threshold, _directory);
        for (var i = 0; i < bytes.Length; i += piece)
        {
            spool.Write(bytes.AsSpan(i, Math.Min(piece, bytes.Length - i)));
        }

        spool.Complete();
        return spool;
    }
}
