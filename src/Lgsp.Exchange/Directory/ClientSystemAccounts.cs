using System.Security.Cryptography;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Directory;

/// <summary>Adding client systems and giving them secrets: the one way, for <c>lgsp systems</c> and the
/// console's client-systems page alike. A secret is stored hashed (HTTP Basic) and sealed with the
/// hub's key (the axis protocol's HMAC needs it), and shown once.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class ClientSystemAccounts(IDirectoryStore directory, SecretBox secrets)
{
    /// <summary>Random bytes in a generated secret (256 bits).</summary>
    private const int SecretBytes = 32;

    /// <summary>True for an id usable as an HTTP Basic user name: not empty, no colon, no spaces or
    /// control characters, at most 64 characters.</summary>
    public static bool IsValidId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 64 && !id.Any(c => c == ':' || char.IsWhiteSpace(c) || char.IsControl(c));

    /// <summary>Adds a client system (or replaces its secret, policy, agencies and role).</summary>
    /// <param name="id">Its id.</param>
    /// <param name="agencies">The agencies it acts for (each in the directory; at least one unless an auditor's).</param>
    /// <param name="policy">How its packages are judged.</param>
    /// <param name="auditor">An auditor's system (may trace any document).</param>
    /// <param name="secret">Its secret; a generated one when null.</param>
    /// <param name="actor">Who, for the ledger.</param>
    /// <param name="ct">Cancels.</param>
    /// <returns>Whether it existed, and the secret (to show once when generated).</returns>
    /// <exception cref="ExchangeException">The id or the agencies do not fit (<c>InvalidRequest</c>), or an agency is unknown (<c>NotFound</c>).</exception>
    public async Task<(bool Existed, string Secret)> AddAsync(string id, IReadOnlyCollection<string> agencies, PackagePolicy policy, bool auditor, string? secret,
        string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(agencies);
        id = id?.Trim() ?? "";
        if (!IsValidId(id))
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "id", $"'{id}' cannot be an HTTP Basic user name (1-64 characters, no colon, no spaces)");
        }

        var codes = agencies.Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (codes.Count == 0 && !auditor)
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "agency", "a client system acts for at least one agency (or is an auditor's)");
        }

        if (secret is { Length: 0 })
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "secret", "the secret is empty");
        }

        var existed = await directory.FindClientSystemAsync(id, ct) is not null;
        secret ??= NewSecret();
        await directory.SaveClientSystemAsync(id, SecretHash.Hash(secret), secrets.Seal(secret), policy, codes, actor, ct, auditor: auditor);
        return (existed, secret);
    }

    /// <summary>Gives a client system a new random secret; the old one stops working (within the
    /// authenticators' minute of cache).</summary>
    /// <returns>The new secret, or null when there is no such system.</returns>
    public async Task<string?> RotateSecretAsync(string id, string actor, CancellationToken ct = default)
    {
        var secret = NewSecret();
        return await directory.SetClientSecretAsync(id, SecretHash.Hash(secret), secrets.Seal(secret), actor, ct) ? secret : null;
    }

    /// <summary>A random secret, base64url.</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
