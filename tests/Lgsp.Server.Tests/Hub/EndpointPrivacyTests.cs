using System.Net;
using System.Text.Json;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Tests.Inbound.Axis;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Hub;

/// <summary>A push endpoint's URL may carry credentials and tokens: the sender of a document never sees
/// it (GetDeliveries, GetTrace, getSentEdocList), the administrator does.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EndpointPrivacyTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Commune = PushingHub.Commune;
    private const string Pushed = PushingHub.Pushed;

    // Nothing listens on the discard port: the push fails, and its error quotes the URL and the host:port.
    private const string Endpoint = "http://user:secret@127.0.0.1:9/in?token=abc";
    private static readonly string[] Leaks = ["secret", "token=abc", "127.0.0.1:9"];
    private RunningHub _hub = null!;

    public async Task InitializeAsync()
    {
        _hub = await RunningHub.StartAsync(postgres, new Dictionary<string, string?> { ["Hub:Delivery:MaxAttempts"] = "1" });
        var directory = _hub.Services.GetRequiredService<IDirectoryStore>();
        await directory.SaveAgencyAsync((await directory.FindAgencyAsync(Pushed))! with { PushEndpoint = new Uri(Endpoint) }, "test");
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task A_failed_push_shows_the_sender_its_code_and_a_sentence_and_the_administrator_the_endpoint()
    {
        await using var client = _hub.Client(Commune);
        var sent = await client.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, [Pushed]) });
        var delivery = await RunningHub.WaitForDeliveryAsync(client, sent.DocumentId, Pushed, "failed", TimeSpan.FromSeconds(30));

        Assert.Equal("connection-refused", delivery.LastErrorCode);
        Assert.Equal("the receiving end refused the connection (gave up after 1 attempts)", delivery.LastError);
        var trace = (await client.GetTraceAsync(new GetTraceRequest { DocumentId = sent.DocumentId })).Events;
        Assert.Equal("agency:" + Pushed, Field(trace.Single(e => e.Kind == "attempt.started"), "peer"));
        Assert.Equal("connection-refused", Field(trace.Single(e => e.Kind == "attempt.failed"), "errorCode"));
        using var sdk = _hub.Sdk(Commune);
        var row = Assert.Single((await sdk.GetSentEdocListAsync(AxisHub.EdocList)).Items!);
        var seenBySender = string.Join("\n", trace.Select(e => e.Detail).Append(delivery.LastError).Append(row["receiveStatusDesc"]));
        Assert.All(Leaks, leak => Assert.DoesNotContain(leak, seenBySender, StringComparison.Ordinal));

        var admin = await _hub.GetAsAsync($"/admin/api/documents/{Uri.EscapeDataString(sent.DocumentId)}/trace", "admin", "admin-test-password");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("user:secret@127.0.0.1:9/in?token=abc", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string? Field(Inbound.Soap.TraceEvent e, string name) => JsonDocument.Parse(e.Detail).RootElement.GetProperty(name).GetString();
}
