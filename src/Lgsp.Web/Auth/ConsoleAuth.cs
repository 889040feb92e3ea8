using System.Security.Claims;
using Lgsp.Exchange.People;
using Microsoft.AspNetCore.Authorization;

namespace Lgsp.Web.Auth;

/// <summary>How a console user is carried in the console's cookie, and the rights the pages ask for.</summary>
public static class ConsoleAuth
{
    /// <summary>The console's cookie authentication scheme (and the cookie's name). Only console pages
    /// use it: SOAP, the axis protocol and the admin API keep their own authentication.</summary>
    public const string Scheme = "lgsp-console";

    /// <summary>The claim naming one of an agency clerk's agencies (one claim per agency).</summary>
    public const string AgencyClaim = "lgsp:agency";

    /// <summary>The claim naming where the account comes from (<c>local</c> or <c>sso</c>).</summary>
    public const string SourceClaim = "lgsp:source";

    /// <summary>The policy every console page needs: a signed-in console user.</summary>
    public const string SignedIn = "console";

    /// <summary>The policy for a right.</summary>
    public static string Policy(ConsoleRight right) => "console:" + right;

    /// <summary>The principal the cookie carries for a user.</summary>
    public static ClaimsPrincipal Principal(ConsoleUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.Name),
            new(ClaimTypes.Role, user.Role.Word()),
            new(SourceClaim, user.Source),
        };
        claims.AddRange(user.Agencies.Select(a => new Claim(AgencyClaim, a)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The signed-in user's role, or null when nobody is signed in.</summary>
    public static ConsoleRole? ConsoleRole(this ClaimsPrincipal user) =>
        user?.Identity?.IsAuthenticated == true ? ConsoleRoles.Parse(user.FindFirstValue(ClaimTypes.Role)) : null;

    /// <summary>True when the signed-in user's role has <paramref name="right"/>.</summary>
    public static bool Can(this ClaimsPrincipal user, ConsoleRight right) => user.ConsoleRole() is { } role && role.Has(right);

    /// <summary>An agency clerk's agencies (empty for the other roles).</summary>
    public static IReadOnlyList<string> Agencies(this ClaimsPrincipal user) =>
        user is null ? [] : [.. user.FindAll(AgencyClaim).Select(c => c.Value)];

    /// <summary>A return URL kept only when it is a path inside the console: anything else would make a
    /// sign-in an open redirect.</summary>
    public static string SafeReturnUrl(string? url) =>
        url is { } u && u.StartsWith("/console", StringComparison.Ordinal) ? u : "/console/";

    /// <summary>The ledger actor for what the signed-in user does: <c>user:NAME</c>.</summary>
    public static string Actor(this ClaimsPrincipal user) =>
        ConsoleUsers.Actor(user?.Identity?.Name ?? throw new InvalidOperationException("Nobody is signed in."));
}

/// <summary>Marks a page as needing a right of the role matrix (<see cref="ConsoleRights"/>). A page's
/// POST handlers that need more than its GET check it themselves with <see cref="ConsoleAuth.Can"/>.</summary>
/// <param name="right">The right.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class RequiresAttribute(ConsoleRight right) : AuthorizeAttribute(ConsoleAuth.Policy(right))
{
    /// <summary>The right.</summary>
    public ConsoleRight Right { get; } = right;
}
