using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Inbound.Limits;
using Lgsp.Server.Observability;

namespace Lgsp.Server.Inbound.Auth;

/// <summary>Authenticates client systems by HTTP Basic (system id and secret).</summary>
/// <remarks>Secrets are stored as PBKDF2 hashes, deliberately slow to check; a verified (id, secret)
/// pair is remembered for <see cref="CacheTime"/> (keyed by a SHA-256 of the pair, never the secret),
/// so a busy client does not pay for PBKDF2 on every call and a changed secret or disabled system
/// takes effect within that time. Before anything is checked, the <see cref="LoginThrottle"/> holds off
/// an id or address with too many recent failures, so a guesser cannot make the hub derive keys on
/// demand; an unknown id costs one derivation like a known one, so timing tells no id apart.
/// Thread safe.</remarks>
public sealed class ClientAuthenticator(IDirectoryStore directory, TimeProvider clock, LoginThrottle throttle, HubMetrics metrics)
{
    /// <summary>The throttle's realm for client systems.</summary>
    public const string Realm = "system";

    // Checked against when the id is unknown or inactive, so that such an id costs the same derivation;
    // made when the authenticator is, before any login, so no first unknown id pays for it.
    private readonly string _decoy = SecretHash.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));

    /// <summary>How long a verified pair is remembered.</summary>
    public static readonly TimeSpan CacheTime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (ClientSystem System, DateTimeOffset Until)> _verified = new();

    /// <summary>The client system the request's <c>Authorization</c> header names, or null when the
    /// header is missing, malformed or wrong.</summary>
    /// <param name="authorization">The <c>Authorization</c> header.</param>
    /// <param name="remote">The caller's address, for the throttle.</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="LimitedException">The id or the address is held off after failed logins; nothing
    /// was checked, a right secret neither.</exception>
    public async Task<ClientSystem?> AuthenticateAsync(string? authorization, IPAddress? remote, CancellationToken ct = default)
    {
        if (!TryParseBasic(authorization, out var id, out var secret))
        {
            return null;
        }

        throttle.ThrowIfHeldOff(Realm, id, remote);

        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(id + "\0" + secret)));
        var now = clock.GetUtcNow();
        if (_verified.TryGetValue(key, out var hit) && hit.Until > now)
        {
            return hit.System;
        }

        var record = await directory.FindClientSystemAsync(id, ct);
        var known = record is { Active: true };
        metrics.SecretChecked(Realm);
        var matches = SecretHash.Verify(secret, known ? record!.SecretHash : _decoy);
        if (!known || !matches)
        {
            _verified.TryRemove(key, out _);
            throttle.Failed(Realm, id, remote);
            return null;
        }

        throttle.Succeeded(Realm, id);
        _verified[key] = (record!.System, now + CacheTime);
        return record.System;
    }

    /// <summary>Splits an HTTP Basic header into user and password.</summary>
    public static bool TryParseBasic(string? authorization, out string user, out string password)
    {
        user = password = string.Empty;
        if (!AuthenticationHeaderValue.TryParse(authorization, out var header)
            || !"Basic".Equals(header.Scheme, StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        (user, password) = (decoded[..colon], decoded[(colon + 1)..]);
        return password.Length > 0;
    }
}
