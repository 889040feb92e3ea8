using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Lgsp.TestSupport.Oidc;

/// <summary>Tokens made by hand for negative tests: what a real provider would never issue (expired,
/// for another audience, from another issuer, signed by a key it never published).</summary>
public sealed partial class OidcProvider
{
    // One foreign key per provider: "signed by someone else", with a kid the JWKS never lists (TEST ONLY).
    private readonly RsaSecurityKey _foreignKey = new(RSA.Create(2048)) { KeyId = "test-only-foreign" };

    /// <summary>An access token (JWT, <c>typ</c> <c>at+jwt</c>) for an API client, as the token endpoint
    /// would issue it, or spoiled as asked.</summary>
    /// <param name="clientId">The client: <c>sub</c> and <c>client_id</c>.</param>
    /// <param name="audience">The <c>aud</c>.</param>
    /// <param name="scopes">The <c>scope</c> values.</param>
    /// <param name="issuedAt">When it was issued (now by default); with <paramref name="lifetime"/> a
    /// past value makes an expired token.</param>
    /// <param name="lifetime">How long it lives (<see cref="AccessTokenLifetime"/> by default).</param>
    /// <param name="foreignKey">Signed by a key the provider never published.</param>
    /// <param name="issuer">Another issuer than <see cref="Authority"/>.</param>
    public string MintAccessToken(string clientId, string audience, IEnumerable<string>? scopes = null, DateTimeOffset? issuedAt = null,
        TimeSpan? lifetime = null, bool foreignKey = false, string? issuer = null)
    {
        var issued = issuedAt ?? DateTimeOffset.UtcNow;
        var payload = new JsonObject
        {
            ["iss"] = issuer ?? Authority.AbsoluteUri,
            ["sub"] = clientId,
            ["client_id"] = clientId,
            ["aud"] = audience,
            ["iat"] = issued.ToUnixTimeSeconds(),
            ["nbf"] = issued.ToUnixTimeSeconds(),
            ["exp"] = (issued + (lifetime ?? AccessTokenLifetime)).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        if (scopes is not null)
        {
            payload["scope"] = string.Join(' ', scopes);
        }

        return Sign(payload, foreignKey ? _foreignKey : CurrentKey(), "at+jwt");
    }

    /// <summary>The ID token <paramref name="idToken"/> spoiled as <paramref name="forgery"/> says.</summary>
    public string Spoil(string idToken, IdTokenForgery forgery)
    {
        ArgumentNullException.ThrowIfNull(idToken);
        var parts = idToken.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        var now = DateTimeOffset.UtcNow;
        switch (forgery)
        {
            case IdTokenForgery.None:
                return idToken;
            case IdTokenForgery.Tampered:
                payload["sub"] = payload["sub"]!.GetValue<string>() + "-x";
                payload[RolesClaim] = "admin";
                return parts[0] + "." + Base64UrlEncoder.Encode(payload.ToJsonString()) + "." + parts[2];
            case IdTokenForgery.Expired:
                payload["iat"] = now.AddHours(-2).ToUnixTimeSeconds();
                payload["nbf"] = now.AddHours(-2).ToUnixTimeSeconds();
                payload["exp"] = now.AddHours(-1).ToUnixTimeSeconds();
                return Sign(payload, CurrentKey(), "JWT");
            case IdTokenForgery.WrongAudience:
                payload["aud"] = "someone-else";
                payload.Remove("azp");
                return Sign(payload, CurrentKey(), "JWT");
            case IdTokenForgery.WrongIssuer:
                payload["iss"] = "http://127.0.0.1:1/";
                return Sign(payload, CurrentKey(), "JWT");
            case IdTokenForgery.ForeignKey:
                return Sign(payload, _foreignKey, "JWT");
            default:
                throw new ArgumentOutOfRangeException(nameof(forgery), forgery, null);
        }
    }

    private static string Sign(JsonObject payload, RsaSecurityKey key, string type)
    {
        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = key.KeyId, ["typ"] = type };
        var signed = Base64UrlEncoder.Encode(header.ToJsonString()) + "." + Base64UrlEncoder.Encode(payload.ToJsonString());
        var signature = key.Rsa.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64UrlEncoder.Encode(signature);
    }
}
