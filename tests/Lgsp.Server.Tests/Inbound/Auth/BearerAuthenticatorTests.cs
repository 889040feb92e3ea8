using System.Xml.Linq;
using Lgsp.Server.Inbound.Auth;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Inbound.Auth;

/// <summary>Gateway bearer tokens on the SOAP door of a real hub, issued by a real OpenID Connect provider:
/// a valid token acts as its client system's Basic login would; every bad token gets the same 401 with a
/// Bearer challenge and is counted by reason.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BearerAuthenticatorTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Sender = "000.00.61.H56";
    private const string Recipient = "000.00.02.H56";
    private static readonly XNamespace Edoc = "urn:lgsp:edoc:1";
    private GatewayTokenHub _gateway = null!;

    private RunningHub Hub => _gateway.Hub;

    public async Task InitializeAsync() => _gateway = await GatewayTokenHub.StartAsync(postgres);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    /// <summary>The ways a token goes wrong, and the reason each is counted under.</summary>
    public enum Spoilt
    {
        UnknownSystem,
        Expired,
        NotYetValid,
        ForeignKey,
        WrongAudience,
        WrongIssuer,
        Tampered,
        Unsigned,
        HmacWithThePublicKey,
    }

    [Fact]
    public async Task A_gateway_token_sends_and_fetches_as_its_client_system_with_the_same_ledger_actor_as_its_basic_login()
    {
        await using var sender = _gateway.Client(await _gateway.TokenForAsync(Sender));
        await using var recipient = _gateway.Client(await _gateway.TokenForAsync(Recipient));

        var sent = await sender.SendDocumentAsync(new SendDocumentRequest { Package = Hub.SignedDocument(Sender, [Recipient]) });
        var pending = await recipient.GetPendingDocumentsAsync(new GetPendingDocumentsRequest());
        var byBasic = await Hub.SendDocumentAsync(Sender, Recipient);

        Assert.Contains(pending.Items, i => i.DocumentId == sent.DocumentId && i.From == Sender);
        var actor = await ActorOfReceivedAsync(sent.DocumentId);
        Assert.Equal(Hub.System(Sender).Id, actor);
        Assert.Equal(await ActorOfReceivedAsync(byBasic), actor);
    }

    [Theory]
    [InlineData(Spoilt.UnknownSystem, "unknown-system")]
    [InlineData(Spoilt.Expired, "expired")]
    [InlineData(Spoilt.NotYetValid, "not-yet-valid")]
    [InlineData(Spoilt.ForeignKey, "signature")]
    [InlineData(Spoilt.WrongAudience, "audience")]
    [InlineData(Spoilt.WrongIssuer, "issuer")]
    [InlineData(Spoilt.Tampered, "signature")]
    [InlineData(Spoilt.Unsigned, "signature")]
    [InlineData(Spoilt.HmacWithThePublicKey, "signature")]
    public async Task A_spoilt_token_gets_401_invalid_token_with_a_bearer_challenge_and_is_counted_by_reason(Spoilt spoilt, string reason)
    {
        var token = await SpoiltTokenAsync(spoilt);

        var (status, body, response) = await _gateway.PostPendingAsync(token);

        Assert.Equal(401, status);
        Assert.Equal(TokenErrors.InvalidTokenChallenge, response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(TokenErrors.InvalidToken, body.Descendants(Edoc + "Code").Single().Value);
        Assert.Equal(TokenErrors.Create(TokenErrors.InvalidToken).MessageVi, body.Descendants(Edoc + "MessageVi").Single().Value);
        Assert.Equal([$"soap/{reason} 1"], await _gateway.RefusalsAsync());
    }

    [Fact]
    public async Task Every_spoilt_token_gets_the_same_answer_whatever_the_reason()
    {
        var answers = new List<string>();
        foreach (var spoilt in Enum.GetValues<Spoilt>())
        {
            var (_, body, response) = await _gateway.PostPendingAsync(await SpoiltTokenAsync(spoilt));
            answers.Add($"{(int)response.StatusCode} {response.Headers.WwwAuthenticate} {body.Descendants(Edoc + "Error").Single()}");
        }

        Assert.Single(answers.Distinct());
    }

    [Fact]
    public async Task A_disabled_client_system_is_refused_with_its_token_as_with_its_basic_login()
    {
        var system = Hub.System(Recipient);
        var token = await _gateway.TokenForAsync(Recipient);
        await Hub.ScalarAsync($"UPDATE lgsp.client_system SET active = false WHERE id = '{system.Id}'");

        var (tokenStatus, _, _) = await _gateway.PostPendingAsync(token);
        var (basicStatus, _, _) = await Hub.PostAsync("GetPendingDocuments", "", system.Id, system.Secret);

        Assert.Equal(401, tokenStatus);
        Assert.Equal(401, basicStatus);
        Assert.Equal(["soap/unknown-system 1"], await _gateway.RefusalsAsync());
    }

    [Fact]
    public async Task A_key_rotation_at_the_provider_is_picked_up_without_restarting_the_hub()
    {
        var documentId = await Hub.SendDocumentAsync(Sender, Recipient);
        await using (var before = _gateway.Client(await _gateway.TokenForAsync(Recipient)))
        {
            await before.GetPendingDocumentsAsync(new GetPendingDocumentsRequest());
        }

        var newKid = _gateway.Provider.RotateSigningKey();
        var token = await _gateway.TokenForAsync(Recipient);
        await using var after = _gateway.Client(token);
        var pending = await after.GetPendingDocumentsAsync(new GetPendingDocumentsRequest());

        Assert.Equal(newKid, new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Kid);
        Assert.Contains(pending.Items, i => i.DocumentId == documentId);
        Assert.Empty(await _gateway.RefusalsAsync());
    }

    [Fact]
    public async Task Basic_logins_work_as_before_beside_tokens()
    {
        var system = Hub.System(Recipient);

        var (good, _, _) = await Hub.PostAsync("GetPendingDocuments", "", system.Id, system.Secret);
        var (bad, body, response) = await Hub.PostAsync("GetPendingDocuments", "", system.Id, "not-the-secret");

        Assert.Equal(200, good);
        Assert.Equal(401, bad);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("Unauthenticated", body.Descendants(Edoc + "Code").Single().Value);
    }

    private async Task<string> SpoiltTokenAsync(Spoilt spoilt)
    {
        var provider = _gateway.Provider;
        var system = Hub.System(Recipient).Id;
        return spoilt switch
        {
            Spoilt.UnknownSystem => provider.MintAccessToken("qlvb-not-registered", GatewayTokenHub.Audience),
            Spoilt.Expired => provider.MintAccessToken(system, GatewayTokenHub.Audience, issuedAt: DateTimeOffset.UtcNow.AddHours(-2), lifetime: TimeSpan.FromHours(1)),
            Spoilt.NotYetValid => provider.MintAccessToken(system, GatewayTokenHub.Audience, issuedAt: DateTimeOffset.UtcNow.AddHours(1)),
            Spoilt.ForeignKey => provider.MintAccessToken(system, GatewayTokenHub.Audience, foreignKey: true),
            Spoilt.WrongAudience => provider.MintAccessToken(system, "another-service"),
            Spoilt.WrongIssuer => provider.MintAccessToken(system, GatewayTokenHub.Audience, issuer: "http://127.0.0.1:1/"),
            Spoilt.Tampered => GatewayTokenHub.Tampered(await _gateway.TokenForAsync(Recipient), "client_id", Hub.System(Sender).Id),
            Spoilt.Unsigned => GatewayTokenHub.Unsigned(await _gateway.TokenForAsync(Recipient)),
            Spoilt.HmacWithThePublicKey => await _gateway.HmacWithThePublicKeyAsync(await _gateway.TokenForAsync(Recipient)),
            _ => throw new ArgumentOutOfRangeException(nameof(spoilt)),
        };
    }

    private async Task<string?> ActorOfReceivedAsync(string documentId) =>
        (string?)await Hub.ScalarAsync($"SELECT actor FROM lgsp.ledger WHERE kind = 'package.received' AND document_id = '{documentId.Replace("'", "''")}'");
}
