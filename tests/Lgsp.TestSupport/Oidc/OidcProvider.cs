using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Lgsp.TestSupport.Oidc;

/// <summary>A real OpenID Connect provider on loopback HTTP for the tests: OpenIddict's server with
/// discovery, JWKS, authorization code + PKCE (a minimal login page a browser fills in), the token
/// endpoint (also the client-credentials grant for API clients, with a configurable audience), the
/// end-session endpoint (single logout), key rotation at run time and spoiled tokens for negative
/// tests.
/// <para>OpenIddict runs in its <em>degraded mode</em>: there is no database behind it (no application,
/// authorization, scope or token store). What its stores would check is done here by the handlers in
/// <c>OidcProvider.Server.cs</c>, against <see cref="Clients"/>: a known <c>client_id</c>, its secret, its
/// registered redirect and post-logout URIs. Consequence: authorization codes are self-contained and
/// not revoked after use (no token store) — acceptable for a test provider, not for production.</para></summary>
public sealed partial class OidcProvider : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, OidcPerson> _people = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, OidcClient> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<OidcEndSession> _endSessions = new();
    private readonly Lock _keys = new();
    private WebApplication _app = null!;
    private RsaSecurityKey _signingKey;
    private int _keyGeneration;

    private OidcProvider()
    {
        _keyGeneration = 1;
        _signingKey = NewKey(_keyGeneration);
    }

    /// <summary>The issuer URL, with a trailing slash (<c>http://127.0.0.1:PORT/</c>): its
    /// <c>.well-known/openid-configuration</c> is the discovery document.</summary>
    public Uri Authority { get; private set; } = null!;

    /// <summary>The token endpoint (<c>connect/token</c>).</summary>
    public Uri TokenEndpoint => new(Authority, "connect/token");

    /// <summary>How long ID tokens live (1 hour by default); read at each sign-in.</summary>
    public TimeSpan IdentityTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long access tokens live (1 hour by default); read at each issue.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How the next ID token issued is spoiled (reset to <see cref="IdTokenForgery.None"/> once used).</summary>
    public IdTokenForgery NextIdTokenForgery { get; set; }

    /// <summary>How every ID token issued is spoiled until this is set back to <see cref="IdTokenForgery.None"/>
    /// (for a relying party that starts a sign-in over, as after an unknown key). <see cref="NextIdTokenForgery"/> comes first.</summary>
    public IdTokenForgery IdTokenForgery { get; set; }

    /// <summary>The <c>kid</c> of the key that signs now.</summary>
    public string SigningKeyId
    {
        get
        {
            lock (_keys)
            {
                return _signingKey.KeyId;
            }
        }
    }

    /// <summary>The registered clients, by client id.</summary>
    public IReadOnlyDictionary<string, OidcClient> Clients => _clients;

    /// <summary>The end-session requests received, in order.</summary>
    public IReadOnlyList<OidcEndSession> EndSessions => [.. _endSessions];

    /// <summary>How many times a person signed in on the login page (a sign-in answered from an existing
    /// provider session does not count).</summary>
    public int LoginPageSignIns => _loginPageSignIns;

    private int _loginPageSignIns;

    /// <summary>Starts a provider on a free loopback port.</summary>
    /// <param name="people">The scripted people.</param>
    /// <param name="clients">The registered clients (more can be added with <see cref="Register"/>).</param>
    public static async Task<OidcProvider> StartAsync(IEnumerable<OidcPerson> people, IEnumerable<OidcClient> clients)
    {
        var provider = new OidcProvider();
        foreach (var person in people)
        {
            provider.Add(person);
        }

        foreach (var client in clients)
        {
            provider.Register(client);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        provider.AddServer(builder.Services);
        var app = builder.Build();
        provider._app = app;
        provider.MapEndpoints(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        provider.Authority = new Uri(address.TrimEnd('/') + "/");

        // The first request builds OpenIddict's pipeline (seconds on a busy machine): paid here, not by a
        // relying party's first request under a test's timeout.
        using var warm = new HttpClient();
        (await warm.GetAsync(new Uri(provider.Authority, ".well-known/openid-configuration"))).EnsureSuccessStatusCode();
        (await warm.GetAsync(new Uri(provider.Authority, ".well-known/jwks"))).EnsureSuccessStatusCode();
        return provider;
    }

    /// <summary>Adds (or replaces) a person.</summary>
    public void Add(OidcPerson person)
    {
        ArgumentNullException.ThrowIfNull(person);
        _people[person.UserName] = person;
    }

    /// <summary>Registers (or replaces) a client.</summary>
    public void Register(OidcClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _clients[client.ClientId] = client;
    }

    /// <summary>Rotates the signing key: a new RSA key with a new <c>kid</c> signs from now on and the
    /// old one is no longer published in the JWKS (tokens it signed before stop validating at relying
    /// parties that re-read the JWKS). The provider itself still accepts codes and id_token_hints it
    /// signed with the old key, as a real provider does during a rotation.</summary>
    /// <returns>The new key's <c>kid</c>.</returns>
    public string RotateSigningKey()
    {
        var options = _app.Services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue;
        lock (_keys)
        {
            var old = _signingKey;
            _signingKey = NewKey(++_keyGeneration);
            var credentials = new SigningCredentials(_signingKey, SecurityAlgorithms.RsaSha256);
            options.SigningCredentials.RemoveAll(c => ReferenceEquals(c.Key, old));
            options.SigningCredentials.Insert(0, credentials);
            options.TokenValidationParameters.IssuerSigningKeys = [_signingKey, .. options.TokenValidationParameters.IssuerSigningKeys ?? []];
            return _signingKey.KeyId;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private RsaSecurityKey CurrentKey()
    {
        lock (_keys)
        {
            return _signingKey;
        }
    }

    // TEST ONLY keys, made fresh for each provider and never stored.
    private static RsaSecurityKey NewKey(int generation) =>
        new(RSA.Create(2048)) { KeyId = $"test-only-{generation}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}" };
}
