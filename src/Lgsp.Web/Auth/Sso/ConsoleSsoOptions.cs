using Lgsp.Exchange.People;

namespace Lgsp.Web.Auth.Sso;

/// <summary>The console's sign-in through the provincial single sign-on (section <c>Console:Oidc</c>).
/// All optional: without <see cref="Authority"/> the console signs in local accounts only, as before.</summary>
public sealed class ConsoleSsoOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Console:Oidc";

    /// <summary>The provider's issuer URL; its <c>/.well-known/openid-configuration</c> is read. Empty: no SSO.</summary>
    public string? Authority { get; set; }

    /// <summary>The console's client id at the provider (also the ID token's expected audience).</summary>
    public string? ClientId { get; set; }

    /// <summary>The console's client secret (a confidential client); empty for a public client with PKCE only.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The scopes asked for, separated by spaces (<c>openid</c> is always asked for).</summary>
    public string Scopes { get; set; } = "openid profile";

    /// <summary>True (the default): the provider must be reached over HTTPS. False allows an http
    /// provider (a test one on loopback); never in production.</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>The ID token claim whose values give the console role (<c>roles</c> by default).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Claim values that are not role words, mapped to a role word (<c>RoleMap:LGSP_KIEMTOAN = auditor</c>).</summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The ID token claim naming an agency clerk's agency codes (<c>agency</c> by default).</summary>
    public string AgencyClaim { get; set; } = "agency";

    /// <summary>The shortest time between two re-reads of the provider's keys when an ID token names a
    /// key (<c>kid</c>) the console does not know, as after a key rotation (5 minutes by default, so that
    /// forged tokens cannot make the console hammer the provider). The keys are re-read every 12 hours
    /// anyway.</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>True when a provider is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>The scopes, <c>openid</c> first.</summary>
    public IReadOnlyList<string> ScopeList =>
        ["openid", .. Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(s => s != "openid").Distinct(StringComparer.Ordinal)];

    /// <summary>The role map, checked.</summary>
    public SsoRoleMap Map() => SsoRoleMap.Of(RoleMap);

    /// <summary>Throws when a setting cannot work, naming it.</summary>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
        {
            throw new InvalidOperationException($"Console:Oidc:Authority is '{Authority}'; it must be the provider's absolute issuer URL.");
        }

        if (RequireHttps && authority.Scheme != "https")
        {
            throw new InvalidOperationException($"Console:Oidc:Authority is '{Authority}', not https; set Console:Oidc:RequireHttps to false only for a test provider.");
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            throw new InvalidOperationException("Console:Oidc:ClientId is missing; it is the console's client id at the provider.");
        }

        if (KeyRefreshInterval < TimeSpan.FromSeconds(1))
        {
            throw new InvalidOperationException($"Console:Oidc:KeyRefreshInterval is {KeyRefreshInterval}; it must be at least one second.");
        }

        if (string.IsNullOrWhiteSpace(RoleClaim) || string.IsNullOrWhiteSpace(AgencyClaim))
        {
            throw new InvalidOperationException("Console:Oidc:RoleClaim and Console:Oidc:AgencyClaim must name claims.");
        }

        try
        {
            Map();
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException("Console:Oidc:RoleMap: " + e.Message, e);
        }
    }
}
