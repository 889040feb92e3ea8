using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Lgsp.Server.Inbound.Auth;

/// <summary>Guards administrator pages (the Hangfire dashboard) with HTTP Basic against the configured
/// administrator. With no password configured, nobody gets in.</summary>
public static class AdminGate
{
    /// <summary>True when the request carries the administrator's credentials.</summary>
    public static bool IsAdmin(HttpContext context)
    {
        var admin = context.RequestServices.GetRequiredService<IOptions<HubOptions>>().Value.Admin;
        if (string.IsNullOrEmpty(admin.Password)
            || !ClientAuthenticator.TryParseBasic(context.Request.Headers.Authorization, out var user, out var password))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(user), Encoding.UTF8.GetBytes(admin.User))
            & CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(admin.Password));
    }

    /// <summary>Middleware for an administrator path: answers 401 with a Basic challenge unless
    /// <see cref="IsAdmin"/>.</summary>
    public static IApplicationBuilder UseAdminGate(this IApplicationBuilder app, PathString path) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(path) && !IsAdmin(context))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"lgsp admin\", charset=\"UTF-8\"";
                return;
            }

            await next(context);
        });
}
