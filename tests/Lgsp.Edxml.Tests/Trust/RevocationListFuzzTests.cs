using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Tests.Pki;
using Lgsp.Edxml.Trust;
using Lgsp.TestSupport.Fuzzing;
using Xunit.Abstractions;

namespace Lgsp.Edxml.Tests.Trust;

/// <summary>
/// Mutation fuzzing of the CRL reader over the test PKI's CRLs, DER and PEM (docs/security.md,
/// "Fuzzing"): loading refuses with <see cref="CryptographicException"/> only, and a CRL whose signature
/// still verifies says exactly what its issuer signed.
/// </summary>
public sealed class RevocationListFuzzTests(PkiFixture fixture, ITestOutputHelper output) : IClassFixture<PkiFixture>
{
    private static readonly FuzzBounds Bounds = new(TimeSpan.FromSeconds(10), BytesPerInputByte: 32, FixedBytes: 1024 * 1024);

    [Fact]
    public void Mutated_crls_load_or_are_refused_as_cryptographic_errors_within_bounds_and_a_verified_crl_is_what_its_issuer_signed()
    {
        var pki = fixture.Pki;
        var revoked = new[] { pki.IssuePersonal("Phạm Văn Thu Hồi", "001000000021"), pki.IssueOrganization("000.00.09.H56", "Sở thử nghiệm") };
        var issuers = new[] { pki.Intermediate, pki.Root };
        var now = DateTimeOffset.UtcNow;
        var ders = new[]
        {
            pki.CreateCrl([]),
            pki.CreateCrl(revoked[..1], now.AddHours(-1), now.AddDays(7)),
            pki.CreateCrl(revoked, now.AddHours(-1), null),
            pki.CreateRootCrl([pki.Intermediate]),
        };
        var corpus = ders.Concat(ders.Select(der => System.Text.Encoding.ASCII.GetBytes(PemEncoding.WriteString("X509 CRL", der))))
            .Append(System.Text.Encoding.ASCII.GetBytes(string.Join('\n', ders.Select(der => PemEncoding.WriteString("X509 CRL", der)))))
            .ToList();
        var signed = ders.Select(der => Content(RevocationList.Load(der))).ToHashSet(StringComparer.Ordinal);

        var report = FuzzCampaign.Run("CRL reader", 0x5EED0004, corpus, new Mutator(ByteMutations.All, Base64Mutations.All), Bounds, mutant =>
        {
            IReadOnlyList<RevocationList> crls;
            try
            {
                crls = RevocationList.LoadAll(mutant.Bytes, "fuzz");
            }
            catch (CryptographicException)
            {
                return nameof(CryptographicException);
            }

            var outcome = "loaded, signature does not verify";
            foreach (var crl in crls)
            {
                _ = crl.IsStaleAt(now);
                _ = crl.Find(revoked[0]);
                _ = crl.CoversIssuerOf(revoked[1]);
                if (issuers.Any(issuer => crl.VerifySignature(issuer, out _)))
                {
                    Assert.Contains(Content(crl), signed);
                    outcome = crl.UnsupportedReason is null ? FuzzCampaign.Accepted : "verified, unsupported";
                }
            }

            return outcome;
        });

        output.WriteLine(report.ToString());
        Assert.True(report.Outcomes.ContainsKey(FuzzCampaign.Accepted), "some mutants (PEM whitespace, a bundle's other block) still verify");
    }

    /// <summary>Everything a trust decision reads from a CRL.</summary>
    private static string Content(RevocationList crl) =>
        string.Join('|', Convert.ToHexString(crl.Issuer.RawData), crl.ThisUpdate.ToUnixTimeSeconds(), crl.NextUpdate?.ToUnixTimeSeconds(), crl.CrlNumber,
            crl.UnsupportedReason, crl.SignatureAlgorithmOid, string.Join(',', crl.Entries.Select(e => $"{e.SerialNumber}@{e.RevokedAt.ToUnixTimeSeconds()}:{e.Reason}")));
}
