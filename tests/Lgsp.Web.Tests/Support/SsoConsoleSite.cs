using Lgsp.TestSupport.Oidc;

namespace Lgsp.Web.Tests.Support;

/// <summary>The console with the provincial single sign-on configured: the same hub as
/// <see cref="ConsoleSite"/>'s, started with <c>Console:Oidc:*</c> pointing at a real OpenID Connect
/// provider on loopback (<see cref="OidcProvider"/>), where the console is a registered client. Each
/// test adds the provider's people it needs.</summary>
public sealed class SsoConsoleSite : ConsoleSite
{
    /// <summary>The console's client id at the provider.</summary>
    public const string ClientId = "lgsp-console";

    /// <summary>The provider's role value the hub maps to auditor (<c>Console:Oidc:RoleMap</c>).</summary>
    public const string AuditorValue = "LGSP_KIEMTOAN";

    private const string ClientSecret = "test-only-console-secret";
    private int _people;

    /// <summary>The provider.</summary>
    public OidcProvider Provider { get; private set; } = null!;

    /// <summary>A new person at the provider with a fresh user name (and subject).</summary>
    public OidcPerson AddPerson(IReadOnlyList<string> roles, params string[] agencies)
    {
        var person = OidcPerson.Of($"canbo{Interlocked.Increment(ref _people)}-{Guid.NewGuid().ToString("N")[..6]}", roles, agencies);
        Provider.Add(person);
        return person;
    }

    /// <summary>Signs <paramref name="person"/> in through the provider on <paramref name="page"/>:
    /// the console's "Đăng nhập tập trung", then the provider's login form when it asks.</summary>
    public async Task SsoSignInAsync(IPage page, OidcPerson person)
    {
        await page.GotoAsync("/console/login");
        await page.GetByRole(AriaRole.Link, new() { Name = "Đăng nhập tập trung" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        if (page.Url.StartsWith(Provider.Authority.AbsoluteUri, StringComparison.Ordinal))
        {
            await page.Locator("#username").FillAsync(person.UserName);
            await page.Locator("#password").FillAsync(person.Password);
            await page.Locator("form button[type=submit]").ClickAsync();
        }

        // Two sites, a token exchange and possibly a key refresh and one restarted sign-in: more than a
        // page's usual time when the whole suite shares the machine.
        await page.WaitForURLAsync(url => url.Contains("/console/", StringComparison.Ordinal) && !url.Contains("/console/sso/", StringComparison.Ordinal)
            || url.Contains(SsoRefusedPath, StringComparison.Ordinal), new() { Timeout = 90_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>Where a refused single sign-on lands.</summary>
    public const string SsoRefusedPath = "/console/sso/refused";

    /// <inheritdoc />
    protected override async Task ConfigureAsync(IDictionary<string, string?> settings)
    {
        Provider = await OidcProvider.StartAsync([], []);
        settings["Console:Oidc:Authority"] = Provider.Authority.AbsoluteUri;
        settings["Console:Oidc:ClientId"] = ClientId;
        settings["Console:Oidc:ClientSecret"] = ClientSecret;
        settings["Console:Oidc:Scopes"] = "openid profile roles agency";
        settings["Console:Oidc:RequireHttps"] = "false";
        settings[$"Console:Oidc:RoleMap:{AuditorValue}"] = "auditor";

        // The shortest the library allows: the tests rotate keys and send foreign kids within seconds.
        settings["Console:Oidc:KeyRefreshInterval"] = "00:00:01";
    }

    /// <inheritdoc />
    protected override async Task StartedAsync()
    {
        Provider.Register(OidcClient.Web(ClientId, ClientSecret, new Uri(Hub.BaseUri, "console/sso/callback"), new Uri(Hub.BaseUri, "console/sso/signed-out")));

        // The hub reads the provider's discovery document at the first sign-in: done here, once, so that
        // no test's first click waits for it.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Hub.BaseUri };
        using var start = await http.GetAsync("/console/sso/signin");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, start.StatusCode);
        Assert.StartsWith(Provider.Authority.AbsoluteUri, start.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    protected override async Task StoppingAsync()
    {
        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }
    }
}

/// <summary>The single sign-on tests share one hub, one provider and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class SsoConsoleCollection : ICollectionFixture<SsoConsoleSite>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Console with single sign-on";
}
