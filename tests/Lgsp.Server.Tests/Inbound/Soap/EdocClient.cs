using System.Net;
using System.Net.Http.Headers;
using System.ServiceModel;
using System.ServiceModel.Channels;
using System.ServiceModel.Description;
using System.ServiceModel.Dispatcher;
using System.Xml;
using System.Xml.Serialization;
using Lgsp.Server.Inbound.Soap;

// The WCF client contract of urn:lgsp:edoc:1, written by hand to match schemas/lgsp-edoc.wsdl rather
// than generated. EdocClientContractTests parses the WSDL and the XSD and fails when the two drift.
namespace Lgsp.Server.Tests.Inbound.Soap;

/// <summary>The namespace every message of the service uses.</summary>
internal static class Edoc
{
    public const string Ns = "urn:lgsp:edoc:1";
}

/// <summary>The portType <c>Edoc</c>.</summary>
[ServiceContract(Name = "Edoc", Namespace = Edoc.Ns)]
[XmlSerializerFormat(Style = OperationFormatStyle.Document, SupportFaults = true)]
public interface IEdoc
{
    [OperationContract(Action = Edoc.Ns + "/SendDocument", ReplyAction = Edoc.Ns + "/SendDocumentResponse")]
    [FaultContract(typeof(Error), Name = "Error", Namespace = Edoc.Ns)]
    Task<SendDocumentResponse> SendDocumentAsync(SendDocumentRequest request);

    [OperationContract(Action = Edoc.Ns + "/SendStatus", ReplyAction = Edoc.Ns + "/SendStatusResponse")]
    [FaultContract(typeof(Error), Name = "Error", Namespace = Edoc.Ns)]
    Task<SendStatusResponse> SendStatusAsync(SendStatusRequest request);

    [OperationContract(Action = Edoc.Ns + "/GetPendingDocuments", ReplyAction = Edoc.Ns + "/GetPendingDocumentsResponse")]
    [FaultContract(typeof(Error), Name = "Error", Namespace = Edoc.Ns)]
    Task<GetPendingDocumentsResponse> GetPendingDocumentsAsync(GetPendingDocumentsRequest request);

    [OperationContract(Action = Edoc.Ns + "/GetPendingStatuses", ReplyAction = Edoc.Ns + "/GetPendingStatusesResponse")]
    [FaultContract(typeof(Error), Name = "Error", Namespace = Edoc.Ns)]
    Task<GetPendingStatusesResponse> GetPendingStatusesAsync(GetPendingStatusesRequest request);

    [OperationContract(Action = Edoc.Ns + "/GetDocument", ReplyAction = Edoc.Ns + "/GetDocumentResponse")]
    [FaultContract(typeof(Error), Name = "Error", Namespace = Edoc.Ns)]
    Task<GetDocumentResponse> GetDocumentAsync(GetDocumentRequest request);

    [OperationContract(Action = Edoc.Ns + "/ConfirmReceived", ReplyAction = Edoc.Ns + "/ConfirmReceivedResponse")]
    [FaultContract(typeof(Error), Name = "Error", Namespace = Edoc.Ns)]
    Task<ConfirmReceivedResponse> ConfirmReceivedAsync(ConfirmReceivedRequest request);

    [OperationContract(Action = Edoc.Ns + "/GetDeliveries", ReplyAction = Edoc.Ns + "/GetDeliveriesResponse")]
    [FaultContract(typeof(Error), Name = "Error", Namespace = Edoc.Ns)]
    Task<GetDeliveriesResponse> GetDeliveriesAsync(GetDeliveriesRequest request);

    [OperationContract(Action = Edoc.Ns + "/GetTrace", ReplyAction = Edoc.Ns + "/GetTraceResponse")]
    [FaultContract(typeof(Error), Name = "Error", Namespace = Edoc.Ns)]
    Task<GetTraceResponse> GetTraceAsync(GetTraceRequest request);

    [OperationContract(Action = Edoc.Ns + "/GetAgencies", ReplyAction = Edoc.Ns + "/GetAgenciesResponse")]
    [FaultContract(typeof(Error), Name = "Error", Namespace = Edoc.Ns)]
    Task<GetAgenciesResponse> GetAgenciesAsync(GetAgenciesRequest request);
}

// ---- Faults ----

/// <summary>The detail of every fault.</summary>
[XmlRoot("Error", Namespace = Edoc.Ns)]
[XmlType("Error", Namespace = Edoc.Ns)]
public sealed class Error
{
    [XmlElement(Order = 0)] public string Code { get; set; } = "";
    [XmlElement(Order = 1)] public string Field { get; set; } = "";
    [XmlElement(Order = 2)] public string Message { get; set; } = "";
    [XmlElement(Order = 3)] public string MessageVi { get; set; } = "";
}

// ---- Send a package ----

[MessageContract(WrapperName = "SendDocument", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class SendDocumentRequest
{
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 0)] public byte[] Package { get; set; } = [];
}

[MessageContract(WrapperName = "SendDocumentResponse", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class SendDocumentResponse
{
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 0)] public string DocumentId { get; set; } = "";
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 1)] public string Sha256 { get; set; } = "";
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 2)] public DateTime ReceivedAt { get; set; }
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 3)] public bool Duplicate { get; set; }
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 4)] public byte[] Receipt { get; set; } = [];
}

[MessageContract(WrapperName = "SendStatus", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class SendStatusRequest
{
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 0)] public byte[] Package { get; set; } = [];
}

[MessageContract(WrapperName = "SendStatusResponse", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class SendStatusResponse
{
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 0)] public string DocumentId { get; set; } = "";
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 1)] public string Sha256 { get; set; } = "";
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 2)] public DateTime ReceivedAt { get; set; }
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 3)] public bool Duplicate { get; set; }
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 4)] public byte[] Receipt { get; set; } = [];
}

// ---- Pull what is waiting ----

[MessageContract(WrapperName = "GetPendingDocuments", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class GetPendingDocumentsRequest
{
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 0)] public string? Agency { get; set; }
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 1)] public int? MaxCount { get; set; }
}

[MessageContract(WrapperName = "GetPendingDocumentsResponse", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class GetPendingDocumentsResponse
{
    [MessageBodyMember(Name = "Item", Namespace = Edoc.Ns, Order = 0)]
    [XmlElement("Item")]
    public PendingDocument[] Items { get; set; } = [];
}

[XmlType(Namespace = Edoc.Ns)]
public sealed class PendingDocument
{
    [XmlElement(Order = 0)] public long Id { get; set; }
    [XmlElement(Order = 1)] public string DocumentId { get; set; } = "";
    [XmlElement(Order = 2)] public string From { get; set; } = "";
    [XmlElement(Order = 3)] public string To { get; set; } = "";
    [XmlElement(Order = 4)] public string? CodeNumber { get; set; }
    [XmlElement(Order = 5)] public string? CodeNotation { get; set; }
    [XmlElement(Order = 6)] public string? Subject { get; set; }
    [XmlElement(Order = 7)] public DateTime ReceivedAt { get; set; }
    [XmlElement(Order = 8)] public long Size { get; set; }
}

[MessageContract(WrapperName = "GetPendingStatuses", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class GetPendingStatusesRequest
{
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 0)] public string? Agency { get; set; }
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 1)] public int? MaxCount { get; set; }
}

[MessageContract(WrapperName = "GetPendingStatusesResponse", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class GetPendingStatusesResponse
{
    [MessageBodyMember(Name = "Item", Namespace = Edoc.Ns, Order = 0)]
    [XmlElement("Item")]
    public PendingStatus[] Items { get; set; } = [];
}

[XmlType(Namespace = Edoc.Ns)]
public sealed class PendingStatus
{
    [XmlElement(Order = 0)] public long Id { get; set; }
    [XmlElement(Order = 1)] public string DocumentId { get; set; } = "";
    [XmlElement(Order = 2)] public string From { get; set; } = "";
    [XmlElement(Order = 3)] public string To { get; set; } = "";
    [XmlElement(Order = 4)] public string StatusCode { get; set; } = "";
    [XmlElement(Order = 5)] public DateTime ReceivedAt { get; set; }
}

[MessageContract(WrapperName = "GetDocument", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class GetDocumentRequest
{
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 0)] public long Id { get; set; }
}

[MessageContract(WrapperName = "GetDocumentResponse", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class GetDocumentResponse
{
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 0)] public byte[] Package { get; set; } = [];
}

/// <summary>The XSD's Outcome enumeration.</summary>
[XmlType(Namespace = Edoc.Ns)]
public enum Outcome
{
    [XmlEnum("done")] Done,
    [XmlEnum("fail")] Fail,
}

[MessageContract(WrapperName = "ConfirmReceived", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class ConfirmReceivedRequest
{
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 0)] public long Id { get; set; }
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 1)] public Outcome Outcome { get; set; }
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 2)] public string? Reason { get; set; }
}

[MessageContract(WrapperName = "ConfirmReceivedResponse", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class ConfirmReceivedResponse
{
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 0)] public bool Ok { get; set; }
}

// ---- Follow a document ----

[MessageContract(WrapperName = "GetDeliveries", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class GetDeliveriesRequest
{
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 0)] public string DocumentId { get; set; } = "";
}

[MessageContract(WrapperName = "GetDeliveriesResponse", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class GetDeliveriesResponse
{
    [MessageBodyMember(Name = "Delivery", Namespace = Edoc.Ns, Order = 0)]
    [XmlElement("Delivery")]
    public Delivery[] Deliveries { get; set; } = [];
}

[XmlType(Namespace = Edoc.Ns)]
public sealed class Delivery
{
    [XmlElement(Order = 0)] public string Recipient { get; set; } = "";
    [XmlElement(Order = 1)] public string State { get; set; } = "";
    [XmlElement(Order = 2)] public int Attempts { get; set; }
    [XmlElement(Order = 3)] public string? LastError { get; set; }
    [XmlElement(Order = 4)] public DateTime? DeliveredAt { get; set; }
    [XmlElement(Order = 5)] public DateTime? AcknowledgedAt { get; set; }
    [XmlElement(Order = 6)] public string? LastStatusCode { get; set; }
    [XmlElement(Order = 7)] public string? Via { get; set; }
    [XmlElement(Order = 8)] public string? PeerDocId { get; set; }
    [XmlElement(Order = 9)] public string? LastErrorCode { get; set; }
    [XmlElement(Order = 10)] public DateTime? NextAttemptAt { get; set; }
}

[MessageContract(WrapperName = "GetTrace", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class GetTraceRequest
{
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 0)] public string DocumentId { get; set; } = "";
}

[MessageContract(WrapperName = "GetTraceResponse", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class GetTraceResponse
{
    [MessageBodyMember(Name = "Event", Namespace = Edoc.Ns, Order = 0)]
    [XmlElement("Event")]
    public TraceEvent[] Events { get; set; } = [];
}

[XmlType(Namespace = Edoc.Ns)]
public sealed class TraceEvent
{
    [XmlElement(Order = 0)] public long Seq { get; set; }
    [XmlElement(Order = 1)] public DateTime At { get; set; }
    [XmlElement(Order = 2)] public string Kind { get; set; } = "";
    [XmlElement(Order = 3)] public string Actor { get; set; } = "";
    [XmlElement(Order = 4)] public string Detail { get; set; } = "";
    [XmlElement(Order = 5)] public string? Recipient { get; set; }
    [XmlElement(Order = 6, DataType = "base64Binary")] public byte[]? PeerReceipt { get; set; }
    [XmlElement(Order = 7)] public string? PreviousReceiptSha256 { get; set; }
    [XmlElement(Order = 8)] public long? PeerReceiptSameAs { get; set; }
}

// ---- The directory ----

[MessageContract(WrapperName = "GetAgencies", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class GetAgenciesRequest
{
    [MessageBodyMember(Namespace = Edoc.Ns, Order = 0)] public DateTime? ChangedSince { get; set; }
}

[MessageContract(WrapperName = "GetAgenciesResponse", WrapperNamespace = Edoc.Ns, IsWrapped = true)]
public sealed class GetAgenciesResponse
{
    [MessageBodyMember(Name = "Agency", Namespace = Edoc.Ns, Order = 0)]
    [XmlElement("Agency")]
    public Agency[] Agencies { get; set; } = [];
}

[XmlType(Namespace = Edoc.Ns)]
public sealed class Agency
{
    [XmlElement(Order = 0)] public string Code { get; set; } = "";
    [XmlElement(Order = 1)] public string Name { get; set; } = "";
    [XmlElement(Order = 2)] public string? ParentCode { get; set; }
    [XmlElement(Order = 3)] public string Tier { get; set; } = "";
    [XmlElement(Order = 4)] public bool Active { get; set; }
    [XmlElement(Order = 5)] public string? SuccessorCode { get; set; }
}

// ---- The client ----

/// <summary>A client of the service, in the shape WCF's code generator gives one.</summary>
public sealed class EdocClient : ClientBase<IEdoc>, IEdoc
{
    public EdocClient(Binding binding, EndpointAddress address)
        : base(binding, address)
    {
    }

    public Task<SendDocumentResponse> SendDocumentAsync(SendDocumentRequest request) => Channel.SendDocumentAsync(request);

    public Task<SendStatusResponse> SendStatusAsync(SendStatusRequest request) => Channel.SendStatusAsync(request);

    public Task<GetPendingDocumentsResponse> GetPendingDocumentsAsync(GetPendingDocumentsRequest request) => Channel.GetPendingDocumentsAsync(request);

    public Task<GetPendingStatusesResponse> GetPendingStatusesAsync(GetPendingStatusesRequest request) => Channel.GetPendingStatusesAsync(request);

    public Task<GetDocumentResponse> GetDocumentAsync(GetDocumentRequest request) => Channel.GetDocumentAsync(request);

    public Task<ConfirmReceivedResponse> ConfirmReceivedAsync(ConfirmReceivedRequest request) => Channel.ConfirmReceivedAsync(request);

    public Task<GetDeliveriesResponse> GetDeliveriesAsync(GetDeliveriesRequest request) => Channel.GetDeliveriesAsync(request);

    public Task<GetTraceResponse> GetTraceAsync(GetTraceRequest request) => Channel.GetTraceAsync(request);

    public Task<GetAgenciesResponse> GetAgenciesAsync(GetAgenciesRequest request) => Channel.GetAgenciesAsync(request);
}

/// <summary>Builds clients for the hub's SOAP endpoint with HTTP Basic credentials.</summary>
public static class EdocClientFactory
{
    /// <summary>Large enough for the largest package (100 MB request limit on the hub).</summary>
    public const int MaxMessageBytes = 256 * 1024 * 1024;

    /// <summary>
    /// A client for <paramref name="address"/>: SOAP 1.1 over <see cref="BasicHttpBinding"/>
    /// (TransportCredentialOnly, Basic), or SOAP 1.2 over a <see cref="CustomBinding"/> (text
    /// encoding, no WS-Addressing; HTTP transport with Basic).
    /// </summary>
    /// <param name="address">The endpoint, e.g. <c>http://127.0.0.1:8080/soap/edoc</c>.</param>
    /// <param name="user">The client system's identifier.</param>
    /// <param name="secret">The client system's secret.</param>
    /// <param name="version">The SOAP version to speak.</param>
    /// <param name="surfaceSoap12SenderFaults">SOAP 1.2 only: WCF reads a fault only from an HTTP 500
    /// answer and turns the 400 the hub sends with a sender fault into a bare
    /// <see cref="ProtocolException"/>; when true, a message handler presents a 400 carrying
    /// <c>application/soap+xml</c> to WCF as a 500 so the fault arrives as
    /// <see cref="FaultException{Error}"/>.</param>
    public static EdocClient Create(Uri address, string user, string secret, SoapVersion version, bool surfaceSoap12SenderFaults = true)
    {
        Binding binding = version == SoapVersion.Soap11 ? Soap11Binding() : Soap12Binding();
        var client = new EdocClient(binding, new EndpointAddress(address));
        client.ClientCredentials.UserName.UserName = user;
        client.ClientCredentials.UserName.Password = secret;
        if (version == SoapVersion.Soap12 && surfaceSoap12SenderFaults)
        {
            client.Endpoint.EndpointBehaviors.Add(new SenderFaultStatusBehavior());
        }

        return client;
    }

    /// <summary>A SOAP 1.1 client for <paramref name="address"/> that authenticates with a gateway bearer
    /// token (<c>Authorization: Bearer</c> on every request) instead of HTTP Basic.</summary>
    public static EdocClient CreateWithToken(Uri address, string token)
    {
        var binding = new BasicHttpBinding(BasicHttpSecurityMode.None)
        {
            MaxReceivedMessageSize = MaxMessageBytes,
            MaxBufferSize = MaxMessageBytes,
            ReaderQuotas = XmlDictionaryReaderQuotas.Max,
            SendTimeout = TimeSpan.FromMinutes(2),
        };
        var client = new EdocClient(binding, new EndpointAddress(address));
        client.Endpoint.EndpointBehaviors.Add(new BearerTokenBehavior(token));
        return client;
    }

    private static BasicHttpBinding Soap11Binding()
    {
        var binding = new BasicHttpBinding(BasicHttpSecurityMode.TransportCredentialOnly)
        {
            MaxReceivedMessageSize = MaxMessageBytes,
            MaxBufferSize = MaxMessageBytes,
            ReaderQuotas = XmlDictionaryReaderQuotas.Max,
            SendTimeout = TimeSpan.FromMinutes(2),
        };
        binding.Security.Transport.ClientCredentialType = HttpClientCredentialType.Basic;
        return binding;
    }

    private static CustomBinding Soap12Binding()
    {
        var encoding = new TextMessageEncodingBindingElement(MessageVersion.CreateVersion(EnvelopeVersion.Soap12, AddressingVersion.None), System.Text.Encoding.UTF8)
        {
            ReaderQuotas = XmlDictionaryReaderQuotas.Max,
        };
        var transport = new HttpTransportBindingElement
        {
            AuthenticationScheme = AuthenticationSchemes.Basic,
            MaxReceivedMessageSize = MaxMessageBytes,
            MaxBufferSize = MaxMessageBytes,
        };
        return new CustomBinding(encoding, transport) { SendTimeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>Hands WCF's HTTP client a handler that turns a SOAP 1.2 sender fault's 400 into 500.</summary>
    private sealed class SenderFaultStatusBehavior : IEndpointBehavior
    {
        public void AddBindingParameters(ServiceEndpoint endpoint, BindingParameterCollection bindingParameters) =>
            bindingParameters.Add(new Func<HttpClientHandler, HttpMessageHandler>(inner => new SenderFaultStatusHandler(inner)));

        public void ApplyClientBehavior(ServiceEndpoint endpoint, ClientRuntime clientRuntime)
        {
        }

        public void ApplyDispatchBehavior(ServiceEndpoint endpoint, EndpointDispatcher endpointDispatcher)
        {
        }

        public void Validate(ServiceEndpoint endpoint)
        {
        }
    }

    /// <summary>Hands WCF's HTTP client a handler that sends the bearer token.</summary>
    private sealed class BearerTokenBehavior(string token) : IEndpointBehavior
    {
        public void AddBindingParameters(ServiceEndpoint endpoint, BindingParameterCollection bindingParameters) =>
            bindingParameters.Add(new Func<HttpClientHandler, HttpMessageHandler>(inner => new BearerTokenHandler(inner, token)));

        public void ApplyClientBehavior(ServiceEndpoint endpoint, ClientRuntime clientRuntime)
        {
        }

        public void ApplyDispatchBehavior(ServiceEndpoint endpoint, EndpointDispatcher endpointDispatcher)
        {
        }

        public void Validate(ServiceEndpoint endpoint)
        {
        }
    }

    private sealed class BearerTokenHandler(HttpMessageHandler inner, string token) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class SenderFaultStatusHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.BadRequest
                && response.Content.Headers.ContentType is MediaTypeHeaderValue { MediaType: SoapVersions.Soap12MediaType })
            {
                response.StatusCode = HttpStatusCode.InternalServerError;
            }

            return response;
        }
    }
}
