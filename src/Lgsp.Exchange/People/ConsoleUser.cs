namespace Lgsp.Exchange.People;

/// <summary>A person who signs in to the console. Console users are not client systems: they never
/// send packages, and a client system's secret never opens the console.</summary>
/// <param name="Name">The sign-in name; the ledger names the user <c>user:NAME</c>.</param>
/// <param name="Role">What the user may do.</param>
/// <param name="Agencies">For <see cref="ConsoleRole.Agency"/>: the agencies whose documents the user
/// reads; empty for the other roles.</param>
/// <param name="Source">Where the account comes from: <c>local</c> (a password kept here) or
/// <c>sso</c> (the province's single sign-on).</param>
/// <param name="PasswordHash">The password as <see cref="Directory.SecretHash"/> keeps it; null for an
/// account without a local password.</param>
/// <param name="Disabled">A disabled user cannot sign in.</param>
/// <param name="FailedSignIns">Failed sign-ins since the last successful one.</param>
/// <param name="LockedUntil">Until when sign-in is refused after too many failures.</param>
/// <param name="CreatedAt">When the account was made.</param>
/// <param name="LastSignInAt">The last successful sign-in.</param>
public sealed record ConsoleUser(
    string Name,
    ConsoleRole Role,
    IReadOnlyList<string> Agencies,
    string Source,
    string? PasswordHash,
    bool Disabled,
    int FailedSignIns,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSignInAt)
{
    /// <summary>The actor the ledger writes for what this user does.</summary>
    public string Actor => ConsoleUsers.Actor(Name);
}

/// <summary>Rules about console users' names.</summary>
public static class ConsoleUsers
{
    /// <summary>The ledger actor for a console user's actions: <c>user:NAME</c>, as the CLI writes
    /// <c>operator:NAME</c>.</summary>
    public static string Actor(string name) => "user:" + name;

    /// <summary>True for a name the console accepts: 1–64 characters, letters, digits and <c>. _ - @ :</c>
    /// (an SSO user is <c>sso:SUBJECT</c>).</summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 64 && name.All(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' or '@' or ':');

    /// <summary>True for a name a local account may take: a valid name not beginning with <c>sso:</c>,
    /// which belongs to the single sign-on's people (a local account there would become theirs at their
    /// next sign-in).</summary>
    public static bool IsValidLocalName(string? name) =>
        IsValidName(name) && !name!.StartsWith(SsoSignIn.NamePrefix, StringComparison.OrdinalIgnoreCase);
}
