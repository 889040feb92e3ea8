using System.Xml;
using System.Xml.Linq;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Reading;

// The session is split by concern: PackageReader.Envelope.cs, .Attachments.cs and .Elements.cs.
/// <summary>
/// Reads edXML document and status packages into the immutable model, tolerating what real
/// producers do (prefixed, default-namespace or unqualified children; any element order;
/// <c>Signature</c> or <c>DigitalSignature</c>; <c>cid:</c> on one side only; <c>yyyy-MM-dd</c>
/// dates; junk bytes before the XML declaration) and recording each tolerance as a warning in
/// <see cref="EdxmlPackage.ReadFindings"/>. Values it cannot interpret are recorded there as errors.
/// </summary>
/// <remarks>
/// One streaming pass: the envelope (small) is materialised, attachments are base64-decoded in
/// chunks straight into <see cref="AttachmentContent"/> (memory below 1 MiB, a temporary file
/// above), so a 50 MB attachment is held once, decoded. Thread safe: every call is independent.
/// Throws <see cref="EdxmlFormatException"/> when the input cannot be read at all (malformed,
/// hostile, not edXML).
/// </remarks>
public static partial class PackageReader
{
    /// <summary>The edXML namespace of QCVN 102:2016.</summary>
    public const string Namespace = "http://www.mic.gov.vn/TBT/QCVN_102_2016";

    /// <summary>The XMLDSig namespace.</summary>
    public const string XmlDsigNamespace = "http://www.w3.org/2000/09/xmldsig#";

    private const int Base64Chunk = 48 * 1024;

    /// <summary>Reads a package from a file.</summary>
    /// <exception cref="EdxmlFormatException">The file is not a readable edXML package.</exception>
    public static EdxmlPackage ReadFile(string path, XmlLimits? limits = null)
    {
        using var file = File.OpenRead(path);
        return Read(file, limits);
    }

    /// <summary>Reads a package from bytes.</summary>
    /// <exception cref="EdxmlFormatException">The bytes are not a readable edXML package.</exception>
    public static EdxmlPackage Read(ReadOnlyMemory<byte> package, XmlLimits? limits = null)
    {
        using var stream = MemoryStreams.Open(package);
        return Read(stream, limits);
    }

    /// <summary>Reads a package from a stream (read to its end; not closed).</summary>
    /// <exception cref="EdxmlFormatException">The input is not a readable edXML package.</exception>
    public static EdxmlPackage Read(Stream input, XmlLimits? limits = null)
    {
        limits ??= XmlLimits.Default;
        var findings = new List<EdxmlError>();
        using var start = SkipJunk(input, findings);
        using var bounded = new CountingStream(start, limits.MaxPackageBytes);
        using var reader = SafeXml.CreateReader(bounded, limits);
        return SafeXml.Guard(() => new Session(reader, limits, findings).Read());
    }

    /// <summary>Reads a document package.</summary>
    /// <exception cref="EdxmlFormatException">Not readable, or a status package (<see cref="ErrorCode.NotEdxml"/>).</exception>
    public static DocumentPackage ReadDocument(Stream input, XmlLimits? limits = null) =>
        Read(input, limits) as DocumentPackage
        ?? throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.NotEdxml, "/", "a status package", "where a document package was expected"));

    /// <summary>Reads a status package.</summary>
    /// <exception cref="EdxmlFormatException">Not readable, or a document package (<see cref="ErrorCode.NotEdxml"/>).</exception>
    public static StatusPackage ReadStatus(Stream input, XmlLimits? limits = null) =>
        Read(input, limits) as StatusPackage
        ?? throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.NotEdxml, "/", "a document package", "where a status package was expected"));

    private static Stream SkipJunk(Stream input, List<EdxmlError> findings)
    {
        var head = new byte[4096];
        var n = input.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var offset = PackageStart.XmlOffset(head.AsSpan(0, n));
        if (offset > 0)
        {
            findings.Add(EdxmlError.Warn(ErrorCode.LeadingJunk, "/", PackageStart.JunkLength(head.AsSpan(0, n))));
        }

        return new PrefixedStream(head.AsMemory(offset, n - offset), input);
    }

    /// <summary>One read: the XML reader, the limits and the findings so far.</summary>
    private sealed partial class Session(XmlReader reader, XmlLimits limits, List<EdxmlError> findings)
    {
        private bool _unqualifiedSeen;

        public EdxmlPackage Read()
        {
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "edXML" || !IsOurs(reader.NamespaceURI))
            {
                throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.NotEdxml, "/", reader.Name, Namespace));
            }

            XElement? envelope = null;
            var attachments = new List<Attachment>();
            if (!reader.IsEmptyElement)
            {
                reader.Read();
                while (reader.NodeType != XmlNodeType.EndElement && !reader.EOF)
                {
                    if (reader.NodeType != XmlNodeType.Element)
                    {
                        reader.Read();
                        continue;
                    }

                    if (reader.LocalName == "edXMLEnvelope" && IsOurs(reader.NamespaceURI))
                    {
                        if (envelope is not null)
                        {
                            findings.Add(EdxmlError.Create(ErrorCode.DuplicateField, "edXMLEnvelope", "edXMLEnvelope"));
                        }

                        var e = (XElement)XNode.ReadFrom(reader);
                        envelope ??= e;
                    }
                    else if (reader.LocalName == "AttachmentEncoded" && IsOurs(reader.NamespaceURI))
                    {
                        ReadAttachments(attachments);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }

            if (envelope is null)
            {
                throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.MissingField, "edXMLEnvelope", "edXMLEnvelope"));
            }

            var header = One(envelope, "edXMLHeader", "edXMLEnvelope/edXMLHeader");
            var message = header is null ? null : One(header, "MessageHeader", "MessageHeader");
            if (message is null)
            {
                throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.MissingField, "edXMLEnvelope/edXMLHeader/MessageHeader", "MessageHeader"));
            }

            var signature = SignatureKindOf(header!);
            EdxmlPackage package = One(message, "StatusCode", null) is not null
                ? ReadStatus(message)
                : ReadDocument(message, header!, envelope, attachments);
            if (package is StatusPackage && attachments.Count > 0)
            {
                findings.Add(EdxmlError.Warn(ErrorCode.Tolerated, "AttachmentEncoded", "a status package carries attachments; they are ignored"));
                foreach (var a in attachments)
                {
                    a.Content.Dispose();
                }
            }

            return package with { SignatureKind = signature, ReadFindings = ValueList.From(findings) };
        }
    }
}
