using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Lgsp.TestSupport.Oidc;

/// <summary>The provider's own pages: the login form behind the authorization endpoint (and the
/// provider session that lets a second sign-in skip it), and the end-session endpoint.</summary>
public sealed partial class OidcProvider
{
    /// <summary>The provider session cookie: path <c>/connect</c>, so that it never reaches a relying
    /// party on the same loopback host (cookies ignore ports).</summary>
    public const string SessionCookie = "oidc-session";

    private void MapEndpoints(WebApplication app)
    {
        app.UseAuthentication();
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (Delegate)AuthorizeAsync);
        app.MapMethods("/connect/logout", [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSessionAsync);
    }

    private async Task<IResult> AuthorizeAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        OidcPerson? person = null;
        string? error = null;
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType && (await http.Request.ReadFormAsync()).TryGetValue("username", out var userName))
        {
            var form = await http.Request.ReadFormAsync();
            if (_people.TryGetValue(userName.ToString(), out var known) && known.Password == form["password"].ToString())
            {
                person = known;
                var session = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                _sessions[session] = known.UserName;
                http.Response.Cookies.Append(SessionCookie, session, new CookieOptions { Path = "/connect", HttpOnly = true, SameSite = SameSiteMode.Lax });
                Interlocked.Increment(ref _loginPageSignIns);
            }
            else
            {
                error = "Sai tên đăng nhập hoặc mật khẩu. Wrong user name or password.";
            }
        }
        else if (request.Prompt?.Split(' ').Contains(PromptValues.Login) != true && http.Request.Cookies[SessionCookie] is { } session
            && _sessions.TryGetValue(session, out var signedIn) && _people.TryGetValue(signedIn, out var known))
        {
            person = known;
        }

        if (person is null)
        {
            return Results.Content(LoginPage(request, error), "text/html; charset=utf-8");
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, RolesClaim);
        identity.SetClaim(Claims.Subject, person.Subject).SetClaim(Claims.Name, person.Name);
        identity.SetClaims(RolesClaim, [.. person.Roles]);
        identity.SetClaims(AgencyClaim, [.. person.Agencies]);
        identity.SetScopes(request.GetScopes());
        identity.SetIdentityTokenLifetime(IdentityTokenLifetime);
        identity.SetAccessTokenLifetime(AccessTokenLifetime);
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private async Task<IResult> EndSessionAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        string? subject = null;
        if (http.Request.Cookies[SessionCookie] is { } session && _sessions.TryRemove(session, out var userName) && _people.TryGetValue(userName, out var person))
        {
            subject = person.Subject;
        }

        http.Response.Cookies.Delete(SessionCookie, new CookieOptions { Path = "/connect" });

        // The id_token_hint, validated by OpenIddict, names the person and the client when no session does.
        var hint = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        subject ??= hint?.GetClaim(Claims.Subject);
        var clientId = request.ClientId ?? hint?.GetAudiences().FirstOrDefault();
        var back = request.PostLogoutRedirectUri is { } uri ? new Uri(uri) : null;
        _endSessions.Enqueue(new OidcEndSession(subject, clientId, back));
        if (back is null)
        {
            return Results.Content("<!doctype html><html><body><p>Đã đăng xuất. Signed out.</p></body></html>", "text/html; charset=utf-8");
        }

        return Results.SignOut(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    // A form that posts the authorization request back with the person's credentials.
    private static string LoginPage(OpenIddictRequest request, string? error)
    {
        var page = new StringBuilder("<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Đăng nhập tập trung (thử nghiệm)</title></head><body>");
        page.Append("<h1>Đăng nhập tập trung (thử nghiệm)</h1>");
        if (error is not null)
        {
            page.Append("<p role=\"alert\">").Append(WebUtility.HtmlEncode(error)).Append("</p>");
        }

        page.Append("<form method=\"post\" action=\"/connect/authorize\">");
        foreach (var (name, value) in request.GetParameters())
        {
            if (name is "username" or "password")
            {
                continue;
            }

            page.Append("<input type=\"hidden\" name=\"").Append(WebUtility.HtmlEncode(name)).Append("\" value=\"")
                .Append(WebUtility.HtmlEncode((string?)value)).Append("\">");
        }

        page.Append("<label for=\"username\">Tên đăng nhập</label> <input id=\"username\" name=\"username\" autocomplete=\"username\">");
        page.Append("<label for=\"password\">Mật khẩu</label> <input id=\"password\" name=\"password\" type=\"password\">");
        page.Append("<button type=\"submit\">Đăng nhập</button></form></body></html>");
        return page.ToString();
    }
}
