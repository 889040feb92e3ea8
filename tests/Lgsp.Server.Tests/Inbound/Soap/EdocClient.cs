using System.ServiceModel;
using System.ServiceModel.Channels;

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
