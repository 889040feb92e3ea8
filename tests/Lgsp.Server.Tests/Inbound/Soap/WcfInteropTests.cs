using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.ServiceModel;
using System.ServiceModel.Security;
using Lgsp.Server.Inbound.Soap;
using static Lgsp.Server.Tests.Inbound.Soap.SoapSamples;

namespace Lgsp.Server.Tests.Inbound.Soap;

/// <summary>
/// The WCF client, built from the hand-written contract, talks to a tiny Kestrel app that answers
/// with the codec: requests, responses, packages and faults interoperate in SOAP 1.1 and 1.2 before
/// the real hub exists.
/// </summary>
public class WcfInteropTests(EchoHub hub) : IClassFixture<EchoHub>
{
    public static TheoryData<SoapVersion> Versions => new() { SoapVersion.Soap11, SoapVersion.Soap12 };

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_wcf_client_sends_a_multi_megabyte_package_and_gets_its_sha256_back(SoapVersion version)
    {
        var package = RandomBytes(3 * 1024 * 1024 + 5, 11);

        var response = await Call(version, c => c.SendDocumentAsync(new SendDocumentRequest { Package = package }));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(package)), response.Sha256);
        Assert.Equal($"echo-{package.Length}", response.DocumentId);
        Assert.Equal(new DateTime(2026, 1, 31, 8, 0, 0, DateTimeKind.Utc), response.ReceivedAt.ToUniversalTime());
        Assert.False(response.Duplicate);
        Assert.Equal("<Receipt xmlns=\"urn:lgsp:receipt:1\"/>"u8.ToArray(), response.Receipt);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_wcf_client_downloads_a_multi_megabyte_package_byte_identical(SoapVersion version)
    {
        const int Size = 4 * 1024 * 1024 + 1;

        var response = await Call(version, c => c.GetDocumentAsync(new GetDocumentRequest { Id = Size }));

        Assert.Equal(SHA256.HashData(RandomBytes(Size, Size)), SHA256.HashData(response.Package));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Every_operation_round_trips_and_every_request_the_client_sends_is_valid_against_the_xsd(SoapVersion version)
    {
        var client = EdocClientFactory.Create(hub.Address, EchoHub.User, EchoHub.Secret, version);
        try
        {
            var status = await client.SendStatusAsync(new SendStatusRequest { Package = "<edXML/>"u8.ToArray() });
            var pending = await client.GetPendingDocumentsAsync(new GetPendingDocumentsRequest());
            var limited = await client.GetPendingDocumentsAsync(new GetPendingDocumentsRequest { Agency = "000.00.01.H56", MaxCount = 1 });
            var statuses = await client.GetPendingStatusesAsync(new GetPendingStatusesRequest { MaxCount = 10 });
            var confirmed = await client.ConfirmReceivedAsync(new ConfirmReceivedRequest { Id = 7, Outcome = Outcome.Fail, Reason = "Không đọc được" });
            var done = await client.ConfirmReceivedAsync(new ConfirmReceivedRequest { Id = 7, Outcome = Outcome.Done });
            var deliveries = await client.GetDeliveriesAsync(new GetDeliveriesRequest { DocumentId = "doc-1" });
            var trace = await client.GetTraceAsync(new GetTraceRequest { DocumentId = "doc-1" });
            var agencies = await client.GetAgenciesAsync(new GetAgenciesRequest { ChangedSince = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
            var allAgencies = await client.GetAgenciesAsync(new GetAgenciesRequest());
            client.Close();

            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("<edXML/>"u8)), status.Sha256);
            Assert.Equal(2, pending.Items.Length);
            Assert.Equal("V/v triển khai liên thông văn bản", pending.Items[0].Subject);
            Assert.Null(pending.Items[1].CodeNumber);
            Assert.Equal(1, Assert.Single(limited.Items).Id - 6);
            Assert.Equal("03", Assert.Single(statuses.Items).StatusCode);
            Assert.True(confirmed.Ok);
            Assert.True(done.Ok);
            Assert.Equal(["acknowledged", "pending"], deliveries.Deliveries.Select(d => d.State));
            Assert.Equal(new DateTime(2026, 1, 31, 8, 0, 0, 123, DateTimeKind.Utc), deliveries.Deliveries[0].DeliveredAt!.Value.ToUniversalTime());
            Assert.Null(deliveries.Deliveries[1].DeliveredAt);
            Assert.Null(deliveries.Deliveries[1].LastError);
            Assert.Equal("accepted", Assert.Single(trace.Events).Kind);
            Assert.Equal("Sở Tài chính", Assert.Single(agencies.Agencies).Name);
            Assert.False(agencies.Agencies[0].Active);
            Assert.Single(allAgencies.Agencies);
        }
        catch
        {
            client.Abort();
            throw;
        }

        var schemas = Compile("lgsp-edoc.xsd");
        var seen = hub.Requests.Where(r => r.Version == version).Select(r => r.Operation).ToHashSet();
        Assert.Superset(EdocContract.Operations.Except([EdocContract.SendDocument, EdocContract.GetDocument]).ToHashSet(), seen);
        foreach (var (_, _, body) in hub.Requests.Where(r => r.Version == version))
        {
            Validate(schemas, BodyChild(body).OuterXml);
        }
    }

    [Theory]
    [InlineData(SoapVersion.Soap11, "Client")]
    [InlineData(SoapVersion.Soap12, "Sender")]
    public async Task A_client_fault_reaches_the_wcf_client_as_a_typed_Error_fault(SoapVersion version, string code)
    {
        var fault = await Assert.ThrowsAsync<FaultException<Error>>(() => Call(version, c => c.GetDocumentAsync(new GetDocumentRequest { Id = 404 })));

        Assert.Equal(code, fault.Code.Name);
        Assert.Equal("NotFound", fault.Detail.Code);
        Assert.Equal("GetDocument/Id", fault.Detail.Field);
        Assert.Equal("No pending item has the identifier 404.", fault.Detail.Message);
        Assert.Equal("Không có mục đang chờ nào có mã 404.", fault.Detail.MessageVi);
        Assert.Equal("No pending item has the identifier 404.", fault.Message);
    }

    [Theory]
    [InlineData(SoapVersion.Soap11, "Server")]
    [InlineData(SoapVersion.Soap12, "Receiver")]
    public async Task A_server_fault_reaches_the_wcf_client_as_a_typed_Error_fault(SoapVersion version, string code)
    {
        var fault = await Assert.ThrowsAsync<FaultException<Error>>(() => Call(version, c => c.ConfirmReceivedAsync(new ConfirmReceivedRequest { Id = 500, Outcome = Outcome.Done })));

        Assert.Equal(code, fault.Code.Name);
        Assert.Equal(SoapErrors.InternalError, fault.Detail.Code);
        Assert.Contains("ref-500", fault.Detail.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_soap_1_2_sender_fault_sent_with_400_reaches_plain_wcf_as_a_protocol_error_without_its_detail()
    {
        var client = EdocClientFactory.Create(hub.Address, EchoHub.User, EchoHub.Secret, SoapVersion.Soap12, surfaceSoap12SenderFaults: false);
        try
        {
            var error = await Assert.ThrowsAsync<ProtocolException>(() => client.GetDocumentAsync(new GetDocumentRequest { Id = 404 }));

            Assert.Contains("400", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            client.Abort();
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Wrong_credentials_are_refused_with_401_and_the_basic_challenge_before_the_body_is_read(SoapVersion version)
    {
        var client = EdocClientFactory.Create(hub.Address, EchoHub.User, "wrong", version);
        var requestsBefore = hub.Requests.Count;
        try
        {
            var error = await Assert.ThrowsAsync<MessageSecurityException>(() => client.SendDocumentAsync(new SendDocumentRequest { Package = RandomBytes(2 * 1024 * 1024) }));

            Assert.Contains("Basic realm=\"lgsp\"", error.Message, StringComparison.Ordinal);
            Assert.Equal(requestsBefore, hub.Requests.Count);
        }
        finally
        {
            client.Abort();
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_wcf_client_is_challenged_once_then_sends_basic_credentials_up_front(SoapVersion version)
    {
        var client = EdocClientFactory.Create(hub.Address, EchoHub.User, EchoHub.Secret, version);
        var before = hub.Challenges;
        try
        {
            await client.GetTraceAsync(new GetTraceRequest { DocumentId = "doc-1" });
            await client.GetTraceAsync(new GetTraceRequest { DocumentId = "doc-1" });
            await client.SendDocumentAsync(new SendDocumentRequest { Package = RandomBytes(1024 * 1024) });
            client.Close();
        }
        catch
        {
            client.Abort();
            throw;
        }

        Assert.Equal(1, hub.Challenges - before);
        Assert.Contains("100-continue", hub.ExpectHeaders);
    }

    [Fact]
    public async Task A_401_carries_the_challenge_and_an_Unauthenticated_fault_in_the_version_asked()
    {
        using var http = new HttpClient();
        using var content = new ByteArrayContent(Envelope(SoapVersion.Soap12, OperationSamples[EdocContract.GetTrace]));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType(SoapVersion.Soap12, EdocContract.ActionOf(EdocContract.GetTrace)));

        using var response = await http.PostAsync(hub.Address, content);

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal(SoapResponseWriter.BasicChallenge, response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/soap+xml", response.Content.Headers.ContentType!.MediaType);
        var xml = await response.Content.ReadAsStringAsync();
        Assert.Contains("<Code>Unauthenticated</Code>", xml, StringComparison.Ordinal);
        Assert.Contains(SoapVersions.Soap12Namespace, xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wsdl_is_served_with_the_address_the_client_used()
    {
        using var http = new HttpClient();

        var wsdl = await http.GetStringAsync(new Uri(hub.Address + "?wsdl"));

        Assert.Contains($"location=\"{hub.Address}\"", wsdl, StringComparison.Ordinal);
        Assert.DoesNotContain(WsdlDocument.AddressToken, wsdl, StringComparison.Ordinal);
    }

    private async Task<T> Call<T>(SoapVersion version, Func<EdocClient, Task<T>> call)
    {
        var client = EdocClientFactory.Create(hub.Address, EchoHub.User, EchoHub.Secret, version);
        try
        {
            var result = await call(client);
            client.Close();
            return result;
        }
        catch
        {
            client.Abort();
            throw;
        }
    }
}
