using System.Security.Cryptography;
using System.Text;
using Lgsp.Server.Inbound.Limits;
using Lgsp.Server.Observability;
using Microsoft.Extensions.Options;

namespace Lgsp.Server.Inbound.Auth;

/// <summary>Guards administrator pages (the Hangfire dashboard) with HTTP Basic against the configured
/// administrator. With no password configured, nobody gets in. Failed attempts are counted by the
/// <see cref="LoginThrottle"/> like client systems' (realm <c>admin</c>): past the limit the user and
/// the address are answered 429 without a check.</summary>
public static class AdminGate
{
    /// <summary>True when the request carries the administrator's credentials.</summary>
    /// <exception cref="LimitedException">The user or the address is held off after failed attempts.</exception>
    public static bool IsAdmin(HttpContext context)
    {
        var admin = context.RequestServices.GetRequiredService<IOptions<HubOptions>>().Value.Admin;
        if (string.IsNullOrEmpty(admin.Password)
            || !ClientAuthenticator.TryParseBasic(context.Request.Headers.Authorization, out var user, out var password))
        {
            return false;
        }

        var throttle = context.RequestServices.GetRequiredService<LoginThrottle>();
        var remote = context.Connection.RemoteIpAddress;
        throttle.ThrowIfHeldOff(Realm, user, remote);
        context.RequestServices.GetRequiredService<HubMetrics>().SecretChecked(Realm);
        var ok = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(user), Encoding.UTF8.GetBytes(admin.User))
            & CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(admin.Password));
        if (ok)
        {
            throttle.Succeeded(Realm, user);
        }
        else
        {
            throttle.Failed(Realm, user, remote);
        }

        return ok;
    }

    /// <summary>The throttle's realm for the administrator.</summary>
    public const string Realm = "admin";

    /// <summary>Middleware for an administrator path: answers 401 with a Basic challenge unless
    /// <see cref="IsAdmin"/>. With <paramref name="acceptTokens"/> (the admin API), a gateway bearer token
    /// of a client system named in <c>Auth:Jwt:AdminSystems</c> is admitted too, acting as that system; a
    /// refused token gets 401, a valid one of another system 403 (<see cref="TokenRefusals"/>).</summary>
    public static IApplicationBuilder UseAdminGate(this IApplicationBuilder app, PathString path, bool acceptTokens = false) =>
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(path))
            {
                await next(context);
                return;
            }

            string? actor;
            try
            {
                actor = (acceptTokens ? await TokenActorAsync(context) : null)
                    ?? (IsAdmin(context) ? context.RequestServices.GetRequiredService<IOptions<HubOptions>>().Value.Admin.User : null);
            }
            catch (LimitedException limited)
            {
                await context.RequestServices.GetRequiredService<LimitRefusals>().WriteAsync(context, limited);
                return;
            }
            catch (TokenRefusedException refused)
            {
                await context.RequestServices.GetRequiredService<TokenRefusals>().WriteAsync(context, refused);
                return;
            }

            if (actor is null)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"lgsp admin\", charset=\"UTF-8\"";
                return;
            }

            context.Items[ActorKey] = actor;
            await next(context);
        });

    /// <summary>Who the gate admitted: the administrator's user name, or the client system whose token
    /// was admitted (the ledger's actor for what the admin API changes).</summary>
    public static string ActorOf(HttpContext context) => context.Items[ActorKey] as string ?? "";

    private const string ActorKey = "lgsp.admin.actor";

    /// <summary>The client system a bearer token names, when tokens are configured and the request carries
    /// one; null otherwise (the Basic login is checked instead).</summary>
    /// <exception cref="TokenRefusedException">The token is refused, or its system has no admin right.</exception>
    private static async Task<string?> TokenActorAsync(HttpContext context)
    {
        var bearer = context.RequestServices.GetRequiredService<BearerAuthenticator>();
        if (!bearer.Enabled || !BearerAuthenticator.TryParseBearer(context.Request.Headers.Authorization, out var token))
        {
            return null;
        }

        var system = await bearer.AuthenticateAsync(token, context.RequestAborted);
        return context.RequestServices.GetRequiredService<JwtOptions>().IsAdminSystem(system.Id)
            ? system.Id
            : throw new TokenRefusedException(TokenErrors.AdminRightRequired, "no-admin-right", $"client system {system.Id} is not in Auth:Jwt:AdminSystems");
    }
}
