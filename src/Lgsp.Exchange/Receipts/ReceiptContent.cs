using System.Globalization;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Xml;

namespace Lgsp.Exchange.Receipts;

/// <summary>What a hub receipt (<c>schemas/lgsp-receipt.xsd</c>) states, read without judging its
/// signature: check that with <see cref="Edxml.Signatures.SignedXmlDocument.Verify"/> first when it matters.</summary>
/// <param name="Hub">The hub that accepted the package.</param>
/// <param name="From">The sending agency.</param>
/// <param name="DocumentId">The DocumentId.</param>
/// <param name="Sha256">SHA-256 of the package, lower-case hex.</param>
/// <param name="Size">Package size in bytes.</param>
/// <param name="ReceivedAt">When the hub accepted it.</param>
/// <param name="LedgerSeq">The reception's position in that hub's ledger.</param>
public sealed record ReceiptContent(string Hub, string From, string DocumentId, string Sha256, long Size, DateTimeOffset ReceivedAt, long LedgerSeq)
{
    /// <summary>Reads a receipt's fields; null when the bytes are not a receipt of this shape.
    /// Never throws for bad input.</summary>
    public static ReceiptContent? TryRead(byte[] xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        XmlDocument document;
        try
        {
            document = SafeXml.LoadDocument(new MemoryStream(xml, writable: false), XmlLimits.Default);
        }
        catch (EdxmlFormatException)
        {
            return null;
        }

        var root = document.DocumentElement;
        if (root is not { LocalName: "Receipt", NamespaceURI: ReceiptIssuer.Namespace })
        {
            return null;
        }

        string? Field(string name) => root[name, ReceiptIssuer.Namespace]?.InnerText;
        if (Field("Hub") is not { } hub || Field("From") is not { } from || Field("DocumentId") is not { } documentId
            || Field("Sha256") is not { } sha256
            || !long.TryParse(Field("Size"), NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || !long.TryParse(Field("LedgerSeq"), NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            || !DateTimeOffset.TryParse(Field("ReceivedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var receivedAt))
        {
            return null;
        }

        return new ReceiptContent(hub, from, documentId, sha256, size, receivedAt.ToUniversalTime(), seq);
    }
}
