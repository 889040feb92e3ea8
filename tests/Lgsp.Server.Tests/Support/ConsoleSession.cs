using System.Net;
using System.Text.RegularExpressions;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.People;
using Lgsp.Postgres.Storage;
using Npgsql;

namespace Lgsp.Server.Tests.Support;

/// <summary>A browser's session with the console, without a browser: one cookie jar (cookies on
/// 127.0.0.1 go to every port, as to instances behind one front), the sign-in form posted as a browser
/// posts it, and the antiforgery token a page carries.</summary>
public sealed partial class ConsoleSession : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>A session with no cookies yet.</summary>
    public ConsoleSession()
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true });
    }

    /// <summary>The session's cookies.</summary>
    public CookieContainer Cookies { get; }

    /// <summary>A new local console user with a fresh name and password, on the hub's database.</summary>
    public static async Task<(string Name, string Password)> AddUserAsync(string connectionString, ConsoleRole role)
    {
        var name = $"{role.Word()}{Guid.NewGuid().ToString("N")[..8]}";
        var password = "pw-" + Guid.NewGuid().ToString("N")[..16];
        await using var data = NpgsqlDataSource.Create(connectionString);
        var user = new ConsoleUser(name, role, [], "local", SecretHash.Hash(password), false, 0, null, DateTimeOffset.UtcNow, null);
        Assert.True(await new PostgresConsoleUserStore(data, TimeProvider.System).AddAsync(user, "operator:test"));
        return (name, password);
    }

    /// <summary>Signs in on the console at <paramref name="hub"/> with the sign-in form; asserts that the
    /// answer sends the browser to the overview.</summary>
    public async Task SignInAsync(Uri hub, string name, string password)
    {
        var token = await FormTokenAsync(new Uri(hub, "console/login"));
        using var answer = await PostAsync(new Uri(hub, "console/login"), token, new Dictionary<string, string>
        {
            ["name"] = name, ["password"] = password, ["returnUrl"] = "/console/",
        });
        Assert.True(answer.StatusCode == HttpStatusCode.Redirect, $"The sign-in answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        Assert.Equal("/console/", answer.Headers.Location?.OriginalString);
    }

    /// <summary>GETs a console page.</summary>
    public Task<HttpResponseMessage> GetAsync(Uri page) => _http.GetAsync(page);

    /// <summary>The antiforgery token of the first form on <paramref name="page"/> (asserts the page answers 200).</summary>
    public async Task<string> FormTokenAsync(Uri page)
    {
        using var answer = await _http.GetAsync(page);
        var html = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{page} answered {(int)answer.StatusCode}.");
        var match = TokenInput().Match(html);
        Assert.True(match.Success, $"{page} carries no form token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Posts a form with its antiforgery token, as a browser does.</summary>
    public Task<HttpResponseMessage> PostAsync(Uri action, string token, IReadOnlyDictionary<string, string>? fields = null) =>
        _http.PostAsync(action, new FormUrlEncodedContent([.. fields ?? new Dictionary<string, string>(), new("__RequestVerificationToken", token)]));

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
