using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Lgsp.Server.Demo;
using Lgsp.Server.Inbound.Soap;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Oidc;
using Lgsp.TestSupport.Postgres;
using Microsoft.IdentityModel.Tokens;

namespace Lgsp.Server.Tests.Inbound.Auth;

/// <summary>A real hub whose SOAP and admin doors accept bearer tokens of a real OpenID Connect provider on
/// loopback (<see cref="OidcProvider"/>), where every demo client system is registered as an API client
/// (client credentials, secret <c>test-only-{id}</c>) with the hub's audience.</summary>
public sealed class GatewayTokenHub : IAsyncDisposable
{
    /// <summary>The audience the hub expects.</summary>
    public const string Audience = "lgsp-hub";

    /// <summary>The agency whose system has the admin right (<c>Auth:Jwt:AdminSystems</c>).</summary>
    public const string AdminAgency = "000.00.00.H56";

    /// <summary>Its system.</summary>
    public static string AdminSystem => DemoProvince.Agencies.Single(a => a.Code == AdminAgency).System;

    private GatewayTokenHub(OidcProvider provider, RunningHub hub) => (Provider, Hub) = (provider, hub);

    /// <summary>The provider.</summary>
    public OidcProvider Provider { get; }

    /// <summary>The hub.</summary>
    public RunningHub Hub { get; }

    /// <summary>Starts the provider, then the hub configured for it; <paramref name="settings"/> override
    /// the hub's configuration.</summary>
    public static async Task<GatewayTokenHub> StartAsync(PostgresFixture postgres, IDictionary<string, string?>? settings = null)
    {
        var provider = await OidcProvider.StartAsync([], DemoProvince.Agencies.Select(a => OidcClient.Api(a.System, "test-only-" + a.System, Audience)));
        try
        {
            var configuration = new Dictionary<string, string?>
            {
                ["Auth:Jwt:Authority"] = provider.Authority.AbsoluteUri,
                ["Auth:Jwt:Audience"] = Audience,
                ["Auth:Jwt:RequireHttps"] = "false",
                ["Auth:Jwt:UnknownKeyRefetch"] = "00:00:00",

                // A fresh provider's first answer can take seconds on a loaded machine (OpenIddict starting up).
                ["Auth:Jwt:FetchTimeout"] = "00:01:00",
                ["Auth:Jwt:AdminSystems:0"] = AdminSystem,
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                configuration[key] = value;
            }

            return new GatewayTokenHub(provider, await RunningHub.StartAsync(postgres, configuration));
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    /// <summary>An access token for the system acting for <paramref name="agency"/>, from the provider's
    /// token endpoint (client credentials).</summary>
    public Task<string> TokenForAsync(string agency) => ClientCredentialsAsync(Hub.System(agency).Id);

    /// <summary>An access token from the token endpoint for the registered API client <paramref name="clientId"/>.</summary>
    public async Task<string> ClientCredentialsAsync(string clientId)
    {
        using var http = new HttpClient();
        using var answer = await http.PostAsync(Provider.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = Provider.Clients[clientId].Secret!,
        }));
        answer.EnsureSuccessStatusCode();
        var json = await answer.Content.ReadFromJsonAsync<JsonElement>();
        return json.GetProperty("access_token").GetString()!;
    }

    /// <summary>A SOAP client sending <paramref name="token"/>.</summary>
    public EdocClient Client(string token) => EdocClientFactory.CreateWithToken(Hub.SoapUri, token);

    /// <summary>Posts a raw SOAP 1.1 <c>GetPendingDocuments</c> with <paramref name="token"/>.</summary>
    public async Task<(int Status, XDocument Body, HttpResponseMessage Response)> PostPendingAsync(string token)
    {
        var envelope = SoapSamples.Envelope(SoapVersion.Soap11, $"<GetPendingDocuments xmlns=\"{EdocContract.Namespace}\"/>");
        using var content = new ByteArrayContent(envelope);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(SoapSamples.ContentType(SoapVersion.Soap11, EdocContract.ActionOf("GetPendingDocuments")));
        using var request = new HttpRequestMessage(HttpMethod.Post, Hub.SoapUri) { Content = content };
        request.Headers.Add("SOAPAction", $"\"{EdocContract.ActionOf("GetPendingDocuments")}\"");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await Hub.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? new XDocument() : XDocument.Parse(text), response);
    }

    /// <summary>An admin API request with <paramref name="token"/> and, when given, a JSON body.</summary>
    public async Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Hub.Http.SendAsync(request);
    }

    /// <summary>The lines of <c>lgsp_tokens_refused_total</c> with a count, as <c>door/reason count</c>.</summary>
    public async Task<IReadOnlyList<string>> RefusalsAsync()
    {
        const string prefix = "lgsp_tokens_refused_total{door=\"";
        return [.. (await Hub.Http.GetStringAsync("/metrics")).Split('\n')
            .Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Select(l => l[prefix.Length..].Replace("\",reason=\"", "/", StringComparison.Ordinal).Replace("\"}", "", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary><paramref name="token"/> with its payload's <paramref name="claim"/> changed after signing.</summary>
    public static string Tampered(string token, string claim, string value)
    {
        var parts = token.Split('.');
        var payload = System.Text.Json.Nodes.JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload[claim] = value;
        return parts[0] + "." + Base64UrlEncoder.Encode(payload.ToJsonString()) + "." + parts[2];
    }

    /// <summary><paramref name="token"/>'s claims with <c>alg</c> <c>none</c> and no signature.</summary>
    public static string Unsigned(string token) =>
        Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + token.Split('.')[1] + ".";

    /// <summary><paramref name="token"/>'s claims signed with HMAC-SHA256 under the provider's published RSA
    /// key (its modulus as the HMAC secret), naming that key's <c>kid</c>: the algorithm-confusion attack.</summary>
    public async Task<string> HmacWithThePublicKeyAsync(string token)
    {
        using var http = new HttpClient();
        var discovery = await http.GetFromJsonAsync<JsonElement>(new Uri(Provider.Authority, ".well-known/openid-configuration"));
        var jwks = await http.GetFromJsonAsync<JsonElement>(discovery.GetProperty("jwks_uri").GetString());
        var key = jwks.GetProperty("keys")[0];
        var header = Base64UrlEncoder.Encode($"{{\"alg\":\"HS256\",\"kid\":\"{key.GetProperty("kid").GetString()}\",\"typ\":\"at+jwt\"}}");
        var signed = header + "." + token.Split('.')[1];
        var mac = System.Security.Cryptography.HMACSHA256.HashData(Base64UrlEncoder.DecodeBytes(key.GetProperty("n").GetString()!), System.Text.Encoding.ASCII.GetBytes(signed));
        return signed + "." + Base64UrlEncoder.Encode(mac);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Provider.DisposeAsync();
    }
}
