using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Inbound.Auth;
using Lgsp.Server.Inbound.Limits;
using Lgsp.Server.Observability;
using Microsoft.Extensions.Primitives;

namespace Lgsp.Server.Inbound.Axis;

/// <summary>Authenticates axis-protocol requests (VXP.md §3.3): the claimed system's sealed secret is
/// opened and the <c>XroadVnpt-hash-header</c> checked over the sign-header's received bytes with
/// <see cref="AxisSignature"/>; the signed JSON is then the request's parameter set.</summary>
/// <remarks>An opened secret and its system are remembered for <see cref="CacheTime"/> (as
/// <see cref="Auth.ClientAuthenticator"/> remembers verified pairs), so a changed secret, a disabled
/// system or new agencies take effect within that time; a MAC that fails against a remembered secret
/// is checked once more against the stored one. The timestamp is never enforced (the SDK freezes it).
/// Failed attempts are counted by the <see cref="LoginThrottle"/> under the same realm as HTTP Basic
/// (<see cref="ClientAuthenticator.Realm"/>: one secret, one count over both doors), and a held-off
/// system id or address is refused before its secret is looked up or any MAC computed.
/// Thread safe.</remarks>
public sealed class AxisAuthenticator(IDirectoryStore directory, SecretBox secrets, ClientCallLog calls, TimeProvider clock, LoginThrottle throttle, HubMetrics metrics)
{
    /// <summary>How long an opened secret is remembered.</summary>
    public static readonly TimeSpan CacheTime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (ClientSystem System, string Secret, DateTimeOffset Until)> _opened = new(StringComparer.Ordinal);

    /// <summary>The caller of a request with these headers.</summary>
    /// <param name="headers">The request's headers.</param>
    /// <param name="remote">The caller's address, for the throttle.</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="AxisAuthException">A header is missing, the system is unknown or has no sealed
    /// secret, or the MAC or the signed JSON is wrong.</exception>
    /// <exception cref="LimitedException">The system id or the address is held off after failed attempts;
    /// nothing was checked, a right MAC neither.</exception>
    public async Task<AxisCaller> AuthenticateAsync(IHeaderDictionary headers, IPAddress? remote, CancellationToken ct = default)
    {
        var systemId = Required(headers, AxisSignature.SystemIdHeader);
        var signHeader = Required(headers, AxisSignature.SignHeader);
        Required(headers, AxisSignature.SignHeaderKeyHeader);
        var hash = Required(headers, AxisSignature.HashHeader);
        throttle.ThrowIfHeldOff(ClientAuthenticator.Realm, systemId, remote);

        try
        {
            var caller = await VerifyAsync(systemId, signHeader, hash, ct);
            throttle.Succeeded(ClientAuthenticator.Realm, systemId);
            await calls.RecordAsync(caller.System.Id, ct);
            return caller;
        }
        catch (AxisAuthException ex) when (ex.Error.Code is AxisErrors.UnknownSystem or AxisErrors.SignatureInvalid)
        {
            throttle.Failed(ClientAuthenticator.Realm, systemId, remote);
            throw;
        }
    }

    private async Task<AxisCaller> VerifyAsync(string systemId, string signHeader, string hash, CancellationToken ct)
    {
        var (system, secret, cached) = await SecretOfAsync(systemId, fresh: false, ct);
        if (!Verify(secret, signHeader, hash, out var signedText))
        {
            if (!cached)
            {
                throw AxisErrors.Unauthorized(AxisErrors.SignatureInvalid, AxisSignature.HashHeader, "the MAC does not match the sign-header");
            }

            (system, secret, _) = await SecretOfAsync(systemId, fresh: true, ct);
            if (!Verify(secret, signHeader, hash, out signedText))
            {
                throw AxisErrors.Unauthorized(AxisErrors.SignatureInvalid, AxisSignature.HashHeader, "the MAC does not match the sign-header");
            }
        }

        IReadOnlyList<KeyValuePair<string, string>> parameters;
        try
        {
            parameters = AxisSignature.ParseSignedParameters(signedText);
        }
        catch (FormatException)
        {
            throw AxisErrors.Unauthorized(AxisErrors.SignatureInvalid, AxisSignature.SignHeader, "the sign-header is not a JSON object");
        }

        var caller = new AxisCaller(system, parameters, hash.Trim().ToLowerInvariant());
        if (caller.Get(AxisSignature.SystemIdParameter) != systemId)
        {
            throw AxisErrors.Unauthorized(AxisErrors.SignatureInvalid, AxisSignature.SystemIdHeader, "the signed systemid differs from the XroadVnpt-systemid header");
        }

        return caller;
    }

    /// <summary>One MAC check, counted (<c>lgsp_secret_checks_total{kind="axis"}</c>): what the throttle spares.</summary>
    private bool Verify(string secret, string signHeader, string hash, out string signedText)
    {
        metrics.SecretChecked("axis");
        return AxisSignature.Verify(secret, signHeader, hash, out signedText);
    }

    /// <summary>Forgets what is remembered about a system (its agencies changed).</summary>
    public void Forget(string systemId) => _opened.TryRemove(systemId, out _);

    private async Task<(ClientSystem System, string Secret, bool Cached)> SecretOfAsync(string systemId, bool fresh, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (!fresh && _opened.TryGetValue(systemId, out var hit) && hit.Until > now)
        {
            return (hit.System, hit.Secret, true);
        }

        var record = await directory.FindClientSystemAsync(systemId, ct);
        if (record is not { Active: true })
        {
            _opened.TryRemove(systemId, out _);
            throw AxisErrors.Unauthorized(AxisErrors.UnknownSystem, AxisSignature.SystemIdHeader, systemId);
        }

        string secret;
        try
        {
            secret = record.SealedSecret is { } sealedSecret ? secrets.Open(sealedSecret) : throw new CryptographicException("no sealed secret");
        }
        catch (CryptographicException)
        {
            // Sealed before secrets were, or under another hub key: either way it must be set again.
            _opened.TryRemove(systemId, out _);
            throw AxisErrors.Unauthorized(AxisErrors.SecretNotSealed, AxisSignature.SystemIdHeader, systemId);
        }

        _opened[systemId] = (record.System, secret, now + CacheTime);
        return (record.System, secret, false);
    }

    private static string Required(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values is [{ Length: > 0 } value]
            ? value
            : throw AxisErrors.Unauthorized(AxisErrors.HeadersMissing, name, name);
}

/// <summary>An authenticated axis request: the client system and the signed parameters, in their order
/// and case, without the <c>XroadVnpt-</c> prefix.</summary>
/// <param name="System">The client system.</param>
/// <param name="Parameters">The signed parameters (the authoritative set; unsigned headers are ignored).</param>
/// <param name="Hash">The request's MAC, lower case (the resend de-duplication key).</param>
public sealed record AxisCaller(ClientSystem System, IReadOnlyList<KeyValuePair<string, string>> Parameters, string Hash)
{
    /// <summary>A parameter by exact name first, then case-insensitively (<c>docId</c> / <c>docid</c>,
    /// quirk Q3); null when absent.</summary>
    public string? Get(string name)
    {
        foreach (var (key, value) in Parameters)
        {
            if (key == name)
            {
                return value;
            }
        }

        foreach (var (key, value) in Parameters)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
