using Lgsp.Server.Inbound.Auth;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Inbound.Auth;

/// <summary>How the hub reads the provider's keys: a token with an unknown <c>kid</c> reads them again at
/// most once per <c>Auth:Jwt:UnknownKeyRefetch</c>, and a provider that cannot be read refuses every token.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ProviderKeysTests(PostgresFixture postgres)
{
    private const string Recipient = "000.00.02.H56";

    [Fact]
    public async Task Within_the_refetch_interval_a_new_kid_is_refused_rather_than_read_again()
    {
        await using var gateway = await GatewayTokenHub.StartAsync(postgres, new Dictionary<string, string?> { ["Auth:Jwt:UnknownKeyRefetch"] = "01:00:00" });
        await using (var before = gateway.Client(await gateway.TokenForAsync(Recipient)))
        {
            await before.GetPendingDocumentsAsync(new GetPendingDocumentsRequest());
        }

        gateway.Provider.RotateSigningKey();
        var (status, _, response) = await gateway.PostPendingAsync(await gateway.TokenForAsync(Recipient));

        Assert.Equal(401, status);
        Assert.Equal(TokenErrors.InvalidTokenChallenge, response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(["soap/signature 1"], await gateway.RefusalsAsync());
    }

    [Fact]
    public async Task A_provider_that_cannot_be_read_refuses_every_token_as_keys_unavailable()
    {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        await using var gateway = await GatewayTokenHub.StartAsync(postgres, new Dictionary<string, string?> { ["Auth:Jwt:Authority"] = "http://127.0.0.1:1/" });

        var (status, _, response) = await gateway.PostPendingAsync(gateway.Provider.MintAccessToken(gateway.Hub.System(Recipient).Id, GatewayTokenHub.Audience));

        Assert.Equal(401, status);
        Assert.Equal(TokenErrors.InvalidTokenChallenge, response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(["soap/keys-unavailable 1"], await gateway.RefusalsAsync());
    }
}
