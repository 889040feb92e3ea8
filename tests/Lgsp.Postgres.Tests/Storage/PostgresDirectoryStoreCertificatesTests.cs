using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Exchange.Directory;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Postgres.Tests.Storage;

/// <summary>The agencies' signer certificates as the console's directory screen lists them, on real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDirectoryStoreCertificatesTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Signer_certificates_are_listed_by_agency_then_expiry_with_subject_and_fingerprint()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        var directory = new PostgresDirectoryStore(data, TimeProvider.System);
        await directory.SaveAgencyAsync(new Agency("000.00.02.H56", "Sở Tài chính", null, AgencyTier.Department, true, null, null, default), "operator:test");
        await directory.SaveAgencyAsync(new Agency("000.00.01.H56", "Sở Nội vụ", null, AgencyTier.Department, true, null, null, default), "operator:test");
        var now = DateTimeOffset.UtcNow;
        using var later = Certificate("CN=later", now.AddDays(90));
        using var sooner = Certificate("CN=sooner", now.AddDays(10));
        using var other = Certificate("CN=other", now.AddDays(5));
        await directory.AddAgencyCertificateAsync("000.00.02.H56", later, "operator:test");
        await directory.AddAgencyCertificateAsync("000.00.02.H56", sooner, "operator:test");
        await directory.AddAgencyCertificateAsync("000.00.01.H56", other, "operator:test");

        var listed = await directory.ListAgencyCertificatesAsync();

        Assert.Equal([("000.00.01.H56", "CN=other"), ("000.00.02.H56", "CN=sooner"), ("000.00.02.H56", "CN=later")], listed.Select(c => (c.Agency, c.Subject)));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(later.RawData)), listed[2].Sha256);
        Assert.Equal(new DateTimeOffset(later.NotAfter.ToUniversalTime()), listed[2].NotAfter);
    }

    // The accept path's signer check and the sender's tier, read in one lookup.
    [Fact]
    public async Task The_sender_lookup_gives_the_agency_and_whether_the_signer_is_registered_for_it()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        var directory = new PostgresDirectoryStore(data, TimeProvider.System);
        await directory.SaveAgencyAsync(new Agency("000.00.02.H56", "Sở Tài chính", null, AgencyTier.Department, true, null, null, default), "operator:test");
        await directory.SaveAgencyAsync(new Agency("000.00.01.H56", "Sở Nội vụ", null, AgencyTier.Department, true, null, null, default), "operator:test");
        using var registered = Certificate("CN=registered", DateTimeOffset.UtcNow.AddDays(30));
        await directory.AddAgencyCertificateAsync("000.00.02.H56", registered, "operator:test");
        var sha = SHA256.HashData(registered.RawData);

        var signedBySigner = await directory.FindSenderAsync("000.00.02.H56", sha);
        var signedByAnother = await directory.FindSenderAsync("000.00.01.H56", sha);
        var unsigned = await directory.FindSenderAsync("000.00.02.H56", null);
        var unknown = await directory.FindSenderAsync("000.00.99.H56", sha);

        Assert.Equal(("000.00.02.H56", AgencyTier.Department, true), (signedBySigner.Agency?.Code, signedBySigner.Agency?.Tier, signedBySigner.SignerRegistered));
        Assert.Equal(("000.00.01.H56", false), (signedByAnother.Agency?.Code, signedByAnother.SignerRegistered));
        Assert.Equal(("000.00.02.H56", false), (unsigned.Agency?.Code, unsigned.SignerRegistered));
        Assert.Equal((null, false), (unknown.Agency, unknown.SignerRegistered));
    }

    private static X509Certificate2 Certificate(string subject, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), notAfter);
    }
}
