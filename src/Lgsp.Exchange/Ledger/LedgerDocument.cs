using System.Globalization;
using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Xml;

namespace Lgsp.Exchange.Ledger;

/// <summary>
/// The one reading path for the ledger's signed documents (<see cref="Checkpoint"/>,
/// <see cref="Witness"/>): opened with <see cref="SafeXml"/>, a root element in
/// <see cref="Checkpoint.Namespace"/> holding one text child per field, read in the formats the
/// ledger writes them.
/// </summary>
/// <remarks>Immutable once loaded.</remarks>
internal sealed class LedgerDocument
{
    private readonly XmlElement _root;

    private LedgerDocument(XmlElement root) => _root = root;

    /// <summary>Verifies a signed ledger document and reads it: its signature, then its signer's chain
    /// as of the time the document states (<paramref name="signedAt"/>), then its fields.</summary>
    /// <param name="xml">The signed bytes.</param>
    /// <param name="signer">What the signer must satisfy.</param>
    /// <param name="rootName">The root element expected.</param>
    /// <param name="noun">How problems name the document ("checkpoint", "witness").</param>
    /// <param name="fields">Reads the content from the document's fields, or says why it cannot.</param>
    /// <param name="signedAt">The signing time the content states.</param>
    /// <returns>The content, only when the signature is valid; the signature's verdict; why the
    /// document is not valid or not trusted, null when it is both. Never throws for bad input.</returns>
    public static (T? Content, SignedXmlVerdict Signature, string? Problem) Verify<T>(
        byte[] xml, SignerCheck signer, string rootName, string noun, Func<LedgerDocument, (T? Content, string? Problem)> fields, Func<T, DateTimeOffset> signedAt)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(signer);

        // Read before the signature is checked, for the signing time; nothing read is used unless the
        // signature, which covers that time, verifies.
        var (document, problem) = Read(xml, rootName, noun);
        var (content, fieldProblem) = document is null ? (null, problem) : fields(document);
        var signature = SignedXmlDocument.Verify(xml, signer, content is null ? null : signedAt(content));
        if (!signature.IsValid)
        {
            return (null, signature, $"{noun} signature invalid: {signature.Problem}");
        }

        return content is null
            ? (null, signature, fieldProblem)
            : (content, signature, signature.IsTrusted ? null : $"{noun} signer not trusted: {signature.Problem}");
    }

    /// <summary>Opens <paramref name="xml"/> as a ledger document whose root is
    /// <paramref name="rootName"/>; otherwise the problem, named after <paramref name="noun"/>
    /// ("checkpoint", "witness"). Never throws for bad input.</summary>
    private static (LedgerDocument? Document, string? Problem) Read(byte[] xml, string rootName, string noun)
    {
        XmlElement? root;
        try
        {
            root = SafeXml.LoadDocument(new MemoryStream(xml, writable: false), XmlLimits.Default).DocumentElement;
        }
        catch (EdxmlFormatException ex)
        {
            return (null, $"not a {noun}: {ex.Error.Message}");
        }

        return root is { NamespaceURI: Checkpoint.Namespace } && root.LocalName == rootName
            ? (new LedgerDocument(root), null)
            : (null, $"not a {noun}: the root element is {{{root?.NamespaceURI}}}{root?.LocalName}");
    }

    /// <summary>The text of field <paramref name="name"/>; null when it is absent.</summary>
    public string? Text(string name) =>
        _root.SelectSingleNode($"*[local-name()='{name}' and namespace-uri()='{Checkpoint.Namespace}']")?.InnerText;

    /// <summary>Field <paramref name="name"/> as a sequence number or count (digits only); null when
    /// absent or not one.</summary>
    public long? Number(string name) =>
        long.TryParse(Text(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Field <paramref name="name"/> as a hash (lower-case hex of
    /// <see cref="LedgerChain.HashLength"/> bytes); null when absent or not one.</summary>
    public string? Hash(string name) =>
        Text(name) is { Length: 2 * LedgerChain.HashLength } hex && hex.All(char.IsAsciiHexDigitLower) ? hex : null;

    /// <summary>Field <paramref name="name"/> as an instant written by <see cref="LedgerChain.FormatAt"/>;
    /// null when absent or not in that format.</summary>
    public DateTimeOffset? At(string name) =>
        DateTimeOffset.TryParseExact(Text(name), "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
}
