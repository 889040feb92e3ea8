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
    /// <see cref="IsAdmin"/>.</summary>
    public static IApplicationBuilder UseAdminGate(this IApplicationBuilder app, PathString path) =>
        app.Use(async (context, next) =>
        {
            bool admitted;
            try
            {
                admitted = !context.Request.Path.StartsWithSegments(path) || IsAdmin(context);
            }
            catch (LimitedException limited)
            {
                await context.RequestServices.GetRequiredService<LimitRefusals>().WriteAsync(context, limited);
                return;
            }

            if (!admitted)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"lgsp admin\", charset=\"UTF-8\"";
                return;
            }

            await next(context);
        });
}
