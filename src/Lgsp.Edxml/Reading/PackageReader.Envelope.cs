using System.Globalization;
using System.Xml.Linq;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;

namespace Lgsp.Edxml.Reading;

// The envelope read into the model: document and status headers, their parts, the signature kind.
public static partial class PackageReader
{
    private sealed partial class Session
    {
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
    }
}
