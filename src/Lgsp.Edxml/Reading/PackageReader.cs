using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Reading;

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
public static class PackageReader
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
    private sealed class Session(XmlReader reader, XmlLimits limits, List<EdxmlError> findings)
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

        private DocumentPackage ReadDocument(XElement m, XElement header, XElement envelope, List<Attachment> attachments)
        {
            const string mh = "MessageHeader";
            var trace = One(header, "TraceHeaderList", "TraceHeaderList");
            var manifest = One(envelope, "edXMLBody", "edXMLBody") is { } body ? One(body, "edXMLManifest", "edXMLManifest") : null;

            var package = new DocumentPackage
            {
                From = Org(One(m, "From", $"{mh}/From"), $"{mh}/From"),
                To = ValueList.From(Many(m, "To").Select((e, i) => Org(e, $"{mh}/To[{i + 1}]")!)),
                Code = One(m, "Code", $"{mh}/Code") is { } code
                    ? new DocumentCode(Text(code, "CodeNumber", $"{mh}/Code"), Text(code, "CodeNotation", $"{mh}/Code"))
                    : null,
                PromulgationInfo = One(m, "PromulgationInfo", $"{mh}/PromulgationInfo") is { } pi
                    ? new PromulgationInfo(Text(pi, "Place", $"{mh}/PromulgationInfo"), Date(pi, "PromulgationDate", $"{mh}/PromulgationInfo"))
                    : null,
                DocumentType = One(m, "DocumentType", $"{mh}/DocumentType") is { } dt
                    ? new DocumentType(Text(dt, "Type", $"{mh}/DocumentType"), Text(dt, "TypeDetail", $"{mh}/DocumentType"), Text(dt, "TypeName", $"{mh}/DocumentType"))
                    : null,
                Subject = Text(m, "Subject", mh),
                Content = Text(m, "Content", mh),
                SignerInfo = One(m, "SignerInfo", $"{mh}/SignerInfo") is { } si
                    ? new SignerInfo(Text(si, "Competence", $"{mh}/SignerInfo"), Text(si, "Position", $"{mh}/SignerInfo"), Text(si, "FullName", $"{mh}/SignerInfo"))
                    : null,
                DueDate = Date(m, "DueDate", mh),
                ToPlaces = One(m, "ToPlaces", $"{mh}/ToPlaces") is { } tp ? ValueList.From(Many(tp, "Place").Select(Value)) : ValueList<string>.Empty,
                OtherInfo = One(m, "OtherInfo", $"{mh}/OtherInfo") is { } oi ? ReadOtherInfo(oi, $"{mh}/OtherInfo") : null,
                ResponseFor = ValueList.From(Many(m, "ResponseFor").Select((e, i) => ReadResponseFor(e, $"{mh}/ResponseFor[{i + 1}]"))),
                SteeringType = Int(m, "SteeringType", mh),
                DocumentId = Text(m, "DocumentId", mh),
                TraceHeaders = trace is null
                    ? ValueList<TraceHeader>.Empty
                    : ValueList.From(Many(trace, "TraceHeader").Select((e, i) =>
                        new TraceHeader(Text(e, "OrganId", $"TraceHeaderList/TraceHeader[{i + 1}]"), Timestamp(e, "Timestamp", $"TraceHeaderList/TraceHeader[{i + 1}]")))),
                Business = trace is not null && One(trace, "Bussiness", "TraceHeaderList/Bussiness") is { } b ? ReadBusiness(b, "TraceHeaderList/Bussiness") : null,
                ManifestVersion = manifest?.Attribute("version")?.Value,
                References = manifest is null
                    ? ValueList<ManifestReference>.Empty
                    : ValueList.From(Many(manifest, "Reference").Select((r, i) =>
                    {
                        var p = $"edXMLManifest/Reference[{i + 1}]";
                        return new ManifestReference(Text(r, "ContentId", p), Text(r, "ContentType", p), Text(r, "Description", p), Text(r, "AttachmentName", p));
                    })),
                Attachments = ValueList.From(attachments),
            };

            NoteCidTolerance(package);
            return package;
        }

        private StatusPackage ReadStatus(XElement m)
        {
            const string mh = "MessageHeader";
            return new StatusPackage
            {
                From = Org(One(m, "From", $"{mh}/From"), $"{mh}/From"),
                ResponseFor = One(m, "ResponseFor", $"{mh}/ResponseFor") is { } rf ? ReadResponseFor(rf, $"{mh}/ResponseFor") : null,
                StaffInfo = One(m, "StaffInfo", $"{mh}/StaffInfo") is { } s ? ReadStaff(s) : null,
                StatusCode = Text(m, "StatusCode", mh),
                Description = Text(m, "Description", mh),
                Timestamp = Timestamp(m, "Timestamp", mh),
            };
        }

        private Organization? Org(XElement? e, string path) => e is null
            ? null
            : new Organization(
                Text(e, "OrganId", path),
                Text(e, "OrganName", path),
                Text(e, "OrganizationInCharge", path),
                Text(e, "OrganAdd", path),
                Text(e, "Email", path),
                Text(e, "Telephone", path),
                Text(e, "Fax", path),
                Text(e, "Website", path));

        private OtherInfo ReadOtherInfo(XElement e, string path) => new()
        {
            Priority = Int(e, "Priority", path),
            SphereOfPromulgation = Text(e, "SphereOfPromulgation", path),
            TyperNotation = Text(e, "TyperNotation", path),
            PromulgationAmount = Int(e, "PromulgationAmount", path),
            PageAmount = Int(e, "PageAmount", path),
            Direction = Bool(e, "Direction", path),
            Appendixes = One(e, "Appendixes", $"{path}/Appendixes") is { } a ? ValueList.From(Many(a, "Appendix").Select(Value)) : ValueList<string>.Empty,
        };

        private ResponseFor ReadResponseFor(XElement e, string path) =>
            new(Text(e, "OrganId", path), Text(e, "Code", path), Date(e, "PromulgationDate", path), Text(e, "DocumentId", path));

        private StaffInfo ReadStaff(XElement e) =>
            new(Text(e, "Department", null), Text(e, "Staff", null), Text(e, "Mobile", null), Text(e, "Email", null));

        private Business ReadBusiness(XElement b, string path)
        {
            var typeText = Text(b, "BussinessDocType", path);
            BusinessDocType? type = int.TryParse(typeText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) && Enum.IsDefined(typeof(BusinessDocType), t)
                ? (BusinessDocType)t
                : null;
            var info = One(b, "BussinessDocumentInfo", $"{path}/BussinessDocumentInfo");
            var replacements = One(b, "ReplacementInfoList", $"{path}/ReplacementInfoList");
            return new Business
            {
                BussinessDocType = type,
                BussinessDocTypeText = typeText,
                BussinessDocReason = Text(b, "BussinessDocReason", path),
                DocumentId = Text(b, "DocumentId", path),
                Paper = Int(b, "Paper", path),
                StaffInfo = One(b, "StaffInfo", $"{path}/StaffInfo") is { } s ? ReadStaff(s) : null,
                BussinessDocumentInfo = info is null
                    ? null
                    : new BusinessDocumentInfo(
                        Text(info, "DocumentInfo", $"{path}/BussinessDocumentInfo"),
                        Text(info, "DocumentReceiver", $"{path}/BussinessDocumentInfo"),
                        One(info, "ReceiverList", null) is { } rl
                            ? ValueList.From(Many(rl, "Receiver").Select((r, i) =>
                                new Receiver(Text(r, "OrganId", null), Int(r, "ReceiverType", $"{path}/BussinessDocumentInfo/ReceiverList/Receiver[{i + 1}]"))))
                            : ValueList<Receiver>.Empty),
                ReplacementInfoList = replacements is null
                    ? ValueList<ReplacementInfo>.Empty
                    : ValueList.From(Many(replacements, "ReplacementInfo").Select(r =>
                        new ReplacementInfo(
                            Text(r, "DocumentId", null),
                            One(r, "OrganIdList", null) is { } ol ? ValueList.From(Many(ol, "OrganId").Select(Value)) : ValueList<string>.Empty))),
            };
        }

        private void ReadAttachments(List<Attachment> into)
        {
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return;
            }

            reader.Read();
            while (reader.NodeType != XmlNodeType.EndElement && !reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Attachment" && IsOurs(reader.NamespaceURI))
                {
                    into.Add(ReadAttachment(into.Count + 1));
                }
                else if (reader.NodeType == XmlNodeType.Element)
                {
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                }
            }

            reader.Read();
        }

        private Attachment ReadAttachment(int index)
        {
            var path = $"AttachmentEncoded/Attachment[{index}]";
            string? contentId = null, name = null, description = null, contentType = null;
            AttachmentContent? content = null;
            if (reader.IsEmptyElement)
            {
                reader.Read();
            }
            else
            {
                reader.Read();
                while (reader.NodeType != XmlNodeType.EndElement && !reader.EOF)
                {
                    if (reader.NodeType != XmlNodeType.Element)
                    {
                        reader.Read();
                        continue;
                    }

                    NoteNamespace(reader.NamespaceURI);
                    switch (reader.LocalName)
                    {
                        case "ContentTransferEncoded":
                            if (content is not null)
                            {
                                findings.Add(EdxmlError.Create(ErrorCode.DuplicateField, $"{path}/ContentTransferEncoded", "ContentTransferEncoded"));
                                reader.Skip();
                                break;
                            }

                            content = DecodeBase64($"{path}/ContentTransferEncoded");
                            break;
                        case "ContentId": contentId = ReadShortText(path); break;
                        case "AttachmentName": name = ReadShortText(path); break;
                        case "Description": description = ReadShortText(path); break;
                        case "ContentType": contentType = ReadShortText(path); break;
                        default: reader.Skip(); break;
                    }
                }

                reader.Read();
            }

            return new Attachment(contentId, name, description, contentType, content ?? AttachmentContent.FromBytes([]));
        }

        private string ReadShortText(string path)
        {
            var name = reader.LocalName;
            var text = reader.ReadElementContentAsString();
            if (text.Length > limits.MaxTextLength)
            {
                throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.TooLarge, $"{path}/{name}", name, limits.MaxTextLength));
            }

            return text.Trim();
        }

        private AttachmentContent DecodeBase64(string path)
        {
            using var spool = AttachmentContent.CreateSpool(limits.MaxAttachmentBytes);
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return spool.Complete();
            }

            var buffer = new byte[Base64Chunk];
            try
            {
                int n;
                while ((n = reader.ReadElementContentAsBase64(buffer, 0, buffer.Length)) > 0)
                {
                    spool.Write(buffer.AsSpan(0, n));
                }
            }
            catch (XmlException ex) when (ex.InnerException is FormatException || ex.Message.Contains("base64", StringComparison.OrdinalIgnoreCase))
            {
                throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.InvalidBase64, path, ex.Message), ex);
            }
            catch (FormatException ex)
            {
                throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.InvalidBase64, path, ex.Message), ex);
            }
            catch (InvalidOperationException ex) when (spool.Length + Base64Chunk > limits.MaxAttachmentBytes)
            {
                throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.TooLarge, path, "The attachment", limits.MaxAttachmentBytes + " bytes"), ex);
            }

            return spool.Complete();
        }

        private static EnvelopeSignatureKind SignatureKindOf(XElement header)
        {
            var kind = EnvelopeSignatureKind.None;
            foreach (var e in header.Elements())
            {
                if (e.Name.LocalName is not ("Signature" or "DigitalSignature"))
                {
                    continue;
                }

                if (e.Name.NamespaceName == XmlDsigNamespace && e.Name.LocalName == "Signature" && e.HasElements)
                {
                    return EnvelopeSignatureKind.XmlDsig;
                }

                kind = EnvelopeSignatureKind.Placeholder;
            }

            return kind;
        }

        private void NoteCidTolerance(DocumentPackage package)
        {
            foreach (var r in package.References)
            {
                var match = package.Attachments.FirstOrDefault(a => ContentIds.Same(a.ContentId, r.ContentId));
                if (match is not null && !string.Equals(match.ContentId?.Trim(), r.ContentId?.Trim(), StringComparison.Ordinal))
                {
                    findings.Add(EdxmlError.Warn(ErrorCode.Tolerated, "edXMLManifest/Reference", $"content id '{r.ContentId}' matches attachment '{match.ContentId}' only once 'cid:' is ignored"));
                }
            }
        }

        private bool IsOurs(string ns)
        {
            NoteNamespace(ns);
            return ns is Namespace or "";
        }

        private void NoteNamespace(string ns)
        {
            if (ns.Length == 0 && !_unqualifiedSeen)
            {
                _unqualifiedSeen = true;
                findings.Add(EdxmlError.Warn(ErrorCode.Tolerated, "/", "elements in no namespace are read as edXML elements"));
            }
        }

        private XElement? One(XElement parent, string name, string? path)
        {
            XElement? first = null;
            foreach (var e in parent.Elements())
            {
                if (e.Name.LocalName != name || !IsOurs(e.Name.NamespaceName))
                {
                    continue;
                }

                if (first is null)
                {
                    first = e;
                }
                else if (path is not null)
                {
                    findings.Add(EdxmlError.Create(ErrorCode.DuplicateField, path, name));
                    break;
                }
            }

            return first;
        }

        private IEnumerable<XElement> Many(XElement parent, string name) =>
            parent.Elements().Where(e => e.Name.LocalName == name && IsOurs(e.Name.NamespaceName));

        private string? Text(XElement parent, string name, string? parentPath)
        {
            var e = One(parent, name, parentPath is null ? null : $"{parentPath}/{name}");
            return e is null ? null : Value(e);
        }

        private string Value(XElement e)
        {
            var v = e.Value;
            if (v.Length > limits.MaxTextLength)
            {
                throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.TooLarge, e.Name.LocalName, e.Name.LocalName, limits.MaxTextLength));
            }

            return v.Trim();
        }

        private int? Int(XElement parent, string name, string? parentPath)
        {
            var text = Text(parent, name, parentPath);
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }

            findings.Add(EdxmlError.Create(ErrorCode.InvalidNumber, $"{parentPath}/{name}", text, "an integer"));
            return null;
        }

        private bool? Bool(XElement parent, string name, string? parentPath)
        {
            var text = Text(parent, name, parentPath);
            switch (text?.ToLowerInvariant())
            {
                case null or "": return null;
                case "true" or "1": return true;
                case "false" or "0": return false;
                default:
                    findings.Add(EdxmlError.Create(ErrorCode.InvalidNumber, $"{parentPath}/{name}", text, "true or false"));
                    return null;
            }
        }

        private EdxmlDate? Date(XElement parent, string name, string? parentPath)
        {
            var text = Text(parent, name, parentPath);
            return string.IsNullOrEmpty(text) ? null : new EdxmlDate(text);
        }

        private EdxmlTimestamp? Timestamp(XElement parent, string name, string? parentPath)
        {
            var text = Text(parent, name, parentPath);
            return string.IsNullOrEmpty(text) ? null : new EdxmlTimestamp(text);
        }
    }
}
