using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.People;

/// <summary>What the provincial single sign-on said about a person, from a validated ID token.</summary>
/// <param name="Subject">The <c>sub</c> claim: stable for the person at that provider.</param>
/// <param name="RoleValues">The values of the role claim.</param>
/// <param name="AgencyValues">The values of the agency claim (agency codes).</param>
public sealed record SsoIdentity(string Subject, IReadOnlyList<string> RoleValues, IReadOnlyList<string> AgencyValues);

/// <summary>How an SSO sign-in ended.</summary>
public enum SsoSignInOutcome
{
    /// <summary>Signed in (the console user made or brought up to date).</summary>
    SignedIn,

    /// <summary>The claims map to no console role.</summary>
    NoRole,

    /// <summary>The claims make an agency clerk, but name no agency of the directory.</summary>
    NoAgency,

    /// <summary>The console user <c>sso:SUBJECT</c> is disabled here.</summary>
    Disabled,

    /// <summary>The subject does not make a console user name (too long or odd characters), or a local
    /// account already has that name.</summary>
    InvalidSubject,
}

/// <summary>The result of an SSO sign-in.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="User">The user, when signed in.</param>
public sealed record SsoSignInResult(SsoSignInOutcome Outcome, ConsoleUser? User = null);

/// <summary>Signs a person in from the provincial single sign-on's claims: the first sign-in makes the
/// console user <c>sso:SUBJECT</c> (source <c>sso</c>, no password); every sign-in maps the role and
/// agencies from the claims again, so the provider stays the source of truth for them (a change is
/// recorded in the ledger). A disabled user stays disabled: only an administrator here enables it.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class SsoSignIn(IConsoleUserStore users, IDirectoryStore directory, TimeProvider clock)
{
    /// <summary>The prefix of every SSO user's name.</summary>
    public const string NamePrefix = "sso:";

    /// <summary>The source word of SSO users.</summary>
    public const string Source = "sso";

    /// <summary>Signs <paramref name="identity"/> in.</summary>
    public async Task<SsoSignInResult> SignInAsync(SsoIdentity identity, SsoRoleMap map, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(map);
        var name = NamePrefix + identity.Subject;
        if (!ConsoleUsers.IsValidName(name))
        {
            return new SsoSignInResult(SsoSignInOutcome.InvalidSubject);
        }

        if (map.RoleOf(identity.RoleValues) is not { } role)
        {
            return new SsoSignInResult(SsoSignInOutcome.NoRole);
        }

        // Only codes the directory knows: a clerk of an agency that is not here reads nothing here.
        var agencies = new List<string>();
        if (role == ConsoleRole.Agency)
        {
            foreach (var code in identity.AgencyValues.Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                if (await directory.FindAgencyAsync(code, ct) is not null)
                {
                    agencies.Add(code);
                }
            }

            if (agencies.Count == 0)
            {
                return new SsoSignInResult(SsoSignInOutcome.NoAgency);
            }
        }

        var actor = ConsoleUsers.Actor(name);
        var user = await users.FindAsync(name, ct);
        if (user is null)
        {
            user = new ConsoleUser(name, role, agencies, Source, null, false, 0, null, clock.GetUtcNow(), null);
            if (!await users.AddAsync(user, actor, ct))
            {
                // Made by a sign-in of the same person a moment ago.
                user = await users.FindAsync(name, ct) ?? throw new InvalidOperationException($"Console user {name} vanished.");
            }
        }

        if (user.Source != Source)
        {
            return new SsoSignInResult(SsoSignInOutcome.InvalidSubject);
        }

        if (user.Disabled)
        {
            return new SsoSignInResult(SsoSignInOutcome.Disabled);
        }

        if (user.Role != role || !user.Agencies.Order(StringComparer.Ordinal).SequenceEqual(agencies))
        {
            await users.SetRoleAsync(name, role, agencies, actor, ct);
            user = user with { Role = role, Agencies = agencies };
        }

        await users.RecordSignInAsync(name, ct);
        return new SsoSignInResult(SsoSignInOutcome.SignedIn, user);
    }
}
