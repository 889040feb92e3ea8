namespace Lgsp.Server.Inbound.Auth;

/// <summary>Bearer tokens from the province gateway's OpenID Connect provider (<c>Auth:Jwt</c>;
/// docs/security.md, "Gateway bearer tokens"). Optional: with neither <see cref="Authority"/> nor
/// <see cref="JwksUrl"/> set, no token is accepted and nothing changes.</summary>
public sealed class JwtOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Auth:Jwt";

    /// <summary>The provider's issuer URL; its discovery document
    /// (<c>{Authority}/.well-known/openid-configuration</c>) names the issuer and the key set.</summary>
    public string? Authority { get; set; }

    /// <summary>The key set's URL, for a provider without discovery; needs <see cref="Issuer"/>.</summary>
    public string? JwksUrl { get; set; }

    /// <summary>The <c>iss</c> a token must carry; with <see cref="Authority"/>, the discovery document's
    /// issuer when not set.</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> a token must carry (required: a token meant for another service is refused).</summary>
    public string? Audience { get; set; }

    /// <summary>When true (the default), the provider's URLs must be https; false allows http for loopback
    /// tests and closed networks.</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>The claim that names the client system (a <c>client_system</c> id).</summary>
    public string SystemClaim { get; set; } = "client_id";

    /// <summary>Client systems whose tokens open the admin API (<c>/admin</c>); others get 403 there.</summary>
    public string[] AdminSystems { get; set; } = [];

    /// <summary>Tolerance for the clocks of the provider and the hub in <c>exp</c> and <c>nbf</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the provider's keys are used before they are fetched again (a key the provider
    /// withdrew stops working within this time).</summary>
    public TimeSpan KeysRefresh { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The least time between two fetches caused by a token whose <c>kid</c> is unknown (a
    /// rotation is picked up at once; a flood of made-up <c>kid</c>s costs one fetch per interval).</summary>
    public TimeSpan UnknownKeyRefetch { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a fetch from the provider may take.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>True when tokens are accepted.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(JwksUrl);

    /// <summary>True when <paramref name="systemId"/> may use the admin API with a token.</summary>
    public bool IsAdminSystem(string systemId) => AdminSystems.Contains(systemId, StringComparer.Ordinal);

    /// <summary>Stops the hub's start on settings that would accept tokens loosely or never.</summary>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        if (!string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(JwksUrl))
        {
            throw Invalid("Auth:Jwt:Authority/JwksUrl", "both are set", "set one: the authority (discovery) or the key set's URL with Auth:Jwt:Issuer");
        }

        CheckUrl(Authority is { Length: > 0 } ? "Auth:Jwt:Authority" : "Auth:Jwt:JwksUrl", Authority is { Length: > 0 } ? Authority : JwksUrl!);
        if (!string.IsNullOrWhiteSpace(JwksUrl) && string.IsNullOrWhiteSpace(Issuer))
        {
            throw Invalid("Auth:Jwt:Issuer", "not set", "with Auth:Jwt:JwksUrl the issuer tokens must carry is required");
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            throw Invalid("Auth:Jwt:Audience", "not set", "name the audience the provider writes in tokens for this hub");
        }

        if (string.IsNullOrWhiteSpace(SystemClaim))
        {
            throw Invalid("Auth:Jwt:SystemClaim", "empty", "name the claim that carries the client system's id (default client_id)");
        }

        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(10))
        {
            throw Invalid("Auth:Jwt:ClockSkew", ClockSkew, "it must be between zero and 10 minutes");
        }

        if (KeysRefresh < TimeSpan.FromSeconds(1) || UnknownKeyRefetch < TimeSpan.Zero || UnknownKeyRefetch > KeysRefresh)
        {
            throw Invalid("Auth:Jwt:KeysRefresh/UnknownKeyRefetch", $"{KeysRefresh}/{UnknownKeyRefetch}", "the refresh must be at least a second and the refetch between zero and the refresh");
        }

        if (FetchTimeout <= TimeSpan.Zero)
        {
            throw Invalid("Auth:Jwt:FetchTimeout", FetchTimeout, "it must be positive");
        }
    }

    /// <summary>Refuses an URL that is not absolute http(s), or http while <see cref="RequireHttps"/>.</summary>
    internal void CheckUrl(string setting, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw Invalid(setting, url, "it must be an absolute https URL");
        }

        if (RequireHttps && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw Invalid(setting, url, "it must be https (Auth:Jwt:RequireHttps=false allows http, for loopback tests and closed networks only)");
        }
    }

    private static InvalidOperationException Invalid(string setting, object? value, string rule) => new($"{setting} is {value}; {rule}.");
}
