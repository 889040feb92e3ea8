using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Signatures;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Receipts;

/// <summary>The hub's identity: its id and the certificate (with private key) it signs receipts with.</summary>
/// <param name="Id">The hub id written in receipts.</param>
/// <param name="Certificate">The signing certificate, with its private key.</param>
/// <param name="Chain">Issuing certificates carried in the signature.</param>
public sealed record HubIdentity(string Id, X509Certificate2 Certificate, IReadOnlyList<X509Certificate2> Chain);

/// <summary>Issues receipts (<c>schemas/lgsp-receipt.xsd</c>): what the hub received, when, and where
/// the ledger recorded it, signed with XMLDSig by the hub's certificate.</summary>
/// <remarks>Thread safe.</remarks>
public sealed class ReceiptIssuer(HubIdentity hub)
{
    /// <summary>The receipt namespace.</summary>
    public const string Namespace = "urn:lgsp:receipt:1";

    /// <summary>This hub's id, as written in its receipts and in the hops of packages it forwards.</summary>
    public string HubId => hub.Id;

    /// <summary>Builds and signs the receipt.</summary>
    public byte[] Issue(ReceiptFacts facts)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var root = document.AppendChild(document.CreateElement("Receipt", Namespace))!;
        void Add(string name, string value) => root.AppendChild(document.CreateElement(name, Namespace))!.InnerText = value;
        Add("Hub", hub.Id);
        Add("Kind", facts.Kind == PackageKind.Document ? "document" : "status");
        Add("From", facts.From);
        Add("DocumentId", facts.DocumentId);
        Add("Sha256", facts.Sha256);
        Add("Size", facts.Size.ToString(CultureInfo.InvariantCulture));
        Add("ReceivedAt", XmlConvert.ToString(facts.ReceivedAt.UtcDateTime, XmlDateTimeSerializationMode.Utc));
        Add("LedgerSeq", facts.LedgerSeq.ToString(CultureInfo.InvariantCulture));
        if (facts.PreviousReceiptSha256 is { } previous)
        {
            Add("PreviousReceipt", previous);
        }

        if (facts.Hops is { Count: > 0 } hops)
        {
            Add("Hops", string.Join(',', hops));
        }

        return SignedXmlDocument.Sign(document, hub.Certificate, hub.Chain);
    }
}
