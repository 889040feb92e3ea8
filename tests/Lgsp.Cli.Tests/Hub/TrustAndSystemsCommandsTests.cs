using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Trust;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Ledger;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Cli.Tests.Hub;

/// <summary><c>lgsp agencies cert add</c>, <c>systems add</c>, <c>trust add</c> and <c>crl add</c> against a real database.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class TrustAndSystemsCommandsTests(PostgresFixture fixture) : IDisposable
{
    private const string Province = "000.00.00.H56";
    private const string Finance = "000.00.01.H56";

    private readonly string _dir = Directory.CreateTempSubdirectory("lgsp-cli-trust-").FullName;
    private readonly TestPki _pki = TestPki.Create("LGSP CLI");

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Cert_add_registers_every_certificate_in_the_file_as_a_signer_of_the_agency()
    {
        await using var db = await AgenciesAsync();
        using var seal = _pki.IssueOrganization(Finance, "Sở Tài chính tỉnh Thanh Hóa");
        using var ecdsa = _pki.IssueOrganization(Finance, "Sở Tài chính tỉnh Thanh Hóa", KeyKind.EcdsaP256);
        var pem = Write("signers.pem", seal.ExportCertificatePem() + "\n" + ecdsa.ExportCertificatePem() + "\n");

        var output = db.Ok("agencies", "cert", "add", Finance, pem);

        foreach (var certificate in new[] { seal, ecdsa })
        {
            var sha = SHA256.HashData(certificate.RawData);
            Assert.True(await db.Directory.IsSignerRegisteredAsync(Finance, sha));
            Assert.False(await db.Directory.IsSignerRegisteredAsync(Province, sha));
            Assert.Contains($"{certificate.Subject} sha256 {Convert.ToHexStringLower(sha)}", output);
        }

        Assert.Equal(2, (await db.LedgerAsync()).Count(e => e.Detail.Contains("certificate.added")));
    }

    [Fact]
    public async Task Cert_add_for_an_unknown_agency_is_refused_and_an_unreadable_file_is_a_usage_error()
    {
        await using var db = await AgenciesAsync();
        using var seal = _pki.IssueOrganization("000.00.09.H56", "Sở Nội vụ");
        var pem = Write("seal.pem", seal.ExportCertificatePem());
        var junk = Write("junk.pem", "not a certificate");

        var unknown = db.Run("agencies", "cert", "add", "000.00.09.H56", pem);
        var unreadable = db.Run("agencies", "cert", "add", Finance, junk);

        Assert.Equal(1, unknown.Exit);
        Assert.StartsWith("NotFound Code: ", unknown.Error);
        Assert.Equal(2, unreadable.Exit);
    }

    [Fact]
    public async Task Systems_add_without_a_secret_prints_a_generated_one_once_that_verifies_against_the_stored_hash()
    {
        await using var db = await AgenciesAsync();

        var output = db.Ok("systems", "add", "--id", "qlvb-stc", "--agency", Finance, "--agency", Province, "--policy", "legacy", "--actor", "operator:an");

        var secret = SecretLine().Match(output).Groups[1].Value;
        Assert.True(secret.Length >= 40, output);
        var stored = await db.Directory.FindClientSystemAsync("qlvb-stc");
        Assert.NotNull(stored);
        Assert.True(SecretHash.Verify(secret, stored.SecretHash));
        Assert.DoesNotContain(secret, stored.SecretHash);
        Assert.Equal(PackagePolicy.Legacy, stored.System.Policy);
        Assert.True(stored.System.ActsFor(Finance));
        Assert.True(stored.System.ActsFor(Province));
        var entry = Assert.Single(await db.LedgerAsync(), e => e.Detail.Contains("system.saved"));
        Assert.Equal("operator:an", entry.Actor);
        Assert.DoesNotContain(secret, entry.Detail);
    }

    [Fact]
    public async Task Systems_add_auditor_needs_no_agency_and_stores_the_auditor_role_until_the_system_is_saved_without_it()
    {
        await using var db = await AgenciesAsync();

        var auditor = db.Ok("systems", "add", "--id", "kiem-toan", "--secret", "audit-secret", "--auditor");
        var asAuditor = await db.Directory.FindClientSystemAsync("kiem-toan");
        var role = await db.ScalarAsync("SELECT role FROM lgsp.client_system WHERE id = 'kiem-toan'");
        var noAgency = db.Run("systems", "add", "--id", "qlvb-stc", "--secret", "s");
        db.Ok("systems", "add", "--id", "kiem-toan", "--secret", "audit-secret", "--agency", Finance);
        var demoted = await db.Directory.FindClientSystemAsync("kiem-toan");

        Assert.StartsWith("added kiem-toan (strict, auditor: may trace any document) for no agency", auditor);
        Assert.True(asAuditor!.System.IsAuditor);
        Assert.Empty(asAuditor.System.Agencies);
        Assert.Equal("auditor", role);
        Assert.Contains(await db.LedgerAsync(), e => e.Detail.Contains("\"role\": \"auditor\"", StringComparison.Ordinal));
        Assert.Equal(2, noAgency.Exit);
        Assert.Contains("--agency: a client system acts for at least one agency (or give --auditor)", noAgency.Error);
        Assert.False(demoted!.System.IsAuditor);
        Assert.Equal("agency", await db.ScalarAsync("SELECT role FROM lgsp.client_system WHERE id = 'kiem-toan'"));
    }

    [Fact]
    public async Task Systems_add_seals_the_secret_with_the_hub_key_so_the_axis_protocol_can_open_it()
    {
        await using var db = await AgenciesAsync();

        db.Ok("systems", "add", "--id", "qlvb-stc", "--secret", "mật-khẩu-đủ-dài", "--agency", Finance);

        var stored = await db.Directory.FindClientSystemAsync("qlvb-stc");
        Assert.NotNull(stored!.SealedSecret);
        Assert.Equal("mật-khẩu-đủ-dài", SecretBox.Load(db.SecretKeyPath).Open(stored.SealedSecret));
        Assert.DoesNotContain("mật-khẩu", Encoding.UTF8.GetString(stored.SealedSecret));
    }

    [Fact]
    public async Task Systems_secret_prints_a_new_secret_that_replaces_both_the_hash_and_the_sealed_secret()
    {
        await using var db = await AgenciesAsync();
        db.Ok("systems", "add", "--id", "qlvb-stc", "--secret", "old-secret", "--agency", Finance);
        await db.ScalarAsync("UPDATE lgsp.client_system SET secret_box = NULL");

        var output = db.Ok("systems", "secret", "qlvb-stc", "--actor", "operator:an");
        var unknown = db.Run("systems", "secret", "no-such-system");

        var secret = NewSecretLine().Match(output).Groups[1].Value;
        var stored = await db.Directory.FindClientSystemAsync("qlvb-stc");
        Assert.True(secret.Length >= 40, output);
        Assert.True(SecretHash.Verify(secret, stored!.SecretHash));
        Assert.False(SecretHash.Verify("old-secret", stored.SecretHash));
        Assert.Equal(secret, SecretBox.Load(db.SecretKeyPath).Open(stored.SealedSecret!));
        Assert.Equal("operator:an", (await db.LedgerAsync()).Last(e => e.Detail.Contains("system.secret")).Actor);
        Assert.Equal(1, unknown.Exit);
        Assert.StartsWith("NotFound ID: ", unknown.Error);
    }

    [Fact]
    public async Task Systems_add_with_a_secret_stores_its_hash_and_does_not_print_it()
    {
        await using var db = await AgenciesAsync();

        var output = db.Ok("systems", "add", "--id", "qlvb-stc", "--secret", "mật-khẩu-đủ-dài", "--agency", Finance);
        var second = db.Ok("systems", "add", "--id", "qlvb-stc", "--secret", "another", "--agency", Province);

        Assert.StartsWith("added qlvb-stc (strict)", output);
        Assert.DoesNotContain("mật-khẩu", output);
        Assert.StartsWith("updated qlvb-stc", second);
        var stored = await db.Directory.FindClientSystemAsync("qlvb-stc");
        Assert.True(SecretHash.Verify("another", stored!.SecretHash));
        Assert.False(stored.System.ActsFor(Finance));
    }

    [Fact]
    public async Task Systems_add_refuses_a_bad_policy_or_id_with_exit_two_and_an_unknown_agency_with_exit_one()
    {
        await using var db = await AgenciesAsync();

        Assert.Equal(2, db.Run("systems", "add", "--id", "s1", "--agency", Finance, "--policy", "lenient").Exit);
        Assert.Equal(2, db.Run("systems", "add", "--id", "a:b", "--agency", Finance).Exit);
        Assert.Equal(2, db.Run("systems", "add", "--id", "s1").Exit);
        var unknown = db.Run("systems", "add", "--id", "s1", "--agency", "000.00.77.H56");
        Assert.Equal(1, unknown.Exit);
        Assert.StartsWith("NotFound Agency: ", unknown.Error);
        Assert.Null(await db.Directory.FindClientSystemAsync("s1"));
    }

    [Fact]
    public async Task Trust_add_stores_the_self_signed_certificate_as_a_root_and_the_other_as_an_intermediate()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var pem = Write("ca.pem", _pki.Intermediate.ExportCertificatePem() + "\n" + _pki.Root.ExportCertificatePem() + "\n");

        var output = db.Ok("trust", "add", pem, "--actor", "operator:an");

        var trust = await db.Directory.LoadTrustAsync();
        Assert.Equal(_pki.Root.RawData, Assert.Single(trust.Roots));
        Assert.Equal(_pki.Intermediate.RawData, Assert.Single(trust.Intermediates));
        Assert.Contains($"root: {_pki.Root.Subject}", output);
        Assert.Contains($"intermediate: {_pki.Intermediate.Subject}", output);
        var entries = (await db.LedgerAsync()).Where(e => e.Kind == LedgerKind.TrustChanged).ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal("operator:an", e.Actor));
    }

    [Fact]
    public async Task Crl_add_stores_every_crl_in_the_file_with_its_issuer_and_issue_time()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        using var revoked = _pki.IssuePersonal("Trần Văn Bình", "038090000002");
        var thisUpdate = new DateTimeOffset(2026, 1, 15, 8, 0, 0, TimeSpan.Zero);
        var intermediateCrl = _pki.CreateCrl([revoked], thisUpdate);
        var rootCrl = _pki.CreateRootCrl([], thisUpdate);
        var pem = Write("crls.pem", PemEncoding.WriteString("X509 CRL", intermediateCrl) + "\n" + PemEncoding.WriteString("X509 CRL", rootCrl) + "\n");

        var output = db.Ok("crl", "add", pem);

        var crls = (await db.Directory.LoadTrustAsync()).Crls.Select(c => RevocationList.Load(c)).ToList();
        Assert.Equal(2, crls.Count);
        Assert.Contains(crls, c => c.Issuer.Name == _pki.Intermediate.Subject && c.Entries.Count == 1);
        Assert.Contains(crls, c => c.Issuer.Name == _pki.Root.Subject && c.Entries.Count == 0);
        Assert.Contains($"CRL of {_pki.Intermediate.Subject}: issued 2026-01-15 08:00:00Z", output);
        Assert.Contains("1 revoked", output);
        Assert.Equal(thisUpdate.UtcDateTime, await db.ScalarAsync("SELECT min(this_update) FROM lgsp.crl"));
        Assert.Equal(2, (await db.LedgerAsync()).Count(e => e.Kind == LedgerKind.TrustChanged && e.Detail.Contains("crl.added")));
    }

    [Fact]
    public async Task Crl_add_says_when_a_crl_is_already_stale()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var due = new DateTimeOffset(2026, 1, 22, 8, 0, 0, TimeSpan.Zero);
        var stale = Write("stale.pem", PemEncoding.WriteString("X509 CRL", _pki.CreateCrl([], due.AddDays(-7), due)) + "\n");
        var fresh = Write("fresh.pem", PemEncoding.WriteString("X509 CRL", _pki.CreateRootCrl([], DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(7))) + "\n");

        var (staleExit, staleOutput, staleError) = db.Run("crl", "add", stale);
        var (freshExit, _, freshError) = db.Run("crl", "add", fresh);

        Assert.Equal(0, staleExit);
        Assert.Contains("next update 2026-01-22 08:00:00Z", staleOutput);
        Assert.Contains("warning: this CRL is already stale (next update was due 2026-01-22 08:00:00Z)", staleError);
        Assert.Contains($"certificates of {_pki.Intermediate.Subject} fail (CrlStale)", staleError);
        Assert.Equal(0, freshExit);
        Assert.DoesNotContain("stale", freshError);
    }

    [Fact]
    public async Task Crl_add_of_a_file_without_a_crl_is_a_usage_error()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var pem = Write("root.pem", _pki.Root.ExportCertificatePem());

        var (exit, _, error) = db.Run("crl", "add", pem);

        Assert.Equal(2, exit);
        Assert.Contains("No X509 CRL block", error);
    }

    private async Task<HubDatabase> AgenciesAsync()
    {
        var db = await HubDatabase.CreateAsync(fixture);
        db.Ok("agencies", "add", Province, "--name", "UBND tỉnh Thanh Hóa", "--tier", "province");
        db.Ok("agencies", "add", Finance, "--name", "Sở Tài chính", "--tier", "department", "--parent", Province);
        return db;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [GeneratedRegex(@"^secret: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex SecretLine();

    [GeneratedRegex(@"^new secret for \S+: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex NewSecretLine();
}
