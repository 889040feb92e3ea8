using Lgsp.Exchange.People;

namespace Lgsp.Exchange.Ledger;

/// <summary>The <see cref="LedgerKind.UserChanged"/> entries: a console user was added, disabled,
/// enabled, given a new password, a new role (an SSO user's, at sign-in) or locked out, written in the transaction of the change. The detail's
/// <c>change</c> says which. The actor is the administrator (<c>operator:NAME</c> from the CLI,
/// <c>user:NAME</c> from the console), or <c>hub</c> for a lockout.</summary>
public static class UserEntries
{
    /// <summary>Change <c>user.added</c>: a console user was made.</summary>
    /// <param name="user">The user. Detail: <c>name</c>, <c>role</c>, <c>agencies</c> (for an agency
    /// clerk), <c>source</c> (local or sso). Never the password.</param>
    /// <param name="actor">Who.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry Added(ConsoleUser user, string actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Changed(actor, at, new
        {
            change = "user.added", name = user.Name, role = user.Role.Word(), agencies = user.Agencies.Count == 0 ? null : user.Agencies,
            source = user.Source,
        });
    }

    /// <summary>Change <c>user.disabled</c> or <c>user.enabled</c>.</summary>
    /// <param name="name">Detail <c>name</c>: the user.</param>
    /// <param name="disabled">Disabled; else enabled.</param>
    /// <param name="actor">Who.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry DisabledSet(string name, bool disabled, string actor, DateTimeOffset at) =>
        Changed(actor, at, new { change = disabled ? "user.disabled" : "user.enabled", name });

    /// <summary>Change <c>user.role</c>: a console user's role or agencies were set again; for an SSO user,
    /// mapped from the provider's claims at sign-in (actor: the user).</summary>
    /// <param name="name">Detail <c>name</c>: the user.</param>
    /// <param name="role">Detail <c>role</c>: the new role.</param>
    /// <param name="agencies">Detail <c>agencies</c>: an agency clerk's agencies (absent for the other roles).</param>
    /// <param name="actor">Who.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry RoleSet(string name, ConsoleRole role, IReadOnlyList<string> agencies, string actor, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(agencies);
        return Changed(actor, at, new { change = "user.role", name, role = role.Word(), agencies = agencies.Count == 0 ? null : agencies });
    }

    /// <summary>Change <c>user.password</c>: a user's password was replaced (never recorded).</summary>
    /// <param name="name">Detail <c>name</c>: the user.</param>
    /// <param name="actor">Who.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry PasswordSet(string name, string actor, DateTimeOffset at) =>
        Changed(actor, at, new { change = "user.password", name });

    /// <summary>Change <c>user.locked</c>: too many failed sign-ins locked a user out. Actor: the hub.</summary>
    /// <param name="name">Detail <c>name</c>: the user.</param>
    /// <param name="failures">Detail <c>failures</c>: the failures in a row.</param>
    /// <param name="until">Detail <c>until</c>: when sign-in opens again.</param>
    /// <param name="at">When.</param>
    public static NewLedgerEntry LockedOut(string name, int failures, DateTimeOffset until, DateTimeOffset at) =>
        Changed(NewLedgerEntry.Hub, at, new { change = "user.locked", name, failures, until });

    private static NewLedgerEntry Changed(string actor, DateTimeOffset at, object detail) => new(LedgerKind.UserChanged, actor, at, detail);
}
