using System.CommandLine;
using System.ServiceModel;
using System.Text.Json;
using Lgsp.Cli;
using Lgsp.Edxml.Model;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Storage;
using Lgsp.Server.Inbound.Soap;
using Lgsp.Server.Tests.Inbound.Soap;
using Lgsp.Server.Tests.Support;
using Lgsp.TestSupport.Packages;
using Lgsp.TestSupport.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace Lgsp.Server.Tests.Hub;

/// <summary>Packages as document systems connected to the national axis write them, sent through SOAP
/// to a running hub (docs/edxml.md, "Packages found in the wild"): a code in neither form is routed when
/// the directory holds it (legacy) or marks it as an exception (strict), refused otherwise; a trace
/// header never refuses.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PackagesFromTheWildTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string Commune = "000.00.61.H56";
    private const string AxisCode = "vxp.test.07";
    private const string LegacySystem = "qlvb-truc-07";
    private const string LegacySecret = "TEST ONLY legacy secret";
    private RunningHub _hub = null!;

    public async Task InitializeAsync() => _hub = await RunningHub.StartAsync(postgres, new Dictionary<string, string?> { ["Hub:TrustRefresh"] = "00:00:00" });

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private IDirectoryStore Directory => _hub.Services.GetRequiredService<IDirectoryStore>();

    [Fact]
    public async Task ALegacySystemSendingFromANonStandardCodeTheDirectoryHoldsIsAcceptedAndRoutedToItsRecipient()
    {
        await HoldAxisCodeAsync(exception: false);
        await AddLegacySystemAsync();
        await using var sender = EdocClientFactory.Create(_hub.SoapUri, LegacySystem, LegacySecret, SoapVersion.Soap11);

        var sent = await sender.SendDocumentAsync(new SendDocumentRequest { Package = TestPackages.Document(AxisCode, [Commune]) });

        await using var recipient = _hub.Client(Commune);
        var pending = Assert.Single((await recipient.GetPendingDocumentsAsync(new GetPendingDocumentsRequest())).Items);
        Assert.Equal((sent.DocumentId, AxisCode), (pending.DocumentId, pending.From));
        var received = await ReceivedDetailAsync(sender, sent.DocumentId);
        Assert.Equal("legacy", received.GetProperty("policy").GetString());
        Assert.Contains("InvalidAgencyCode MessageHeader/From/OrganId", received.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
    }

    [Fact]
    public async Task ALegacySystemSendingToANonStandardCodeTheDirectoryDoesNotHoldIsRefusedUnknownNonStandardCode()
    {
        await HoldAxisCodeAsync(exception: false);
        await AddLegacySystemAsync();
        await using var sender = EdocClientFactory.Create(_hub.SoapUri, LegacySystem, LegacySecret, SoapVersion.Soap11);

        var fault = await Assert.ThrowsAsync<FaultException<Error>>(() =>
            sender.SendDocumentAsync(new SendDocumentRequest { Package = TestPackages.Document(AxisCode, [Commune, "vxp.test.99"]) }));

        Assert.Equal(("UnknownNonStandardCode", "edXMLEnvelope/edXMLHeader/MessageHeader/To[2]/OrganId"), (fault.Detail.Code, fault.Detail.Field));
        Assert.Contains("vxp.test.99", fault.Detail.MessageVi, StringComparison.Ordinal);
        Assert.Equal(0L, await _hub.ScalarAsync("SELECT count(*) FROM lgsp.package"));
        Assert.Equal("UnknownNonStandardCode", await _hub.ScalarAsync("SELECT detail->>'code' FROM lgsp.ledger WHERE kind = 'package.refused'"));
    }

    [Fact]
    public async Task AStrictSystemSendingToACodeAddedWithNonstandardIsAcceptedAndTheDeliveryWaitsForIt()
    {
        await HoldAxisCodeAsync(exception: true);
        await using var sender = _hub.Client(Commune);

        var sent = await sender.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, [AxisCode]) });

        var delivery = Assert.Single((await sender.GetDeliveriesAsync(new GetDeliveriesRequest { DocumentId = sent.DocumentId })).Deliveries);
        Assert.Equal((AxisCode, "pending"), (delivery.Recipient, delivery.State));
    }

    [Fact]
    public async Task AStrictSystemSendingToANonStandardCodeTheDirectoryHoldsWithoutTheExceptionIsRefusedNamingTheField()
    {
        await HoldAxisCodeAsync(exception: false);
        await using var sender = _hub.Client(Commune);

        var fault = await Assert.ThrowsAsync<FaultException<Error>>(() =>
            sender.SendDocumentAsync(new SendDocumentRequest { Package = _hub.SignedDocument(Commune, [AxisCode]) }));

        Assert.Equal("InvalidAgencyCode", fault.Detail.Code);
        Assert.Contains("To[1]/OrganId", fault.Detail.Field, StringComparison.Ordinal);
        Assert.Equal(0L, await _hub.ScalarAsync("SELECT count(*) FROM lgsp.package"));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("02.03.G09")]
    [InlineData("TT5")]
    public async Task TraceHeaderJunkIsAcceptedUnderTheStrictPolicyWithAWarningInTheLedger(string organId)
    {
        var system = _hub.System(Commune);
        var package = TestPackages.Sign(
            TestPackages.Document(Commune, ["000.00.62.H56"], edit: d => d with { TraceHeaders = [new TraceHeader(organId, EdxmlTimestamp.From(new DateTime(2019, 3, 4, 5, 6, 7)))] }),
            system.CertPem, system.KeyPem);
        await using var sender = _hub.Client(Commune);

        var sent = await sender.SendDocumentAsync(new SendDocumentRequest { Package = package });

        var received = await ReceivedDetailAsync(sender, sent.DocumentId);
        Assert.Equal(("strict", "valid"), (received.GetProperty("policy").GetString(), received.GetProperty("signature").GetString()));
        Assert.Equal(["InvalidAgencyCode TraceHeaderList/TraceHeader[1]/OrganId"], received.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
    }

    // As the national axis's directory sync would bring it (exception: false), or as an administrator
    // accepts it with lgsp agencies add --nonstandard (exception: true).
    private async Task HoldAxisCodeAsync(bool exception)
    {
        if (!exception)
        {
            await Directory.SaveAgencyAsync(new Exchange.Directory.Agency(AxisCode, "Hệ thống thử nghiệm của trục", null, AgencyTier.Other, true, null, null, DateTimeOffset.UtcNow), "test");
            return;
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var exit = LgspCommand.Run(["agencies", "add", AxisCode, "--name", "Hệ thống thử nghiệm của trục", "--tier", "other", "--nonstandard", "--database", _hub.ConnectionString],
            new InvocationConfiguration { Output = output, Error = error });
        Assert.True(exit == 0, $"exit {exit}: {error}{output}");
    }

    private Task AddLegacySystemAsync() =>
        Directory.SaveClientSystemAsync(LegacySystem, SecretHash.Hash(LegacySecret), null, PackagePolicy.Legacy, [AxisCode], "test");

    private static async Task<JsonElement> ReceivedDetailAsync(EdocClient client, string documentId)
    {
        var events = (await client.GetTraceAsync(new GetTraceRequest { DocumentId = documentId })).Events;
        return JsonDocument.Parse(events.Single(e => e.Kind == "package.received").Detail).RootElement;
    }
}
