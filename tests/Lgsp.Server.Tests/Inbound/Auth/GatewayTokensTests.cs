using System.Net.Http.Headers;
using System.Xml.Linq;
using Lgsp.Server.Inbound.Soap;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Inbound.Auth;

/// <summary>Without <c>Auth:Jwt</c> the hub accepts no bearer token: the SOAP door answers it as a
/// missing Basic login, as before.</summary>
[Collection(PostgresCollection.Name)]
public sealed class GatewayTokensTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Without_a_configured_provider_a_bearer_token_gets_the_basic_401_as_before()
    {
        await using var hub = await RunningHub.StartAsync(postgres);
        using var request = new HttpRequestMessage(HttpMethod.Post, hub.SoapUri)
        {
            Content = new ByteArrayContent(SoapSamples.Envelope(SoapVersion.Soap11, $"<GetPendingDocuments xmlns=\"{EdocContract.Namespace}\"/>")),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(SoapSamples.ContentType(SoapVersion.Soap11, EdocContract.ActionOf("GetPendingDocuments")));
        request.Headers.Add("SOAPAction", $"\"{EdocContract.ActionOf("GetPendingDocuments")}\"");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln");

        using var response = await hub.Http.SendAsync(request);

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
        var body = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(SoapErrors.Unauthenticated, body.Descendants(XName.Get("Code", EdocContract.Namespace)).Single().Value);
    }
}
