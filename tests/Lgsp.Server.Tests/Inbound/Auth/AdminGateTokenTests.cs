using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lgsp.Server.Inbound.Auth;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Inbound.Auth;

/// <summary>Gateway bearer tokens on the admin API of a real hub: a system named in
/// <c>Auth:Jwt:AdminSystems</c> gets in and is the ledger's actor; any other valid token gets 403, a
/// spoilt one 401; the administrator's Basic login works as before.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AdminGateTokenTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Sender = "000.00.61.H56";
    private const string Recipient = "000.00.02.H56";
    private GatewayTokenHub _gateway = null!;

    private RunningHub Hub => _gateway.Hub;

    public async Task InitializeAsync() => _gateway = await GatewayTokenHub.StartAsync(postgres);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_token_of_a_system_with_the_admin_right_lists_and_replays_deliveries_as_that_system()
    {
        var id = await FailedDeliveryAsync();
        var token = await _gateway.TokenForAsync(GatewayTokenHub.AdminAgency);

        using var list = await _gateway.AdminAsync(HttpMethod.Get, "/admin/api/deliveries?state=failed", token);
        using var replay = await _gateway.AdminAsync(HttpMethod.Post, $"/admin/api/deliveries/{id}/replay", token, new { reason = "the clerk refused by mistake" });

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var listed = await list.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(listed.GetProperty("deliveries").EnumerateArray(), d => d.GetProperty("id").GetInt64() == id);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(1, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        Assert.Equal(GatewayTokenHub.AdminSystem, await Hub.ScalarAsync($"SELECT actor FROM lgsp.ledger WHERE kind = 'delivery.replayed' AND delivery_id = {id}"));
    }

    [Fact]
    public async Task A_valid_token_of_a_system_without_the_admin_right_gets_403_with_an_insufficient_scope_challenge()
    {
        var token = await _gateway.TokenForAsync(Sender);

        using var response = await _gateway.AdminAsync(HttpMethod.Get, "/admin/api/deliveries", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(TokenErrors.AdminChallenge, response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(TokenErrors.AdminRightRequired, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(["admin/no-admin-right 1"], await _gateway.RefusalsAsync());
    }

    [Fact]
    public async Task An_expired_token_of_the_admin_system_gets_401_invalid_token_on_the_admin_api()
    {
        var token = _gateway.Provider.MintAccessToken(GatewayTokenHub.AdminSystem, GatewayTokenHub.Audience,
            issuedAt: DateTimeOffset.UtcNow.AddHours(-2), lifetime: TimeSpan.FromHours(1));

        using var response = await _gateway.AdminAsync(HttpMethod.Get, "/admin/api/deliveries", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(TokenErrors.InvalidTokenChallenge, response.Headers.WwwAuthenticate.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(TokenErrors.InvalidToken, body.GetProperty("code").GetString());
        Assert.Equal(TokenErrors.Create(TokenErrors.InvalidToken).MessageVi, body.GetProperty("messageVi").GetString());
        Assert.Equal(["admin/expired 1"], await _gateway.RefusalsAsync());
    }

    [Fact]
    public async Task The_administrators_basic_login_opens_the_admin_api_as_before_and_a_systems_does_not()
    {
        var system = Hub.System(GatewayTokenHub.AdminAgency);

        using var admin = await Hub.GetAsAsync("/admin/api/deliveries", "admin", "admin-test-password");
        using var asSystem = await Hub.GetAsAsync("/admin/api/deliveries", system.Id, system.Secret);

        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, asSystem.StatusCode);
        Assert.Equal("Basic", asSystem.Headers.WwwAuthenticate.Single().Scheme);
    }

    /// <summary>A pull delivery its recipient refused (<c>ConfirmReceived fail</c>): failed, replayable.</summary>
    private async Task<long> FailedDeliveryAsync()
    {
        var documentId = await Hub.SendDocumentAsync(Sender, Recipient);
        await using var recipient = Hub.Client(Recipient);
        var item = (await recipient.GetPendingDocumentsAsync(new GetPendingDocumentsRequest())).Items.Single(i => i.DocumentId == documentId);
        await recipient.ConfirmReceivedAsync(new ConfirmReceivedRequest { Id = item.Id, Outcome = Outcome.Fail, Reason = "not ours" });
        return item.Id;
    }
}
