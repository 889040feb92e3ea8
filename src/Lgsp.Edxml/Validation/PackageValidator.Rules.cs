using System.Globalization;
using Lgsp.Edxml.Agencies;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Reading;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Validation;

// The business rules, one method per part of the package.
public static partial class PackageValidator
{
    // Which agency-code rule a field follows (docs/edxml.md, "Packages found in the wild").
    private enum CodeField
    {
        // From, To, references and business receivers: a standard form, or a plain token accepted as an
        // exception (legacy policy, or a code the caller lists).
        Agency,

        // A trace header is history other systems wrote: reported, never refused.
        Trace,
    }

    private sealed class RuleCheck(ValidationOptions options)
    {
        private const string Mh = "MessageHeader";

        public List<EdxmlError> Findings { get; } = [];

        public void Document(DocumentPackage d)
        {
            Organization(d.From, $"{Mh}/From");
            if (d.To.Count == 0)
            {
                Add(ErrorCode.NoRecipient, $"{Mh}/To");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < d.To.Count; i++)
            {
                var path = $"{Mh}/To[{i + 1}]";
                Organization(d.To[i], path);
                var code = d.To[i].OrganId;
                var key = AgencyCode.TryParse(code, out var parsed, out _) ? parsed.Value : code?.Trim();
                if (!string.IsNullOrEmpty(key) && !seen.Add(key))
                {
                    Add(ErrorCode.DuplicateRecipient, $"{path}/OrganId", key);
                }
            }

            Required(d.Code?.CodeNumber, $"{Mh}/Code/CodeNumber");
            // Deployed systems number documents longer than the standard allows; legacy tolerates it.
            Length(d.Code?.CodeNumber, FieldLimits.CodeNumber, $"{Mh}/Code/CodeNumber", warnOnly: options.Legacy);
            Length(d.Code?.CodeNotation, FieldLimits.CodeNotation, $"{Mh}/Code/CodeNotation");
            if (d.Code?.CodeNumber is { Length: > 0 } number && !number.All(char.IsAsciiDigit))
            {
                Findings.Add(EdxmlError.Warn(ErrorCode.NonNumericCodeNumber, $"{Mh}/Code/CodeNumber", number));
            }

            Length(d.PromulgationInfo?.Place, FieldLimits.PromulgationPlace, $"{Mh}/PromulgationInfo/Place");
            Required(d.PromulgationInfo?.PromulgationDate?.Text, $"{Mh}/PromulgationInfo/PromulgationDate");
            Date(d.PromulgationInfo?.PromulgationDate, $"{Mh}/PromulgationInfo/PromulgationDate");
            Length(d.DocumentType?.TypeName, FieldLimits.TypeName, $"{Mh}/DocumentType/TypeName");
            Required(d.Subject, $"{Mh}/Subject");
            Length(d.Subject, FieldLimits.Subject, $"{Mh}/Subject");
            Length(d.Content, FieldLimits.Content, $"{Mh}/Content");
            Date(d.DueDate, $"{Mh}/DueDate");
            for (var i = 0; i < d.ToPlaces.Count; i++)
            {
                Length(d.ToPlaces[i], FieldLimits.ToPlace, $"{Mh}/ToPlaces/Place[{i + 1}]");
            }

            if (d.OtherInfo is { } oi)
            {
                Range(oi.Priority, 0, 4, $"{Mh}/OtherInfo/Priority");
                Length(oi.SphereOfPromulgation, FieldLimits.SphereOfPromulgation, $"{Mh}/OtherInfo/SphereOfPromulgation");
                Length(oi.TyperNotation, FieldLimits.TyperNotation, $"{Mh}/OtherInfo/TyperNotation");
                Range(oi.PromulgationAmount, 0, int.MaxValue, $"{Mh}/OtherInfo/PromulgationAmount");
                Range(oi.PageAmount, 0, int.MaxValue, $"{Mh}/OtherInfo/PageAmount");
            }

            for (var i = 0; i < d.ResponseFor.Count; i++)
            {
                var path = $"{Mh}/ResponseFor[{i + 1}]";
                AgencyId(d.ResponseFor[i].OrganId, $"{path}/OrganId", required: false);
                Date(d.ResponseFor[i].PromulgationDate, $"{path}/PromulgationDate");
            }

            Range(d.SteeringType, 0, 2, $"{Mh}/SteeringType");
            Required(d.DocumentId, $"{Mh}/DocumentId");
            for (var i = 0; i < d.TraceHeaders.Count; i++)
            {
                var path = $"TraceHeaderList/TraceHeader[{i + 1}]";
                AgencyId(d.TraceHeaders[i].OrganId, $"{path}/OrganId", required: false, CodeField.Trace);
                Date(d.TraceHeaders[i].Timestamp, $"{path}/Timestamp", warnOnly: true);
            }

            if (d.Business is { } b)
            {
                Business(b);
            }

            Secrets(d);
            Attachments(d);
        }

        public void Status(StatusPackage s)
        {
            Organization(s.From, $"{Mh}/From");
            if (s.ResponseFor is not { } rf)
            {
                Add(ErrorCode.MissingField, $"{Mh}/ResponseFor", "ResponseFor");
            }
            else
            {
                AgencyId(rf.OrganId, $"{Mh}/ResponseFor/OrganId", required: true);
                Required(rf.DocumentId, $"{Mh}/ResponseFor/DocumentId");
                Date(rf.PromulgationDate, $"{Mh}/ResponseFor/PromulgationDate");
            }

            if (string.IsNullOrEmpty(s.StatusCode))
            {
                Add(ErrorCode.MissingField, $"{Mh}/StatusCode", "StatusCode");
            }
            else if (s.Code is null)
            {
                Add(ErrorCode.UnknownStatusCode, $"{Mh}/StatusCode", s.StatusCode);
            }
            else if (s.Code == Model.StatusCode.Rejected)
            {
                // A receiver refusing a document must say why (Decree 30/2020).
                Required(s.Description, $"{Mh}/Description");
            }

            Required(s.Timestamp?.Text, $"{Mh}/Timestamp");
            Date(s.Timestamp, $"{Mh}/Timestamp");
        }

        private void Business(Business b)
        {
            const string path = "TraceHeaderList/Bussiness";
            if (b.BussinessDocType is null && !string.IsNullOrEmpty(b.BussinessDocTypeText))
            {
                Add(ErrorCode.UnknownBusinessType, $"{path}/BussinessDocType", b.BussinessDocTypeText);
            }

            Range(b.Paper, 0, 1, $"{path}/Paper");
            switch (b.BussinessDocType)
            {
                case BusinessDocType.Update when b.BussinessDocumentInfo is null:
                    Add(ErrorCode.MissingField, $"{path}/BussinessDocumentInfo", "BussinessDocumentInfo");
                    break;
                case BusinessDocType.Replace when b.ReplacementInfoList.Count == 0:
                    Add(ErrorCode.MissingField, $"{path}/ReplacementInfoList", "ReplacementInfoList");
                    break;
            }

            if (b.BussinessDocumentInfo is { } info)
            {
                for (var i = 0; i < info.ReceiverList.Count; i++)
                {
                    AgencyId(info.ReceiverList[i].OrganId, $"{path}/BussinessDocumentInfo/ReceiverList/Receiver[{i + 1}]/OrganId", required: true);
                }
            }

            for (var i = 0; i < b.ReplacementInfoList.Count; i++)
            {
                var r = b.ReplacementInfoList[i];
                var rp = $"{path}/ReplacementInfoList/ReplacementInfo[{i + 1}]";
                Required(r.DocumentId, $"{rp}/DocumentId");
                for (var j = 0; j < r.OrganIdList.Count; j++)
                {
                    AgencyId(r.OrganIdList[j], $"{rp}/OrganIdList/OrganId[{j + 1}]", required: true);
                }
            }
        }

        private void Secrets(DocumentPackage d)
        {
            Secret(d.Subject, SecretFieldKind.Text, $"{Mh}/Subject");
            Secret(d.Content, SecretFieldKind.Text, $"{Mh}/Content");
            Secret(d.OtherInfo?.SphereOfPromulgation, SecretFieldKind.Marking, $"{Mh}/OtherInfo/SphereOfPromulgation");
            for (var i = 0; i < (d.OtherInfo?.Appendixes.Count ?? 0); i++)
            {
                Secret(d.OtherInfo!.Appendixes[i], SecretFieldKind.Text, $"{Mh}/OtherInfo/Appendixes/Appendix[{i + 1}]");
            }

            Secret(d.DocumentType?.TypeName, SecretFieldKind.Marking, $"{Mh}/DocumentType/TypeName");
            for (var i = 0; i < d.Attachments.Count; i++)
            {
                Secret(d.Attachments[i].Description, SecretFieldKind.Text, $"AttachmentEncoded/Attachment[{i + 1}]/Description");
            }
        }

        private void Secret(string? value, SecretFieldKind kind, string path)
        {
            if (SecretMarking.FindMarking(value, kind) is { } marking)
            {
                Add(ErrorCode.SecretDocument, path, marking);
            }
        }

        private void Attachments(DocumentPackage d)
        {
            for (var i = 0; i < d.References.Count; i++)
            {
                var r = d.References[i];
                if (!d.Attachments.Any(a => ContentIds.Same(a.ContentId, r.ContentId)))
                {
                    Add(ErrorCode.AttachmentMissing, $"edXMLManifest/Reference[{i + 1}]/ContentId", r.ContentId);
                }
            }

            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < d.Attachments.Count; i++)
            {
                var a = d.Attachments[i];
                var path = $"AttachmentEncoded/Attachment[{i + 1}]";
                Required(a.ContentId, $"{path}/ContentId");
                if (!string.IsNullOrEmpty(a.ContentId) && !ids.Add(ContentIds.Bare(a.ContentId)))
                {
                    Add(ErrorCode.DuplicateField, $"{path}/ContentId", $"ContentId {a.ContentId}");
                }

                if (!string.IsNullOrEmpty(a.ContentId) && !d.References.Any(r => ContentIds.Same(a.ContentId, r.ContentId)))
                {
                    Findings.Add(EdxmlError.Warn(ErrorCode.AttachmentUnreferenced, $"{path}/ContentId", a.ContentId));
                }

                if (a.Content.Length == 0)
                {
                    Add(ErrorCode.MissingField, $"{path}/ContentTransferEncoded", "ContentTransferEncoded");
                }
                else if (a.IsZip)
                {
                    try
                    {
                        _ = a.Files(options.Limits);
                    }
                    catch (EdxmlFormatException ex)
                    {
                        Findings.Add(ex.Error with { Field = path });
                    }
                }
            }
        }

        private void Organization(Organization? o, string path)
        {
            if (o is null)
            {
                Add(ErrorCode.MissingField, path, path[(path.LastIndexOf('/') + 1)..]);
                return;
            }

            AgencyId(o.OrganId, $"{path}/OrganId", required: true);
            Length(o.OrganName, FieldLimits.OrganName, $"{path}/OrganName");
            Length(o.OrganizationInCharge, FieldLimits.OrganizationInCharge, $"{path}/OrganizationInCharge");
            Length(o.OrganAdd, FieldLimits.OrganAdd, $"{path}/OrganAdd");
            Length(o.Email, FieldLimits.Email, $"{path}/Email");
            Length(o.Telephone, FieldLimits.Telephone, $"{path}/Telephone");
            Length(o.Fax, FieldLimits.Fax, $"{path}/Fax");
        }

        private void AgencyId(string? code, string path, bool required, CodeField kind = CodeField.Agency)
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                if (required)
                {
                    Add(ErrorCode.MissingField, path, path[(path.LastIndexOf('/') + 1)..]);
                }

                return;
            }

            if (AgencyCode.Check(code, path) is not { } error)
            {
                return;
            }

            var tolerated = kind == CodeField.Trace
                || (AgencyCode.IsNonStandard(code, out var token)
                    && (options.Legacy || options.AcceptedNonStandardCodes?.Contains(token) == true));
            Findings.Add(tolerated ? error with { Severity = Severity.Warning } : error);
        }

        private void Required(string? value, string path)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Add(ErrorCode.MissingField, path, path[(path.LastIndexOf('/') + 1)..]);
            }
        }

        private void Length(string? value, int max, string path, bool warnOnly = false)
        {
            if (value is not null && value.Length > max)
            {
                Findings.Add(warnOnly ? EdxmlError.Warn(ErrorCode.FieldTooLong, path, value.Length, max) : EdxmlError.Create(ErrorCode.FieldTooLong, path, value.Length, max));
            }
        }

        private void Range(int? value, int min, int max, string path)
        {
            if (value is { } v && (v < min || v > max))
            {
                var range = max == int.MaxValue ? $"at least {min}" : $"{min} to {max}";
                Add(ErrorCode.InvalidNumber, path, v.ToString(CultureInfo.InvariantCulture), range);
            }
        }

        private void Date(IWrittenTime? time, string path, bool warnOnly = false)
        {
            if (time is null)
            {
                return;
            }

            if (!time.Parses)
            {
                Findings.Add(warnOnly ? EdxmlError.Warn(ErrorCode.InvalidDate, path, time.Text, time.StandardFormat) : EdxmlError.Create(ErrorCode.InvalidDate, path, time.Text, time.StandardFormat));
            }
            else if (!time.IsStandardFormat)
            {
                Findings.Add(EdxmlError.Warn(ErrorCode.Tolerated, path, $"'{time.Text}' is not written {time.StandardFormat}"));
            }
        }

        private void Add(string code, string field, params object?[] args) => Findings.Add(EdxmlError.Create(code, field, args));
    }
}
