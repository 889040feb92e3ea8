using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.People;
using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Demo;

/// <summary>A demo client system as <c>var/demo.json</c> lists it.</summary>
/// <param name="Id">System id (HTTP Basic user).</param>
/// <param name="Secret">Its secret (HTTP Basic password).</param>
/// <param name="Agencies">The agencies it acts for.</param>
/// <param name="CertPem">The first agency's signing certificate followed by its issuing intermediate (PEM):
/// signed with it, a package chains to the demo root alone.</param>
/// <param name="KeyPem">Its private key (PEM, unencrypted: demo material).</param>
public sealed record DemoSystem(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("agencies")] IReadOnlyList<string> Agencies,
    [property: JsonPropertyName("certPem")] string CertPem,
    [property: JsonPropertyName("keyPem")] string KeyPem);

/// <summary>The demo auditor's system: it may trace any document.</summary>
/// <param name="Id">System id (HTTP Basic user).</param>
/// <param name="Secret">Its secret (HTTP Basic password).</param>
public sealed record DemoAuditor(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("secret")] string Secret);

/// <summary>A demo console user (<c>/console/login</c>).</summary>
/// <param name="User">The sign-in name.</param>
/// <param name="Password">The password.</param>
/// <param name="Role">The role (admin, auditor).</param>
public sealed record DemoConsoleUser(
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("password")] string Password,
    [property: JsonPropertyName("role")] string Role);

/// <summary>What the demo start prints and writes to <c>var/demo.json</c>.</summary>
/// <param name="Url">The hub's base URL.</param>
/// <param name="Wsdl">The WSDL's URL.</param>
/// <param name="Admin">The dashboard administrator (<c>user:password</c>).</param>
/// <param name="TrustRoot">The demo trust root's path.</param>
/// <param name="Systems">The demo client systems.</param>
public sealed record DemoSetup(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("wsdl")] string Wsdl,
    [property: JsonPropertyName("admin")] string Admin,
    [property: JsonPropertyName("trustRoot")] string TrustRoot,
    [property: JsonPropertyName("systems")] IReadOnlyList<DemoSystem> Systems)
{
    /// <summary>The demo auditor's system (absent in a setup written before auditors existed).</summary>
    [JsonPropertyName("auditor")]
    public DemoAuditor? Auditor { get; init; }

    /// <summary>Which demo was seeded (a setup written before child demos existed is the province's).</summary>
    [JsonPropertyName("demo")]
    public DemoShape Shape { get; init; }

    /// <summary>The demo console users (absent in a setup written before the console existed).</summary>
    [JsonPropertyName("console")]
    public IReadOnlyList<DemoConsoleUser>? Console { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the setup as JSON.</summary>
    public void WriteTo(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>Reads a setup written by <see cref="WriteTo"/>.</summary>
    public static DemoSetup Read(string path) =>
        JsonSerializer.Deserialize<DemoSetup>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty.");
}

/// <summary>The demo province: Thanh Hóa (<c>000.00.00.H56</c>) with departments and communes, one
/// client system per agency, a throwaway PKI (every subject says TEST ONLY) whose root is the trust
/// root, and each agency's seal certificate registered. Used by the zero-configuration start and by tests.</summary>
public static class DemoProvince
{
    /// <summary>The child demo hub's id (<c>--demo child</c>).</summary>
    public const string ChildHubId = "lgsp-h56-child-demo";

    /// <summary>The province's code.</summary>
    public const string Province = "000.00.00.H56";

    /// <summary>The hub certificate's file stem in the PKI directory.</summary>
    public const string HubCertificate = "org-hub-h56";

    /// <summary>The demo auditor's system id.</summary>
    public const string AuditorSystem = "auditor";

    /// <summary>The operator the demo's directory entries name.</summary>
    public const string Actor = "demo-seed";

    /// <summary>The demo agencies: code, name, parent, tier, client system id.</summary>
    public static IReadOnlyList<(string Code, string Name, string? Parent, string Tier, string System)> Agencies { get; } =
    [
        (Province, "UBND tỉnh Thanh Hóa", null, AgencyTier.Province, "qlvb-ubnd-tinh"),
        ("000.00.01.H56", "Văn phòng UBND tỉnh Thanh Hóa", Province, AgencyTier.Department, "qlvb-vp-ubnd"),
        ("000.00.02.H56", "Sở Tài chính tỉnh Thanh Hóa", Province, AgencyTier.Department, "qlvb-so-tai-chinh"),
        ("000.00.03.H56", "Sở Nội vụ tỉnh Thanh Hóa", Province, AgencyTier.Department, "qlvb-so-noi-vu"),
        ("000.00.61.H56", "UBND phường Hạc Thành", Province, AgencyTier.Commune, "qlvb-hac-thanh"),
        ("000.00.62.H56", "UBND xã Hoằng Hóa", Province, AgencyTier.Commune, "qlvb-hoang-hoa"),
        ("000.00.63.H56", "UBND xã Nga Sơn", Province, AgencyTier.Commune, "qlvb-nga-son"),
    ];

    /// <summary>The child demo's agencies (<c>--demo child</c>): two communes a second hub serves, with
    /// codes, systems and a PKI of their own, so that it can be linked under the province demo.</summary>
    public static IReadOnlyList<(string Code, string Name, string? Parent, string Tier, string System)> ChildAgencies { get; } =
    [
        ("000.00.71.H56", "UBND xã Quảng Ninh", null, AgencyTier.Commune, "qlvb-quang-ninh"),
        ("000.00.72.H56", "UBND xã Hậu Lộc", null, AgencyTier.Commune, "qlvb-hau-loc"),
    ];

    /// <summary>The agencies <paramref name="shape"/> seeds.</summary>
    public static IReadOnlyList<(string Code, string Name, string? Parent, string Tier, string System)> AgenciesOf(DemoShape shape) =>
        shape == DemoShape.Child ? ChildAgencies : Agencies;

    /// <summary>A department merged away in 2025: documents to it go to the Department of Finance.</summary>
    public static (string Code, string Name, string Successor) Retired { get; } =
        ("000.00.04.H56", "Sở Kế hoạch và Đầu tư tỉnh Thanh Hóa", "000.00.02.H56");

    /// <summary>Seeds the directory and writes the PKI into <paramref name="pkiDirectory"/>.</summary>
    /// <param name="directory">The directory to fill (expected empty).</param>
    /// <param name="pkiDirectory">Where the PKI's PEM files go (<c>root.pem</c> is the trust root).</param>
    /// <param name="url">The hub's base URL, for the setup's links.</param>
    /// <param name="secrets">Seals the demo systems' secrets (the hub's key), for the axis protocol.</param>
    /// <param name="shape">The province demo, or the child demo (its own communes and CA names).</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The credentials and material to hand to demo clients.</returns>
    public static async Task<DemoSetup> SeedAsync(IDirectoryStore directory, string pkiDirectory, string url, SecretBox secrets,
        DemoShape shape = DemoShape.Province, CancellationToken ct = default)
    {
        var child = shape == DemoShape.Child;
        using var pki = TestPki.Create(child ? "LGSP Thanh Hoa child demo" : "LGSP Thanh Hoa demo");
        await directory.AddTrustCertificateAsync(pki.Root, root: true, Actor, ct);
        await directory.AddTrustCertificateAsync(pki.Intermediate, root: false, Actor, ct);

        var systems = new List<DemoSystem>();
        foreach (var (code, name, parent, tier, _) in AgenciesOf(shape))
        {
            await directory.SaveAgencyAsync(new Agency(code, name, parent, tier, true, null, null, default), Actor, ct);
        }

        if (!child)
        {
            await directory.SaveAgencyAsync(new Agency(Retired.Code, Retired.Name, Province, AgencyTier.Department, true, null, null, default), Actor, ct);
            await directory.RetireAgencyAsync(Retired.Code, Retired.Successor, Actor, ct);
        }

        foreach (var (code, name, _, _, systemId) in AgenciesOf(shape))
        {
            var certificate = pki.IssueOrganization(code, name);
            await directory.AddAgencyCertificateAsync(code, certificate, Actor, ct);
            var secret = NewSecret();
            await directory.SaveClientSystemAsync(systemId, SecretHash.Hash(secret), secrets.Seal(secret), PackagePolicy.Strict, [code], Actor, ct);
            // The signer followed by its issuing intermediate (a full-chain file): signed with it
            // (lgsp edxml sign), a package chains to the demo root alone, at this hub and at the next.
            var chainPem = certificate.ExportCertificatePem() + "\n" + pki.Intermediate.ExportCertificatePem();
            systems.Add(new DemoSystem(systemId, secret, [code], chainPem, ExportKey(certificate)));
        }

        var auditorSecret = NewSecret();
        await directory.SaveClientSystemAsync(AuditorSystem, SecretHash.Hash(auditorSecret), secrets.Seal(auditorSecret), PackagePolicy.Strict, [], Actor, ct, auditor: true);

        pki.IssueOrganization("hub-h56", child ? "LGSP cấp dưới Thanh Hóa (demo)" : "LGSP tỉnh Thanh Hóa");
        pki.WriteTo(pkiDirectory);
        var baseUrl = url.TrimEnd('/');
        return new DemoSetup(baseUrl, baseUrl + "/soap/edoc?wsdl", "admin:" + NewSecret(), Path.Combine(pkiDirectory, "root.pem"), systems)
        {
            Auditor = new DemoAuditor(AuditorSystem, auditorSecret),
            Shape = shape,
        };
    }

    /// <summary>The demo's console users: an administrator and an auditor, with fresh passwords.</summary>
    public static async Task<IReadOnlyList<DemoConsoleUser>> SeedConsoleAsync(IConsoleUserStore users, CancellationToken ct = default)
    {
        var seeded = new List<DemoConsoleUser>();
        foreach (var role in new[] { ConsoleRole.Admin, ConsoleRole.Auditor })
        {
            var password = NewSecret();
            var user = new ConsoleUser(role.Word(), role, [], "local", SecretHash.Hash(password), false, 0, null, DateTimeOffset.UtcNow, null);
            if (await users.AddAsync(user, Actor, ct))
            {
                seeded.Add(new DemoConsoleUser(user.Name, password, role.Word()));
            }
        }

        return seeded;
    }

    /// <summary>Loads the demo hub certificate with its key from the PKI directory.</summary>
    public static X509Certificate2 LoadHubCertificate(string pkiDirectory) =>
        X509Certificate2.CreateFromPemFile(Path.Combine(pkiDirectory, HubCertificate + ".pem"), Path.Combine(pkiDirectory, HubCertificate + ".key.pem"));

    /// <summary>A random secret: 24 bytes, base64url.</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string ExportKey(X509Certificate2 certificate) =>
        (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() is { } rsa ? rsa.ExportPkcs8PrivateKeyPem()
        : certificate.GetECDsaPrivateKey()?.ExportPkcs8PrivateKeyPem() ?? throw new InvalidOperationException("The demo certificate has no private key.");
}
