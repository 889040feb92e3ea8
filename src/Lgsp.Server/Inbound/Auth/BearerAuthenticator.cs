using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Lgsp.Server.Inbound.Auth;

/// <summary>Authenticates a client system by a bearer token of the province gateway's provider
/// (<see cref="JwtOptions"/>): the signature by one of the provider's keys (<see cref="ProviderKeys"/>),
/// issuer, audience, expiry and not-before are checked, then the claim <see cref="JwtOptions.SystemClaim"/>
/// names the client system, which must be active. The caller is then that system, exactly as its HTTP
/// Basic login would make it (agencies, policy, ledger actor).</summary>
/// <remarks>Tokens are not counted by the failed-login throttle: a token cannot be guessed, and checking
/// one costs a signature verification, not a PBKDF2 derivation (the per-address limit still applies
/// before). A system found is remembered for <see cref="ClientAuthenticator.CacheTime"/>, as a Basic pair
/// is, so a disabled system is refused within that time. Thread safe.</remarks>
public sealed class BearerAuthenticator(JwtOptions options, ProviderKeys keys, IDirectoryStore directory, ClientCallLog calls, TimeProvider clock)
{
    // Only asymmetric signatures: the provider publishes public keys; a token "signed" with HMAC over a
    // public key, or not signed at all, is refused before any key is tried.
    private static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ConcurrentDictionary<string, (ClientSystem System, DateTimeOffset Until)> _systems = new(StringComparer.Ordinal);

    /// <summary>True when tokens are configured.</summary>
    public bool Enabled => options.Enabled;

    /// <summary>True when <paramref name="authorization"/> is a bearer token (whatever the configuration).</summary>
    public static bool TryParseBearer(string? authorization, out string token)
    {
        token = AuthenticationHeaderValue.TryParse(authorization, out var header)
            && "Bearer".Equals(header.Scheme, StringComparison.OrdinalIgnoreCase) && header.Parameter is { Length: > 0 } value
            ? value
            : string.Empty;
        return token.Length > 0;
    }

    /// <summary>The client system <paramref name="token"/> names.</summary>
    /// <exception cref="TokenRefusedException">The token is refused (<see cref="TokenErrors.InvalidToken"/>).</exception>
    public async Task<ClientSystem> AuthenticateAsync(string token, CancellationToken ct = default)
    {
        var result = await ValidateAsync(token, ct);
        if (!result.Claims.TryGetValue(options.SystemClaim, out var claim) || claim is not string systemId || systemId.Length == 0)
        {
            throw Refused("no-system-claim", $"the token has no {options.SystemClaim} claim");
        }

        var system = await FindAsync(systemId, ct) ?? throw Refused("unknown-system", $"{options.SystemClaim} {systemId} is no active client system");
        await calls.RecordAsync(system.Id, ct);
        return system;
    }

    private async Task<TokenValidationResult> ValidateAsync(string token, CancellationToken ct)
    {
        ProviderKeys.Snapshot current;
        try
        {
            current = await keys.CurrentAsync(ct);
        }
        catch (ProviderUnavailableException ex)
        {
            throw Refused("keys-unavailable", ex.Message);
        }

        var result = await _handler.ValidateTokenAsync(token, Parameters(current));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException && await keys.RefetchAsync(current, ct) is { } fresh)
        {
            // The provider may have rotated its keys since they were read.
            result = await _handler.ValidateTokenAsync(token, Parameters(fresh));
        }

        return result.IsValid ? result : throw Refused(ReasonOf(result.Exception), result.Exception?.Message ?? "invalid");
    }

    private TokenValidationParameters Parameters(ProviderKeys.Snapshot current) => new()
    {
        ValidIssuer = current.Issuer,
        ValidAudience = options.Audience,
        IssuerSigningKeys = current.Keys,
        ValidAlgorithms = Algorithms,
        ClockSkew = options.ClockSkew,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
    };

    private static string ReasonOf(Exception? ex) => ex switch
    {
        SecurityTokenExpiredException => "expired",
        SecurityTokenNotYetValidException => "not-yet-valid",
        SecurityTokenInvalidAudienceException => "audience",
        SecurityTokenInvalidIssuerException => "issuer",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException or SecurityTokenInvalidAlgorithmException => "signature",
        _ => "malformed",
    };

    private async Task<ClientSystem?> FindAsync(string systemId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_systems.TryGetValue(systemId, out var hit) && hit.Until > now)
        {
            return hit.System;
        }

        var record = await directory.FindClientSystemAsync(systemId, ct);
        if (record is not { Active: true })
        {
            _systems.TryRemove(systemId, out _);
            return null;
        }

        _systems[systemId] = (record.System, now + ClientAuthenticator.CacheTime);
        return record.System;
    }

    private static TokenRefusedException Refused(string reason, string detail) => new(TokenErrors.InvalidToken, reason, detail);
}
