using System.Collections.Frozen;

namespace Lgsp.Server.Inbound.Soap;

/// <summary>
/// The names of the document-exchange service <c>urn:lgsp:edoc:1</c> (see
/// <c>schemas/lgsp-edoc.wsdl</c>): its namespace, operations, actions, and what each request may
/// carry. The request reader enforces this table; the WSDL and XSD say the same thing to clients.
/// </summary>
/// <remarks>Immutable and thread safe.</remarks>
public static class EdocContract
{
    /// <summary>The target namespace of the service, its messages and its fault detail.</summary>
    public const string Namespace = "urn:lgsp:edoc:1";

    /// <summary>Sends a document package.</summary>
    public const string SendDocument = nameof(SendDocument);

    /// <summary>Sends a status package.</summary>
    public const string SendStatus = nameof(SendStatus);

    /// <summary>Lists documents waiting for an agency.</summary>
    public const string GetPendingDocuments = nameof(GetPendingDocuments);

    /// <summary>Lists statuses waiting for an agency.</summary>
    public const string GetPendingStatuses = nameof(GetPendingStatuses);

    /// <summary>Fetches the package of a pending item.</summary>
    public const string GetDocument = nameof(GetDocument);

    /// <summary>Confirms (done or fail) a pending item.</summary>
    public const string ConfirmReceived = nameof(ConfirmReceived);

    /// <summary>Lists the deliveries of a sent document.</summary>
    public const string GetDeliveries = nameof(GetDeliveries);

    /// <summary>Lists the ledger events of a document.</summary>
    public const string GetTrace = nameof(GetTrace);

    /// <summary>Lists the agencies of the directory.</summary>
    public const string GetAgencies = nameof(GetAgencies);

    /// <summary>The request element carrying a package, base64.</summary>
    public const string PackageElement = "Package";

    /// <summary>The two values of a <c>ConfirmReceived</c> <c>Outcome</c>.</summary>
    public static IReadOnlyList<string> Outcomes { get; } = ["done", "fail"];

    private static readonly FrozenDictionary<string, RequestField[]> RequestTable =
        new Dictionary<string, RequestField[]>
        {
            [SendDocument] = [new(PackageElement, FieldKind.Base64, true)],
            [SendStatus] = [new(PackageElement, FieldKind.Base64, true)],
            [GetPendingDocuments] = [new("Agency", FieldKind.Text, false), new("MaxCount", FieldKind.PositiveInt32, false)],
            [GetPendingStatuses] = [new("Agency", FieldKind.Text, false), new("MaxCount", FieldKind.PositiveInt32, false)],
            [GetDocument] = [new("Id", FieldKind.Int64, true)],
            [ConfirmReceived] = [new("Id", FieldKind.Int64, true), new("Outcome", FieldKind.Outcome, true), new("Reason", FieldKind.Text, false)],
            [GetDeliveries] = [new("DocumentId", FieldKind.Text, true)],
            [GetTrace] = [new("DocumentId", FieldKind.Text, true)],
            [GetAgencies] = [new("ChangedSince", FieldKind.DateTime, false)],
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every operation, in the WSDL's order.</summary>
    public static IReadOnlyList<string> Operations { get; } =
    [
        SendDocument, SendStatus, GetPendingDocuments, GetPendingStatuses, GetDocument,
        ConfirmReceived, GetDeliveries, GetTrace, GetAgencies,
    ];

    /// <summary>True when <paramref name="name"/> is an operation (ordinal, case-sensitive).</summary>
    public static bool IsOperation(string name) => RequestTable.ContainsKey(name);

    /// <summary>The action of <paramref name="operation"/>: <c>urn:lgsp:edoc:1/{operation}</c>.</summary>
    public static string ActionOf(string operation) => Namespace + "/" + operation;

    /// <summary>The response wrapper of <paramref name="operation"/>: <c>{operation}Response</c>.</summary>
    public static string ResponseOf(string operation) => operation + "Response";

    /// <summary>The child elements a request of <paramref name="operation"/> may carry.</summary>
    internal static IReadOnlyList<RequestField> RequestFields(string operation) => RequestTable[operation];
}

/// <summary>What a request child holds, so the reader can check its lexical form.</summary>
internal enum FieldKind
{
    Text,
    Base64,
    Int64,
    PositiveInt32,
    DateTime,
    Outcome,
}

/// <summary>One child element a request may carry.</summary>
internal sealed record RequestField(string Name, FieldKind Kind, bool Required);
