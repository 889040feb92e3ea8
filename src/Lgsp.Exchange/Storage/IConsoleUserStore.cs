using Lgsp.Exchange.People;

namespace Lgsp.Exchange.Storage;

/// <summary>The console's users. Every change writes its ledger entry (made by
/// <see cref="Ledger.UserEntries"/>) in the same transaction.</summary>
/// <remarks>Implementations are thread safe.</remarks>
public interface IConsoleUserStore
{
    /// <summary>The user with that name, or null.</summary>
    Task<ConsoleUser?> FindAsync(string name, CancellationToken ct = default);

    /// <summary>All users, by name.</summary>
    Task<IReadOnlyList<ConsoleUser>> ListAsync(CancellationToken ct = default);

    /// <summary>Adds a user.</summary>
    /// <returns>False when a user with that name exists (nothing changes).</returns>
    Task<bool> AddAsync(ConsoleUser user, string actor, CancellationToken ct = default);

    /// <summary>Disables or enables a user (an enabled user's failures are forgotten).</summary>
    /// <returns>False when there is no such user.</returns>
    Task<bool> SetDisabledAsync(string name, bool disabled, string actor, CancellationToken ct = default);

    /// <summary>Sets a user's role and agencies (an SSO user's, mapped again from the provider's claims
    /// at each sign-in).</summary>
    /// <returns>False when there is no such user.</returns>
    Task<bool> SetRoleAsync(string name, ConsoleRole role, IReadOnlyList<string> agencies, string actor, CancellationToken ct = default);

    /// <summary>Replaces a user's password hash and lifts any lockout.</summary>
    /// <returns>False when there is no such user.</returns>
    Task<bool> SetPasswordAsync(string name, string passwordHash, string actor, CancellationToken ct = default);

    /// <summary>Counts a failed sign-in, in one statement so that concurrent failures all count; the
    /// failure that reaches <see cref="SignInLockout.MaxFailures"/> locks the user for
    /// <see cref="SignInLockout.Duration"/> and records the lockout in the ledger.</summary>
    /// <returns>Until when the user is now locked, or null.</returns>
    Task<DateTimeOffset?> RecordFailedSignInAsync(string name, SignInLockout lockout, CancellationToken ct = default);

    /// <summary>Records a successful sign-in: failures are forgotten.</summary>
    Task RecordSignInAsync(string name, CancellationToken ct = default);
}
