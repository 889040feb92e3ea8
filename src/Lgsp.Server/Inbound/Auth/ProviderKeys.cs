using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Lgsp.Server.Inbound.Auth;

/// <summary>The gateway provider's issuer and signing keys (<see cref="JwtOptions"/>): read from its
/// discovery document and key set, kept for <see cref="JwtOptions.KeysRefresh"/>, and read again at once
/// when a token names a <c>kid</c> the hub does not know (at most once per
/// <see cref="JwtOptions.UnknownKeyRefetch"/>), so a rotation at the provider needs no restart.</summary>
/// <remarks>A failed fetch keeps the keys already held (the provider being down must not cut every
/// gateway caller off) and is tried again after <see cref="JwtOptions.UnknownKeyRefetch"/>. One fetch at
/// a time. Thread safe.</remarks>
public sealed class ProviderKeys(JwtOptions options, IHttpClientFactory http, TimeProvider clock, ILogger<ProviderKeys> log)
{
    /// <summary>The named HTTP client (no redirects, bounded answers).</summary>
    public const string ClientName = "jwt-provider";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _current;
    private DateTimeOffset _lastAttempt = DateTimeOffset.MinValue;

    /// <summary>What one fetch found.</summary>
    /// <param name="Issuer">The <c>iss</c> tokens must carry.</param>
    /// <param name="Keys">The signing keys.</param>
    /// <param name="FetchedAt">When.</param>
    public sealed record Snapshot(string Issuer, IReadOnlyList<SecurityKey> Keys, DateTimeOffset FetchedAt);

    /// <summary>The keys to check a token with, fetched when none are held or they are older than
    /// <see cref="JwtOptions.KeysRefresh"/>.</summary>
    /// <exception cref="ProviderUnavailableException">No keys are held and the provider cannot be read.</exception>
    public async Task<Snapshot> CurrentAsync(CancellationToken ct)
    {
        var current = _current;
        if (current is not null && clock.GetUtcNow() - current.FetchedAt < options.KeysRefresh)
        {
            return current;
        }

        await _gate.WaitAsync(ct);
        try
        {
            current = _current;
            var now = clock.GetUtcNow();
            if (now - _lastAttempt < options.UnknownKeyRefetch || (current is not null && now - current.FetchedAt < options.KeysRefresh))
            {
                // Tried moments ago: the keys held, or at once no keys (a provider that is down is not
                // asked again by every request, each waiting for the fetch timeout).
                return current ?? throw new ProviderUnavailableException();
            }

            return await FetchLockedAsync(ct) ?? current ?? throw new ProviderUnavailableException();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>After a token whose <c>kid</c> none of <paramref name="seen"/>'s keys has: the keys read
    /// again, or null when nothing new can be had (fetched too recently, or the provider cannot be read).</summary>
    public async Task<Snapshot?> RefetchAsync(Snapshot seen, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { } newer && !ReferenceEquals(newer, seen))
            {
                // Another request fetched while this one waited.
                return newer;
            }

            return clock.GetUtcNow() - _lastAttempt < options.UnknownKeyRefetch ? null : await FetchLockedAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Snapshot?> FetchLockedAsync(CancellationToken ct)
    {
        _lastAttempt = clock.GetUtcNow();
        var client = http.CreateClient(ClientName);
        string? where = null;
        try
        {
            string issuer;
            string jwksUrl;
            if (!string.IsNullOrWhiteSpace(options.Authority))
            {
                where = options.Authority.TrimEnd('/') + "/.well-known/openid-configuration";
                using var discovery = JsonDocument.Parse(await client.GetStringAsync(where, ct));
                issuer = string.IsNullOrWhiteSpace(options.Issuer) ? Text(discovery.RootElement, "issuer") : options.Issuer;
                jwksUrl = Text(discovery.RootElement, "jwks_uri");
                options.CheckUrl("The discovery document's jwks_uri", jwksUrl);
            }
            else
            {
                (issuer, jwksUrl) = (options.Issuer!, options.JwksUrl!);
            }

            where = jwksUrl;
            var keys = new JsonWebKeySet(await client.GetStringAsync(jwksUrl, ct)).GetSigningKeys().ToList();
            if (keys.Count == 0)
            {
                throw new InvalidOperationException("the key set holds no signing key");
            }

            var kids = string.Join(", ", keys.Select(k => k.KeyId ?? "(no kid)"));
            if (_current is null || string.Join(", ", _current.Keys.Select(k => k.KeyId ?? "(no kid)")) != kids)
            {
                log.LogInformation("Gateway token keys loaded from {Url}: {Kids}", jwksUrl, kids);
            }

            return _current = new Snapshot(issuer, keys, clock.GetUtcNow());
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or ArgumentException or InvalidOperationException
            or TaskCanceledException && !ct.IsCancellationRequested)
        {
            log.LogError("Gateway token keys could not be read from {Url}: {Reason}; {Held}", where, ex.Message,
                _current is null ? "no token can be checked until they are" : "the keys held are kept");
            return null;
        }
    }

    private static string Text(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new InvalidOperationException($"the discovery document has no {property}");
}

/// <summary>No key is held to check a token with, and the provider cannot be read.</summary>
public sealed class ProviderUnavailableException() : Exception("The gateway provider's keys cannot be read.");
