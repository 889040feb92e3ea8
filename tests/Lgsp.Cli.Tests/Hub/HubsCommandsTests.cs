using System.Text.Json;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Ledger;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Cli.Tests.Hub;

/// <summary><c>lgsp hubs add/list</c>, <c>agencies add --served-by</c> and the import's serving-hub
/// column, against a real database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class HubsCommandsTests(PostgresFixture fixture) : IDisposable
{
    private const string Secret = "parent-secret-never-printed";
    private readonly string _dir = Directory.CreateTempSubdirectory("lgsp-cli-hubs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_parent_is_added_with_its_secret_sealed_and_listed_without_it()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);

        var added = db.Ok("hubs", "add", "--id", "national", "--role", "parent", "--url", "https://axis.example.gov.vn/vxp", "--system", "h56",
            "--secret", Secret, "--actor", "operator:lan");
        var table = db.Ok("hubs", "list");
        var json = db.Ok("hubs", "list", "--json");

        Assert.StartsWith("added hub national (parent, at https://axis.example.gov.vn/vxp, no signing certificate: witnessing with it is refused, link policy strict)", added);
        Assert.Contains("national", table);
        Assert.Contains("1 hub", table);
        Assert.DoesNotContain(Secret, table + json + added);
        using var listed = JsonDocument.Parse(json);
        var row = listed.RootElement.EnumerateArray().Single();
        Assert.Equal("parent", row.GetProperty("role").GetString());
        Assert.True(row.GetProperty("secretSet").GetBoolean());

        var hub = (await db.Directory.FindHubAsync("national"))!;
        Assert.Equal(Secret, SecretBox.Load(db.SecretKeyPath).Open(hub.SealedSecret!));
        var ledger = Assert.Single(await db.LedgerAsync());
        Assert.Equal((LedgerKind.DirectoryChanged, "operator:lan"), (ledger.Kind, ledger.Actor));
        Assert.DoesNotContain(Secret, ledger.Detail);
    }

    [Fact]
    public async Task A_childs_link_policy_is_strict_by_default_set_to_inherit_listed_recorded_and_kept_on_update()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);

        var added = db.Ok("hubs", "add", "--id", "commune", "--role", "child");
        var inherited = db.Ok("hubs", "add", "--id", "commune", "--role", "child", "--policy", "inherit");
        db.Ok("hubs", "add", "--id", "commune", "--role", "child", "--disabled");
        var table = db.Ok("hubs", "list");
        var json = db.Ok("hubs", "list", "--json");
        var (exit, _, refused) = db.Run("hubs", "add", "--id", "commune", "--role", "child", "--policy", "lenient");

        Assert.EndsWith("link policy strict)", added.TrimEnd());
        Assert.EndsWith("link policy inherit)", inherited.TrimEnd());
        Assert.Contains("inherit", table);
        using var listed = JsonDocument.Parse(json);
        Assert.Equal("inherit", listed.RootElement.EnumerateArray().Single().GetProperty("policy").GetString());
        Assert.Equal(LinkPolicy.Inherit, (await db.Directory.FindHubAsync("commune"))!.Policy);
        Assert.Equal(2, exit);
        Assert.Contains("--policy: 'lenient' is not a link policy (strict or inherit)", refused);
        Assert.Equal(new[] { "strict", "inherit", "inherit" }, (await db.LedgerAsync()).Select(e => JsonDocument.Parse(e.Detail).RootElement.GetProperty("policy").GetString()!).ToArray());
    }

    [Fact]
    public async Task Updating_a_hub_without_a_secret_keeps_the_sealed_one()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        db.Ok("hubs", "add", "--id", "national", "--role", "parent", "--url", "https://axis.example.gov.vn/vxp", "--system", "h56", "--secret", Secret);

        var updated = db.Ok("hubs", "add", "--id", "national", "--role", "parent", "--url", "https://axis2.example.gov.vn/vxp", "--system", "h56");

        Assert.StartsWith("updated hub national", updated);
        var hub = (await db.Directory.FindHubAsync("national"))!;
        Assert.Equal(new Uri("https://axis2.example.gov.vn/vxp"), hub.BaseUrl);
        Assert.Equal(Secret, SecretBox.Load(db.SecretKeyPath).Open(hub.SealedSecret!));
    }

    [Fact]
    public async Task A_hubs_signing_certificate_is_registered_listed_by_fingerprint_recorded_and_kept_on_update()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        using var pki = Lgsp.Edxml.Testing.Pki.TestPki.Create("Hub signing certificate");
        var certificate = pki.IssueOrganization("hub-commune", "LGSP xã");
        var file = Path.Combine(_dir, "commune-hub.pem");
        await File.WriteAllTextAsync(file, certificate.ExportCertificatePem());
        var fingerprint = Lgsp.Edxml.Signatures.SignerCheck.Fingerprint(certificate);

        var added = db.Ok("hubs", "add", "--id", "commune", "--role", "child", "--signing-cert", file);
        db.Ok("hubs", "add", "--id", "commune", "--role", "child", "--disabled");
        var json = db.Ok("hubs", "list", "--json");

        Assert.Contains($"signing certificate {certificate.Subject} sha256 {fingerprint}", added);
        using var listed = JsonDocument.Parse(json);
        Assert.Equal(fingerprint, listed.RootElement.EnumerateArray().Single().GetProperty("signingCertSha256").GetString());
        var hub = (await db.Directory.FindHubAsync("commune"))!;
        Assert.Equal(certificate.RawData, hub.SigningCertificate?.RawData);
        Assert.False(hub.Active);
        Assert.All(await db.LedgerAsync(), e => Assert.Contains($"\"signingCertSha256\": \"{fingerprint}\"", e.Detail));
    }

    [Fact]
    public async Task A_parent_without_its_address_and_secret_is_refused_with_the_reason()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);

        var (exit, _, error) = db.Run("hubs", "add", "--id", "national", "--role", "parent");

        Assert.Equal(1, exit);
        Assert.Contains("InvalidRequest", error);
        Assert.Empty(await db.Directory.ListHubsAsync());
    }

    [Fact]
    public async Task A_child_whose_inbound_system_calls_in_is_that_system_acting_as_the_child()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        await db.Directory.SaveClientSystemAsync("district-1-hub", SecretHash.Hash("s"), null, PackagePolicy.Strict, [], "test");

        db.Ok("hubs", "add", "--id", "district-1", "--role", "child", "--inbound-system", "district-1-hub");

        Assert.Equal("district-1", (await db.Directory.FindClientSystemAsync("district-1-hub"))!.System.Hub);
        Assert.Contains("district-1-hub", db.Ok("hubs", "list"));
    }

    [Fact]
    public async Task A_bad_role_is_a_usage_error()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var (exit, _, error) = db.Run("hubs", "add", "--id", "x", "--role", "sibling");
        Assert.Equal(2, exit);
        Assert.Contains("--role", error);
    }

    [Fact]
    public async Task An_agency_added_with_a_serving_hub_is_served_by_it_and_an_unknown_hub_is_refused()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        db.Ok("hubs", "add", "--id", "district-1", "--role", "child");

        var added = db.Ok("agencies", "add", "000.31.61.H56", "--name", "UBND xã A", "--tier", "commune", "--served-by", "district-1");
        var (exit, _, error) = db.Run("agencies", "add", "000.32.61.H56", "--name", "UBND xã B", "--tier", "commune", "--served-by", "nowhere");

        Assert.Contains("served by hub district-1", added);
        Assert.Equal("district-1", (await db.Directory.FindAgencyAsync("000.31.61.H56"))!.ServedBy);
        Assert.Contains("district-1", db.Ok("agencies", "list"));
        Assert.Equal(1, exit);
        Assert.Contains("NotFound ServedBy", error);
        Assert.Null(await db.Directory.FindAgencyAsync("000.32.61.H56"));
    }

    [Fact]
    public async Task Import_reads_the_optional_serving_hub_column()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        db.Ok("hubs", "add", "--id", "district-1", "--role", "child");
        var csv = Write("served.csv", "code,name,parent,tier,push_endpoint,served_by\n"
            + "000.00.00.H56,UBND tỉnh,,province,,\n"
            + "000.31.61.H56,UBND xã A,000.00.00.H56,commune,,district-1\n");

        db.Ok("agencies", "import", csv);

        Assert.Null((await db.Directory.FindAgencyAsync("000.00.00.H56"))!.ServedBy);
        Assert.Equal("district-1", (await db.Directory.FindAgencyAsync("000.31.61.H56"))!.ServedBy);
    }

    [Fact]
    public async Task Import_naming_an_unknown_serving_hub_imports_nothing_and_names_the_line()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var csv = Write("unknown-hub.csv", "served_by,code,name,parent,tier,push_endpoint\n"
            + ",000.00.00.H56,UBND tỉnh,,province,\n"
            + "district-9,000.31.61.H56,UBND xã A,000.00.00.H56,commune,\n");

        var (exit, _, error) = db.Run("agencies", "import", csv);

        Assert.Equal(1, exit);
        Assert.Contains("line 3", error);
        Assert.Contains("served_by", error);
        Assert.Contains("district-9", error);
        Assert.Empty(await db.Directory.ListAgenciesAsync());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
