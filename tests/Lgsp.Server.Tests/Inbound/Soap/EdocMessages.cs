using System.ServiceModel;
using System.Xml;
using System.Xml.Serialization;

namespace Lgsp.Server.Tests.Inbound.Soap;

// The messages of urn:lgsp:edoc:1 as the WCF client contract (EdocClient.cs) carries them, written by hand
// to match schemas/lgsp-edoc.wsdl; EdocClientContractTests fails when the two drift.

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
