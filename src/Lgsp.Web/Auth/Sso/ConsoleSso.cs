using Lgsp.Exchange.People;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Lgsp.Web.Auth.Sso;

/// <summary>The console's sign-in through the provincial single sign-on: OpenID Connect authorization
/// code flow with PKCE (ADR 0013). The ID token's signature (keys from the provider's JWKS, re-read when
/// an unknown <c>kid</c> appears), issuer, audience (our client id), nonce and lifetime are checked by
/// the handler; then <see cref="SsoSignIn"/> maps the claims to a console user and the console's own
/// cookie is issued, as for a local account. Nothing else from the provider is kept but the ID token,
/// for the sign-out at the provider.</summary>
public static class ConsoleSso
{
    /// <summary>The OpenID Connect scheme.</summary>
    public const string Scheme = "lgsp-console-sso";

    /// <summary>Where the provider sends the browser back with the code.</summary>
    public const string CallbackPath = "/console/sso/callback";

    /// <summary>Where the provider sends the browser back after signing out.</summary>
    public const string SignedOutCallbackPath = "/console/sso/signed-out";

    /// <summary>Where a refused SSO sign-in lands (<c>?reason=</c>).</summary>
    public const string RefusedPath = "/console/sso/refused";

    /// <summary>Where a successful SSO sign-in lands before the console (<c>?returnUrl=</c>).</summary>
    public const string DonePath = "/console/sso/done";

    /// <summary>The authentication property marking a sign-in started again after an unknown signing key.</summary>
    public const string RetriedItem = "lgsp:sso-retried";

    /// <summary>Registers the scheme when <paramref name="options"/> names a provider.</summary>
    internal static void AddConsoleSso(this IServiceCollection services, ConsoleSsoOptions options)
    {
        services.AddSingleton(options);
        if (!options.Enabled)
        {
            return;
        }

        services.AddSingleton<SsoSignIn>();
        var map = options.Map();

        // After an ID token names a key the console has not seen (the provider rotated its keys), the
        // provider's keys are re-read by the next request that needs them, before it goes on: by
        // default the library re-reads them in the background and the retried sign-in could still meet
        // the old set.
        AppContext.SetSwitch("Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking", true);
        services.AddAuthentication().AddOpenIdConnect(Scheme, oidc =>
        {
            oidc.Authority = options.Authority;
            oidc.ClientId = options.ClientId;
            oidc.ClientSecret = string.IsNullOrEmpty(options.ClientSecret) ? null : options.ClientSecret;
            oidc.RequireHttpsMetadata = options.RequireHttps;
            oidc.ResponseType = OpenIdConnectResponseType.Code;
            oidc.UsePkce = true;
            oidc.RefreshInterval = options.KeyRefreshInterval;
            oidc.Scope.Clear();
            foreach (var scope in options.ScopeList)
            {
                oidc.Scope.Add(scope);
            }

            oidc.CallbackPath = CallbackPath;
            oidc.SignedOutCallbackPath = SignedOutCallbackPath;
            oidc.RemoteSignOutPath = "/console/sso/front-channel-logout";
            oidc.SignedOutRedirectUri = "/console/login";
            oidc.SignInScheme = ConsoleAuth.Scheme;
            oidc.SignOutScheme = ConsoleAuth.Scheme;

            // The claims are read as the provider wrote them; the console's cookie carries its own.
            oidc.MapInboundClaims = false;
            oidc.GetClaimsFromUserInfoEndpoint = false;
            oidc.SaveTokens = false;

            // The console's idle timeout governs the session, not the ID token's few minutes.
            oidc.UseTokenLifetime = false;
            oidc.DisableTelemetry = true;
            oidc.TokenValidationParameters.NameClaimType = "name";
            oidc.TokenValidationParameters.RoleClaimType = options.RoleClaim;
            if (!options.RequireHttps)
            {
                // An http test provider: cookies without Secure cannot be SameSite=None, so the code comes
                // back by a top-level GET (query), which Lax cookies follow.
                oidc.ResponseMode = OpenIdConnectResponseMode.Query;
                oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
                oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.NonceCookie.SameSite = SameSiteMode.Lax;
                oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }

            oidc.Events.OnTokenValidated = context => SignInAsync(context, options, map);
            oidc.Events.OnRemoteFailure = RefuseAsync;
        });
    }

    /// <summary>True when the provider publishes an end-session endpoint, so signing out of the console
    /// also signs out there. False (and logged) when SSO is off or the provider cannot be read.</summary>
    public static async Task<bool> SupportsSingleLogoutAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!http.RequestServices.GetRequiredService<ConsoleSsoOptions>().Enabled)
        {
            return false;
        }

        try
        {
            var oidc = http.RequestServices.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(Scheme);
            var configuration = await oidc.ConfigurationManager!.GetConfigurationAsync(http.RequestAborted);
            return !string.IsNullOrEmpty(configuration.EndSessionEndpoint);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or HttpRequestException)
        {
            Log(http).LogWarning(e, "The single sign-on provider could not be read; signing out of the console only");
            return false;
        }
    }

    private static async Task SignInAsync(TokenValidatedContext context, ConsoleSsoOptions options, SsoRoleMap map)
    {
        var principal = context.Principal!;
        var subject = principal.FindFirst("sub")?.Value;
        var identity = new SsoIdentity(subject ?? "",
            [.. principal.FindAll(options.RoleClaim).Select(c => c.Value)], [.. principal.FindAll(options.AgencyClaim).Select(c => c.Value)]);
        var result = subject is null
            ? new SsoSignInResult(SsoSignInOutcome.InvalidSubject)
            : await context.HttpContext.RequestServices.GetRequiredService<SsoSignIn>().SignInAsync(identity, map, context.HttpContext.RequestAborted);
        if (result.Outcome != SsoSignInOutcome.SignedIn)
        {
            Log(context.HttpContext).LogWarning("Single sign-on refused for subject {Subject}: {Outcome} (roles {Roles}, agencies {Agencies})",
                subject, result.Outcome, identity.RoleValues, identity.AgencyValues);
            context.HandleResponse();
            context.Response.Redirect(RefusedPath + "?reason=" + Reason(result.Outcome));
            return;
        }

        context.Principal = ConsoleAuth.Principal(result.User!);

        // Only the ID token is kept: it is the id_token_hint of the sign-out at the provider.
        var idToken = context.TokenEndpointResponse?.IdToken ?? context.ProtocolMessage.IdToken;
        var properties = context.Properties!;
        properties.StoreTokens([new AuthenticationToken { Name = OpenIdConnectParameterNames.IdToken, Value = idToken }]);
        properties.RedirectUri = DonePath + "?returnUrl=" + Uri.EscapeDataString(properties.RedirectUri ?? "/console/");
        Log(context.HttpContext).LogInformation("Console user {User} signed in through single sign-on as {Role}", result.User!.Name, result.User.Role.Word());
    }

    // A token that fails a check, an error from the provider, a stale or replayed callback: one refusal
    // page. A token signed by a key the console does not know yet is the exception, once: the handler
    // asked for the provider's keys again, and the sign-in starts over (the provider's session makes it
    // invisible to the person); a second unknown key is refused.
    private static Task RefuseAsync(RemoteFailureContext context)
    {
        if (IsUnknownKey(context.Failure) && context.Properties is { } properties && !properties.Items.ContainsKey(RetriedItem))
        {
            Log(context.HttpContext).LogInformation("Single sign-on: the ID token names an unknown signing key; the provider's keys are read again and the sign-in starts over once");
            context.HandleResponse();
            context.Response.Redirect("/console/sso/signin?retry=1&returnUrl=" + Uri.EscapeDataString(ConsoleAuth.SafeReturnUrl(properties.RedirectUri)));
            return Task.CompletedTask;
        }

        Log(context.HttpContext).LogWarning("Single sign-on refused: {Failure}", context.Failure?.Message);
        context.HandleResponse();
        context.Response.Redirect(RefusedPath + "?reason=token");
        return Task.CompletedTask;
    }

    private static bool IsUnknownKey(Exception? failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is SecurityTokenSignatureKeyNotFoundException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The word of the refused page's <c>reason</c> for an outcome.</summary>
    public static string Reason(SsoSignInOutcome outcome) => outcome switch
    {
        SsoSignInOutcome.NoRole => "role",
        SsoSignInOutcome.NoAgency => "agency",
        SsoSignInOutcome.Disabled => "disabled",
        SsoSignInOutcome.InvalidSubject => "subject",
        _ => "token",
    };

    private static ILogger Log(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleSso).FullName!);
}
