using System.Net;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.People;
using Lgsp.Postgres.Storage;
using Lgsp.TestSupport;
using Lgsp.TestSupport.Hub;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Web.Tests.Support;

/// <summary>
/// The console as people meet it: a real hub process (one province hub with a few agencies, real
/// PostgreSQL) and a real Chromium driven by Playwright. Shared by every console test in the
/// <see cref="ConsoleCollection"/>; each test makes the users it needs, so tests do not lean on each
/// other's sign-ins or lockouts.
/// </summary>
public class ConsoleSite : IAsyncLifetime
{
    /// <summary>The hub's id.</summary>
    public const string HubId = "h56";

    /// <summary>The province.</summary>
    public const string Province = "000.00.00.H56";

    /// <summary>A department.</summary>
    public const string Finance = "000.00.02.H56";

    /// <summary>Another department.</summary>
    public const string HomeAffairs = "000.00.03.H56";

    /// <summary>A commune.</summary>
    public const string HacThanh = "000.00.61.H56";

    /// <summary>The agencies of the test hub.</summary>
    public static readonly IReadOnlyList<AgencySpec> Agencies =
    [
        new(Province, "UBND tỉnh Thanh Hóa", AgencyTier.Province, HubId),
        new(Finance, "Sở Tài chính tỉnh Thanh Hóa", AgencyTier.Department, HubId),
        new(HomeAffairs, "Sở Nội vụ tỉnh Thanh Hóa", AgencyTier.Department, HubId),
        new(HacThanh, "UBND phường Hạc Thành", AgencyTier.Commune, HubId),
    ];

    private readonly PostgresFixture _postgres = new();
    private IPlaywright? _playwright;
    private int _users;

    /// <summary>The hub and its agencies' clients.</summary>
    public Topology Topology { get; private set; } = null!;

    /// <summary>The hub.</summary>
    public TopologyHub Hub => Topology[HubId];

    /// <summary>The console's address, e.g. <c>http://127.0.0.1:PORT/console/</c>.</summary>
    public Uri ConsoleUri => new(Hub.BaseUri, "console/");

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The hub's database.</summary>
    public NpgsqlDataSource Database { get; private set; } = null!;

    /// <summary>The console users' store on the hub's database.</summary>
    public PostgresConsoleUserStore Users { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        // The reports screen reads the rollups: refreshed every second here, not every minute.
        var settings = new Dictionary<string, string?> { ["Hub:Reports:RefreshInterval"] = "00:00:01" };
        await ConfigureAsync(settings);
        Topology = await Topology.StartAsync(_postgres, [new HubSpec(HubId, null)], Agencies, settings);
        Database = NpgsqlDataSource.Create(Hub.ConnectionString);
        Users = new PostgresConsoleUserStore(Database, TimeProvider.System);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(ChromiumOptions());
        await StartedAsync();
    }

    /// <summary>A variant's extra hub settings, before the hub starts.</summary>
    protected virtual Task ConfigureAsync(IDictionary<string, string?> settings) => Task.CompletedTask;

    /// <summary>A variant's own start, once the hub and the browser run.</summary>
    protected virtual Task StartedAsync() => Task.CompletedTask;

    /// <summary>A variant's own stop, before the hub stops.</summary>
    protected virtual Task StoppingAsync() => Task.CompletedTask;

    /// <summary>How the system's Chromium is started: headless, without the sandbox (tests run as root)
    /// and without the background connections a closed network refuses.</summary>
    public static BrowserTypeLaunchOptions ChromiumOptions() => new()
    {
        ExecutablePath = Environment.GetEnvironmentVariable("LGSP_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
        Headless = true,
        Args =
        [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync",
        ],
    };

    /// <summary>A new console user with a fresh name and password.</summary>
    /// <param name="role">Its role.</param>
    /// <param name="agencies">For an agency clerk, its agencies.</param>
    public async Task<TestUser> AddUserAsync(ConsoleRole role, params string[] agencies)
    {
        var name = $"{role.Word()}{Interlocked.Increment(ref _users)}";
        var password = "pw-" + Guid.NewGuid().ToString("N")[..16];
        var user = new ConsoleUser(name, role, agencies, "local", SecretHash.Hash(password), false, 0, null, DateTimeOffset.UtcNow, null);
        Assert.True(await Users.AddAsync(user, "operator:test"));
        return new TestUser(name, password, role);
    }

    /// <summary>A fresh browser context (its own cookies) and page, in the language given.</summary>
    public async Task<IPage> NewPageAsync(string language = "vi")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Hub.BaseUri.ToString(), Locale = "vi-VN", TimezoneId = "Asia/Ho_Chi_Minh" });
        if (language == "en")
        {
            await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "lgsp-lang", Value = "en", Url = Hub.BaseUri.ToString() + "console/" }]);
        }

        return await context.NewPageAsync();
    }

    /// <summary>Signs <paramref name="user"/> in on a fresh page and returns it on the overview.</summary>
    public async Task<IPage> SignedInPageAsync(TestUser user, string language = "vi")
    {
        var page = await NewPageAsync(language);
        await SignInAsync(page, user);
        Assert.EndsWith("/console/", page.Url, StringComparison.Ordinal);
        return page;
    }

    /// <summary>Fills the sign-in form and submits it.</summary>
    public static async Task SignInAsync(IPage page, TestUser user)
    {
        await page.GotoAsync("/console/login");
        await page.GetByLabel("Tên đăng nhập").Or(page.GetByLabel("User name")).FillAsync(user.Name);
        await page.GetByLabel("Mật khẩu").Or(page.GetByLabel("Password")).FillAsync(user.Password);
        await page.Locator("form button[type=submit]").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>An HTTP client holding <paramref name="user"/>'s console cookie, for requests a
    /// browser would not make (forged posts, the role matrix).</summary>
    public async Task<HttpClient> SignedInClientAsync(TestUser user)
    {
        var page = await SignedInPageAsync(user);
        var cookies = new CookieContainer();
        foreach (var cookie in await page.Context.CookiesAsync())
        {
            cookies.Add(new System.Net.Cookie(cookie.Name, cookie.Value, cookie.Path, cookie.Domain));
        }

        await page.Context.CloseAsync();
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = Hub.BaseUri };
    }

    /// <summary>Saves a screenshot for docs/console.md: into the test output always, and into
    /// <c>docs/console/</c> when <c>LGSP_UPDATE_SCREENSHOTS=1</c> (how the committed ones are made).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var output = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = output, FullPage = true });
        if (Environment.GetEnvironmentVariable("LGSP_UPDATE_SCREENSHOTS") == "1")
        {
            var docs = RepositoryRoot.File("docs", "console", name + ".png");
            Directory.CreateDirectory(Path.GetDirectoryName(docs)!);
            File.Copy(output, docs, overwrite: true);
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await StoppingAsync();
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        if (Topology is not null)
        {
            await Topology.DisposeAsync();
        }

        await _postgres.DisposeAsync();
    }
}

/// <summary>A console user a test made.</summary>
/// <param name="Name">Sign-in name.</param>
/// <param name="Password">Password.</param>
/// <param name="Role">Role.</param>
public sealed record TestUser(string Name, string Password, ConsoleRole Role);

/// <summary>The console tests share one hub and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleSite>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Console";
}
