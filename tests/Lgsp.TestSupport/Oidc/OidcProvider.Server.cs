using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Lgsp.TestSupport.Oidc;

/// <summary>OpenIddict's registration, and the handlers that stand in for its stores (degraded mode).</summary>
public sealed partial class OidcProvider
{
    /// <summary>The name of the claim carrying roles in the provider's tokens.</summary>
    public const string RolesClaim = "roles";

    /// <summary>The name of the claim carrying agency codes in the provider's tokens.</summary>
    public const string AgencyClaim = "agency";

    // Runs before OpenIddict's own handlers of the same event, so that a refusal here stops the request.
    private const int BeforeBuiltIns = int.MinValue + 50_000;

    private void AddServer(IServiceCollection services)
    {
        services.AddOpenIddict().AddServer(server =>
        {
            // No database: the client checks a store would do are the Validate* handlers below.
            server.EnableDegradedMode();
            server.DisableTokenStorage();
            server.DisableAuthorizationStorage();
            server.SetAuthorizationEndpointUris("connect/authorize")
                .SetTokenEndpointUris("connect/token")
                .SetEndSessionEndpointUris("connect/logout");
            server.AllowAuthorizationCodeFlow().AllowClientCredentialsFlow().RequireProofKeyForCodeExchange();

            // API clients ask for scopes and resources of their own choosing; the relying party checks them.
            server.DisableScopeValidation();
            server.DisableResourceValidation();
            server.DisableAudienceValidation();
            server.RegisterScopes(Scopes.Profile, RolesClaim, AgencyClaim);
            server.RegisterClaims(Claims.Subject, Claims.Name, RolesClaim, AgencyClaim);

            // Access tokens are plain signed JWTs, as a provincial provider issues them to API clients.
            server.DisableAccessTokenEncryption();
            server.AddSigningCredentials(new SigningCredentials(_signingKey, SecurityAlgorithms.RsaSha256));
            server.AddEphemeralEncryptionKey();

            server.UseAspNetCore()
                .DisableTransportSecurityRequirement()
                .EnableAuthorizationEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough();

            server.AddEventHandler<ValidateAuthorizationRequestContext>(h => h.UseInlineHandler(ValidateAuthorization).SetOrder(BeforeBuiltIns));
            server.AddEventHandler<ValidateTokenRequestContext>(h => h.UseInlineHandler(ValidateToken).SetOrder(BeforeBuiltIns));
            server.AddEventHandler<ValidateEndSessionRequestContext>(h => h.UseInlineHandler(ValidateEndSession).SetOrder(BeforeBuiltIns));
            server.AddEventHandler<HandleTokenRequestContext>(h => h.UseInlineHandler(IssueClientCredentials).SetOrder(BeforeBuiltIns));
            server.AddEventHandler<ApplyTokenResponseContext>(h => h.UseInlineHandler(SpoilIdToken).SetOrder(BeforeBuiltIns));
        });
    }

    private ValueTask ValidateAuthorization(ValidateAuthorizationRequestContext context)
    {
        if (context.ClientId is null || !_clients.TryGetValue(context.ClientId, out var client))
        {
            context.Reject(Errors.InvalidClient, "Unknown client_id.");
        }
        else if (context.RedirectUri is null || !client.RedirectUris.Any(u => u.AbsoluteUri == context.RedirectUri))
        {
            context.Reject(Errors.InvalidRequest, "The redirect_uri is not registered for this client.");
        }

        return default;
    }

    private ValueTask ValidateToken(ValidateTokenRequestContext context)
    {
        if (context.ClientId is null || !_clients.TryGetValue(context.ClientId, out var client))
        {
            context.Reject(Errors.InvalidClient, "Unknown client_id.");
        }
        else if (client.Secret is not null && !string.Equals(client.Secret, context.ClientSecret, StringComparison.Ordinal))
        {
            context.Reject(Errors.InvalidClient, "Wrong client secret.");
        }
        else if (context.Request.IsClientCredentialsGrantType() && client.Secret is null)
        {
            context.Reject(Errors.UnauthorizedClient, "A public client cannot use the client credentials grant.");
        }

        return default;
    }

    private ValueTask ValidateEndSession(ValidateEndSessionRequestContext context)
    {
        if (context.PostLogoutRedirectUri is { } uri && !_clients.Values.Any(c => c.PostLogoutRedirectUris.Any(u => u.AbsoluteUri == uri)))
        {
            context.Reject(Errors.InvalidRequest, "The post_logout_redirect_uri is not registered.");
        }

        return default;
    }

    private ValueTask IssueClientCredentials(HandleTokenRequestContext context)
    {
        if (!context.Request.IsClientCredentialsGrantType())
        {
            return default;
        }

        var client = _clients[context.Request.ClientId!];
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, client.ClientId);
        identity.SetScopes(context.Request.GetScopes());
        var resources = context.Request.GetResources();
        identity.SetResources(resources.IsDefaultOrEmpty && client.Audience is { } audience ? [audience] : resources);
        identity.SetAccessTokenLifetime(AccessTokenLifetime);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        context.SignIn(new ClaimsPrincipal(identity));
        return default;
    }

    private ValueTask SpoilIdToken(ApplyTokenResponseContext context)
    {
        var forgery = NextIdTokenForgery != IdTokenForgery.None ? NextIdTokenForgery : IdTokenForgery;
        if (forgery != IdTokenForgery.None && context.Response.IdToken is { } idToken)
        {
            NextIdTokenForgery = IdTokenForgery.None;
            context.Response.IdToken = Spoil(idToken, forgery);
        }

        return default;
    }
}
