using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lgsp.TestSupport.Oidc;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Lgsp.Server.Tests.Oidc;

/// <summary>The tests' OpenID Connect provider is a real one: what the console and the API's bearer
/// tokens are tested against holds here first.</summary>
public sealed partial class OidcProviderTests : IAsyncLifetime
{
    private static readonly Uri Callback = new("http://127.0.0.1:9/callback");
    private static readonly OidcPerson Auditor = OidcPerson.Of("kiemtoan", ["auditor"], "000.00.01.H56");
    private OidcProvider _provider = null!;
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true });

    public async Task InitializeAsync() => _provider = await OidcProvider.StartAsync([Auditor],
        [OidcClient.Web("console", "test-only-console-secret", Callback, new Uri("http://127.0.0.1:9/signed-out")),
         OidcClient.Api("api", "test-only-api-secret", "lgsp-admin")]);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task Discovery_names_the_issuer_its_endpoints_and_PKCE_with_S256()
    {
        var discovery = await _http.GetFromJsonAsync<JsonElement>(new Uri(_provider.Authority, ".well-known/openid-configuration"));

        Assert.Equal(_provider.Authority.AbsoluteUri, discovery.GetProperty("issuer").GetString());
        Assert.Equal(new Uri(_provider.Authority, "connect/authorize").AbsoluteUri, discovery.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(_provider.TokenEndpoint.AbsoluteUri, discovery.GetProperty("token_endpoint").GetString());
        Assert.Equal(new Uri(_provider.Authority, "connect/logout").AbsoluteUri, discovery.GetProperty("end_session_endpoint").GetString());
        Assert.Contains("S256", discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Client_credentials_give_an_access_token_for_the_clients_audience_signed_by_a_published_key()
    {
        var token = await ClientCredentialsAsync("api", "test-only-api-secret");

        var result = await ValidateAsync(token, "lgsp-admin");
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("api", result.Claims["sub"]);
        Assert.Equal(_provider.SigningKeyId, new JsonWebToken(token).Kid);
    }

    [Fact]
    public async Task A_wrong_client_secret_is_refused_at_the_token_endpoint()
    {
        using var answer = await _http.PostAsync(_provider.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "api", ["client_secret"] = "wrong",
        }));

        Assert.False(answer.IsSuccessStatusCode);
        Assert.Equal("invalid_client", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task After_a_key_rotation_tokens_carry_the_new_kid_and_the_old_key_is_no_longer_published()
    {
        var before = await ClientCredentialsAsync("api", "test-only-api-secret");
        var oldKid = _provider.SigningKeyId;

        var newKid = _provider.RotateSigningKey();
        var after = await ClientCredentialsAsync("api", "test-only-api-secret");

        Assert.NotEqual(oldKid, newKid);
        Assert.Equal(newKid, new JsonWebToken(after).Kid);
        Assert.True((await ValidateAsync(after, "lgsp-admin")).IsValid);
        Assert.False((await ValidateAsync(before, "lgsp-admin")).IsValid);
        Assert.Equal([newKid], (await JwksAsync()).Keys.Select(k => k.Kid));
    }

    [Fact]
    public async Task Minted_negative_tokens_fail_validation_for_the_reason_they_name()
    {
        Assert.True((await ValidateAsync(_provider.MintAccessToken("api", "lgsp-admin"), "lgsp-admin")).IsValid);
        Assert.IsType<SecurityTokenExpiredException>((await ValidateAsync(
            _provider.MintAccessToken("api", "lgsp-admin", issuedAt: DateTimeOffset.UtcNow.AddHours(-2), lifetime: TimeSpan.FromHours(1)), "lgsp-admin")).Exception);
        Assert.IsType<SecurityTokenInvalidAudienceException>((await ValidateAsync(_provider.MintAccessToken("api", "other"), "lgsp-admin")).Exception);
        Assert.IsType<SecurityTokenSignatureKeyNotFoundException>((await ValidateAsync(_provider.MintAccessToken("api", "lgsp-admin", foreignKey: true), "lgsp-admin")).Exception);
    }

    [Fact]
    public async Task Authorization_code_with_PKCE_signs_a_person_in_on_the_login_page_and_the_ID_token_carries_roles_and_agency()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = new Uri(_provider.Authority, "connect/authorize?" + string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = "console", ["redirect_uri"] = Callback.AbsoluteUri, ["response_type"] = "code", ["scope"] = "openid profile roles agency",
            ["nonce"] = "n-1", ["state"] = "s-1", ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        }.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value))));

        var page = await _http.GetStringAsync(authorize);
        Assert.Contains("name=\"username\"", page, StringComparison.Ordinal);
        var form = HiddenFields().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        form["username"] = Auditor.UserName;
        form["password"] = Auditor.Password;
        using var signedIn = await _http.PostAsync(new Uri(_provider.Authority, "connect/authorize"), new FormUrlEncodedContent(form));

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var back = signedIn.Headers.Location!;
        Assert.StartsWith(Callback.AbsoluteUri, back.AbsoluteUri, StringComparison.Ordinal);
        var code = Query(back)["code"];
        using var exchanged = await _http.PostAsync(_provider.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Callback.AbsoluteUri, ["code_verifier"] = verifier,
            ["client_id"] = "console", ["client_secret"] = "test-only-console-secret",
        }));
        var idToken = (await exchanged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id_token").GetString()!;

        var result = await ValidateAsync(idToken, "console");
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = new JsonWebToken(idToken);
        Assert.Equal(Auditor.Subject, jwt.Subject);
        Assert.Equal("n-1", jwt.GetClaim("nonce").Value);
        Assert.Equal(["auditor"], jwt.Claims.Where(c => c.Type == "roles").Select(c => c.Value));
        Assert.Equal(["000.00.01.H56"], jwt.Claims.Where(c => c.Type == "agency").Select(c => c.Value));
        Assert.Equal(1, _provider.LoginPageSignIns);
    }

    private async Task<string> ClientCredentialsAsync(string clientId, string secret)
    {
        using var answer = await _http.PostAsync(_provider.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        }));
        answer.EnsureSuccessStatusCode();
        return (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    private async Task<JsonWebKeySet> JwksAsync() =>
        new(await _http.GetStringAsync(new Uri(_provider.Authority, ".well-known/jwks")));

    private async Task<TokenValidationResult> ValidateAsync(string token, string audience) =>
        await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = _provider.Authority.AbsoluteUri,
            ValidAudience = audience,
            IssuerSigningKeys = (await JwksAsync()).GetSigningKeys(),
        });

    private static Dictionary<string, string> Query(Uri uri) => uri.Query.TrimStart('?').Split('&')
        .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenFields();
}
