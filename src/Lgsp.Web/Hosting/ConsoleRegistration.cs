using Lgsp.Exchange.People;
using Lgsp.Exchange.Storage;
using Lgsp.Web.Auth;
using Lgsp.Web.Auth.KeyRing;
using Lgsp.Web.Auth.Sso;
using Lgsp.Web.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.WebEncoders;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Lgsp.Web.Hosting;

/// <summary>Wiring of the console into a host that has registered the domain's services and stores.</summary>
public static class ConsoleRegistration
{
    /// <summary>Where the console is served.</summary>
    public const string BasePath = "/console";

    /// <summary>Registers the console: its pages, the cookie sign-in (and the provincial single sign-on
    /// when <c>Console:Oidc:Authority</c> is set), the role matrix's policies, its text and assets.</summary>
    /// <exception cref="InvalidOperationException">A <c>Console</c> setting cannot work.</exception>
    public static IServiceCollection AddLgspConsole(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ConsoleOptions.Section).Get<ConsoleOptions>() ?? new ConsoleOptions();
        options.Validate();
        services.AddSingleton(options);
        services.AddHttpContextAccessor();

        // Vietnamese is written as itself, not as &#x...; entities (the default encoder's safe list is ASCII).
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddScoped<ConsoleText>();
        services.AddSingleton(ConsoleAssets.Load());
        services.AddSingleton<ConsoleUserAccounts>();
        services.AddSingleton(sp => new ConsoleSignIn(sp.GetRequiredService<IConsoleUserStore>(), sp.GetRequiredService<TimeProvider>(),
            new SignInLockout(options.LockoutFailures, options.LockoutDuration)));

        var sso = configuration.GetSection(ConsoleSsoOptions.Section).Get<ConsoleSsoOptions>() ?? new ConsoleSsoOptions();
        sso.Validate();
        services.AddConsoleSso(sso);

        services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/", ConsoleAuth.SignedIn);
            pages.Conventions.AllowAnonymousToPage("/Login");
            pages.Conventions.AllowAnonymousToPage("/SsoSignIn");
            pages.Conventions.AllowAnonymousToPage("/SsoDone");
            pages.Conventions.AllowAnonymousToPage("/SsoRefused");
            pages.Conventions.AllowAnonymousToPage("/Language");
        }).AddApplicationPart(typeof(ConsoleRegistration).Assembly);

        services.AddAuthentication().AddCookie(ConsoleAuth.Scheme, cookie =>
        {
            cookie.Cookie.Name = ConsoleAuth.Scheme;
            cookie.Cookie.Path = BasePath;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = options.IdleTimeout;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = BasePath + "/login";
            cookie.LogoutPath = BasePath + "/logout";
            cookie.AccessDeniedPath = BasePath + "/denied";
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.Events.OnValidatePrincipal = ValidateUserAsync;
            cookie.Events.OnRedirectToAccessDenied = RefuseAsync;
        });
        services.AddAuthorization(authorization =>
        {
            authorization.AddPolicy(ConsoleAuth.SignedIn, p => p.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireAuthenticatedUser());
            foreach (var right in Enum.GetValues<ConsoleRight>())
            {
                authorization.AddPolicy(ConsoleAuth.Policy(right), p => p.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireAuthenticatedUser()
                    .RequireAssertion(c => c.User.Can(right)));
            }
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "lgsp-console-af";
            antiforgery.Cookie.Path = BasePath;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.HeaderName = "X-CSRF-TOKEN";
        });
        return services;
    }

    /// <summary>Serves the console under <see cref="BasePath"/>: its assets, security headers,
    /// authentication and pages.</summary>
    public static WebApplication UseLgspConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var assets = app.Services.GetRequiredService<ConsoleAssets>();
        var keyRing = app.Services.GetService<ConsoleKeyRing>();

        // Signing out of the console posts a form that a single sign-on user's answer redirects to the
        // provider's end-session endpoint: form-action must allow that origin, and only that one.
        var sso = app.Services.GetRequiredService<ConsoleSsoOptions>();
        var formAction = sso.Enabled ? "'self' " + new Uri(sso.Authority!).GetLeftPart(UriPartial.Authority) : "'self'";
        app.UseWhen(c => c.Request.Path.StartsWithSegments(BasePath), console => console.Use(async (context, next) =>
        {
            // Nothing is loaded from elsewhere and nothing runs inline: a closed network and an injected
            // string both meet a page that only trusts itself.
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + $"frame-ancestors 'none'; form-action {formAction}; base-uri 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            if (keyRing is { Refused: true })
            {
                // Nothing on the console can work without its keys: say why rather than fail each page.
                await RefuseForeignKeyRingAsync(context);
                return;
            }

            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            {
                if (await assets.TryServeAsync(context))
                {
                    return;
                }
            }

            await next(context);
        }));
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        return app;
    }

    private static async Task RefuseForeignKeyRingAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "text/html; charset=utf-8";
        var encoder = HtmlEncoder.Default;
        await context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="vi"><head><meta charset="utf-8"><title>lgsp</title></head><body>
            <h1>{encoder.Encode(ConsoleKeyRing.ForeignSealCode)}</h1>
            <p lang="vi">{encoder.Encode(ConsoleKeyRing.ForeignSealVietnamese)}</p>
            <p lang="en">{encoder.Encode(ConsoleKeyRing.ForeignSealEnglish)}</p>
            </body></html>
            """, context.RequestAborted);
    }

    // A page the role matrix refuses is shown by the denied page (403); a refused post (a form the
    // user may not submit, or a forged one) answers 403 itself: there is no page to go back to.
    private static Task RefuseAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.Redirect(context.RedirectUri);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
        }

        return Task.CompletedTask;
    }

    // A disabled, deleted or changed user loses the console at the next request, not when the cookie ends.
    private static async Task ValidateUserAsync(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var users = context.HttpContext.RequestServices.GetRequiredService<IConsoleUserStore>();
        var user = name is null ? null : await users.FindAsync(name, context.HttpContext.RequestAborted);
        if (user is null || user.Disabled || user.Role != context.Principal!.ConsoleRole()
            || !user.Agencies.Order().SequenceEqual(context.Principal!.Agencies().Order()))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(ConsoleAuth.Scheme);
        }
    }
}
