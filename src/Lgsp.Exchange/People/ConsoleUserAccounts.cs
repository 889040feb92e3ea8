using System.Security.Cryptography;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.People;

/// <summary>Making console users and giving them passwords: the one way, for the CLI
/// (<c>lgsp users</c>) and the console's users page alike.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class ConsoleUserAccounts(IConsoleUserStore users, IDirectoryStore directory, TimeProvider clock)
{
    /// <summary>Random bytes in a generated password (128 bits, 22 characters).</summary>
    private const int PasswordBytes = 16;

    /// <summary>The shortest password a person may choose.</summary>
    public const int MinimumPasswordLength = 10;

    /// <summary>Adds a local console user.</summary>
    /// <param name="name">The sign-in name.</param>
    /// <param name="role">The role.</param>
    /// <param name="agencies">An agency clerk's agencies (at least one, each in the directory); none for the other roles.</param>
    /// <param name="password">The password; a generated one when null.</param>
    /// <param name="actor">Who adds the user, for the ledger.</param>
    /// <param name="ct">Cancels.</param>
    /// <returns>The user and its password (to show once when it was generated).</returns>
    /// <exception cref="ExchangeException">The name, role and agencies do not fit, an agency is unknown
    /// (<c>NotFound</c>), or the name is taken (<c>UserExists</c>).</exception>
    public async Task<(ConsoleUser User, string Password)> AddAsync(string name, ConsoleRole role, IReadOnlyCollection<string> agencies, string? password, string actor,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(agencies);
        name = name?.Trim() ?? "";
        if (!ConsoleUsers.IsValidLocalName(name))
        {
            throw ExchangeException.Of(HubErrorCode.UserNameInvalid, "name", name);
        }

        var codes = agencies.Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if ((role == ConsoleRole.Agency) != (codes.Count > 0))
        {
            throw ExchangeException.Of(HubErrorCode.UserAgenciesMismatch, "agency");
        }

        foreach (var code in codes)
        {
            if (await directory.FindAgencyAsync(code, ct) is null)
            {
                throw ExchangeException.Of(HubErrorCode.NotFound, "agency", "Agency", code);
            }
        }

        password ??= GeneratePassword();
        var user = new ConsoleUser(name, role, codes, "local", SecretHash.Hash(password), false, 0, null, clock.GetUtcNow(), null);
        if (!await users.AddAsync(user, actor, ct))
        {
            throw ExchangeException.Of(HubErrorCode.UserExists, "name", name);
        }

        return (user, password);
    }

    /// <summary>Gives a user a new password (a generated one when null) and lifts any lockout.</summary>
    /// <returns>The password, or null when there is no such user.</returns>
    public async Task<string?> ResetPasswordAsync(string name, string? password, string actor, CancellationToken ct = default)
    {
        password ??= GeneratePassword();
        return await users.SetPasswordAsync(name, SecretHash.Hash(password), actor, ct) ? password : null;
    }

    /// <summary>A random password, URL-safe so it survives copying.</summary>
    public static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(PasswordBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
