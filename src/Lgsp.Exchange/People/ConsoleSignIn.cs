using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.People;

/// <summary>When repeated failures lock a console user out.</summary>
/// <param name="MaxFailures">Failures in a row that lock the user (5 by default).</param>
/// <param name="Duration">How long the lockout lasts (15 minutes by default).</param>
public sealed record SignInLockout(int MaxFailures, TimeSpan Duration)
{
    /// <summary>Five failures lock the user for fifteen minutes.</summary>
    public static SignInLockout Default { get; } = new(5, TimeSpan.FromMinutes(15));
}

/// <summary>How a sign-in ended.</summary>
public enum SignInOutcome
{
    /// <summary>Signed in.</summary>
    SignedIn,

    /// <summary>Unknown name or wrong password: the two are not told apart.</summary>
    Refused,

    /// <summary>Too many failures: refused until the lockout ends, whatever the password.</summary>
    LockedOut,

    /// <summary>The user is disabled.</summary>
    Disabled,
}

/// <summary>The result of a sign-in.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="User">The user, when signed in.</param>
/// <param name="LockedUntil">Until when, when locked out.</param>
public sealed record SignInResult(SignInOutcome Outcome, ConsoleUser? User = null, DateTimeOffset? LockedUntil = null);

/// <summary>Checks a console user's name and password, counts failures and locks the user out after
/// too many. An unknown name costs the same hashing as a wrong password, so that timing does not say
/// which names exist.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class ConsoleSignIn(IConsoleUserStore users, TimeProvider clock, SignInLockout? lockout = null)
{
    // Verified against when the name is unknown: the same PBKDF2 work as a real check.
    private static readonly string DecoyHash = SecretHash.Hash("decoy: no such user");

    private readonly SignInLockout lockout = lockout ?? SignInLockout.Default;

    /// <summary>Signs a user in with a local password.</summary>
    public async Task<SignInResult> SignInAsync(string name, string password, CancellationToken ct = default)
    {
        var user = ConsoleUsers.IsValidName(name) ? await users.FindAsync(name, ct) : null;
        if (user is null || user.PasswordHash is null)
        {
            SecretHash.Verify(password ?? "", DecoyHash);
            return new SignInResult(SignInOutcome.Refused);
        }

        // A locked user is refused before the password is checked: guessing on costs nothing and teaches nothing.
        if (user.LockedUntil is { } until && until > clock.GetUtcNow())
        {
            return new SignInResult(SignInOutcome.LockedOut, LockedUntil: until);
        }

        if (!SecretHash.Verify(password ?? "", user.PasswordHash))
        {
            var locked = await users.RecordFailedSignInAsync(user.Name, lockout, ct);
            return locked is null ? new SignInResult(SignInOutcome.Refused) : new SignInResult(SignInOutcome.LockedOut, LockedUntil: locked);
        }

        if (user.Disabled)
        {
            return new SignInResult(SignInOutcome.Disabled);
        }

        await users.RecordSignInAsync(user.Name, ct);
        return new SignInResult(SignInOutcome.SignedIn, user);
    }
}
