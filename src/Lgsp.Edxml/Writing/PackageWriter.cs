using System.Globalization;
using System.Text;
using System.Xml;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Reading;

namespace Lgsp.Edxml.Writing;

/// <summary>
/// Writes packages in the standard's form: UTF-8 without byte-order mark, every element in the
/// edXML namespace with the <c>edXML</c> prefix, children in the order of the standard, absent
/// (null) values omitted, attachments base64-encoded in chunks straight from their content.
/// What it writes reads back equal through <see cref="PackageReader"/>.
/// </summary>
/// <remarks>Strict in what it writes: it never emits a placeholder signature (sign the written
/// bytes with the signature API instead). Thread safe: every call is independent.</remarks>
public static class PackageWriter
{
    private const string P = "edXML";
    private const string Ns = PackageReader.Namespace;

    /// <summary>Writes a package to a stream (left open).</summary>
    public static void Write(EdxmlPackage package, Stream output)
    {
        ArgumentNullException.ThrowIfNull(package);
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            CloseOutput = false,
        };
        using var w = XmlWriter.Create(output, settings);
        w.WriteStartDocument();
        w.WriteStartElement(P, "edXML", Ns);
        w.WriteStartElement(P, "edXMLEnvelope", Ns);
        w.WriteStartElement(P, "edXMLHeader", Ns);
        switch (package)
        {
            case DocumentPackage d:
                WriteDocumentHeader(w, d);
                break;
            case StatusPackage s:
                WriteStatusHeader(w, s);
                break;
            default:
                throw new ArgumentException($"Unknown package type {package.GetType().Name}.", nameof(package));
        }

        w.WriteEndElement(); // edXMLHeader
        if (package is DocumentPackage doc)
        {
            WriteBody(w, doc);
        }

        w.WriteEndElement(); // edXMLEnvelope
        if (package is DocumentPackage { Attachments.Count: > 0 } withAttachments)
        {
            WriteAttachments(w, withAttachments);
        }

        w.WriteEndElement(); // edXML
        w.WriteEndDocument();
    }

    /// <summary>Writes a package to a byte array.</summary>
    public static byte[] ToBytes(EdxmlPackage package)
    {
        using var buffer = new MemoryStream();
        Write(package, buffer);
        return buffer.ToArray();
    }

    /// <summary>Writes a package to a file (created or replaced).</summary>
    public static void WriteFile(EdxmlPackage package, string path)
    {
        using var file = File.Create(path);
        Write(package, file);
    }

    private static void WriteDocumentHeader(XmlWriter w, DocumentPackage d)
    {
        w.WriteStartElement(P, "MessageHeader", Ns);
        Org(w, "From", d.From);
        foreach (var to in d.To)
        {
            Org(w, "To", to);
        }

        if (d.Code is { } code)
        {
            w.WriteStartElement(P, "Code", Ns);
            Text(w, "CodeNumber", code.CodeNumber);
            Text(w, "CodeNotation", code.CodeNotation);
            w.WriteEndElement();
        }

        if (d.PromulgationInfo is { } pi)
        {
            w.WriteStartElement(P, "PromulgationInfo", Ns);
            Text(w, "Place", pi.Place);
            Text(w, "PromulgationDate", pi.PromulgationDate?.Text);
            w.WriteEndElement();
        }

        if (d.DocumentType is { } dt)
        {
            w.WriteStartElement(P, "DocumentType", Ns);
            Text(w, "Type", dt.Type);
            Text(w, "TypeDetail", dt.TypeDetail);
            Text(w, "TypeName", dt.TypeName);
            w.WriteEndElement();
        }

        Text(w, "Subject", d.Subject);
        Text(w, "Content", d.Content);
        if (d.SignerInfo is { } si)
        {
            w.WriteStartElement(P, "SignerInfo", Ns);
            Text(w, "Competence", si.Competence);
            Text(w, "Position", si.Position);
            Text(w, "FullName", si.FullName);
            w.WriteEndElement();
        }

        Text(w, "DueDate", d.DueDate?.Text);
        if (d.ToPlaces.Count > 0)
        {
            w.WriteStartElement(P, "ToPlaces", Ns);
            foreach (var place in d.ToPlaces)
            {
                Text(w, "Place", place);
            }

            w.WriteEndElement();
        }

        if (d.OtherInfo is { } oi)
        {
            w.WriteStartElement(P, "OtherInfo", Ns);
            Text(w, "Priority", Num(oi.Priority));
            Text(w, "SphereOfPromulgation", oi.SphereOfPromulgation);
            Text(w, "TyperNotation", oi.TyperNotation);
            Text(w, "PromulgationAmount", Num(oi.PromulgationAmount));
            Text(w, "PageAmount", Num(oi.PageAmount));
            Text(w, "Direction", oi.Direction is { } dir ? (dir ? "true" : "false") : null);
            if (oi.Appendixes.Count > 0)
            {
                w.WriteStartElement(P, "Appendixes", Ns);
                foreach (var a in oi.Appendixes)
                {
                    Text(w, "Appendix", a);
                }

                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        foreach (var rf in d.ResponseFor)
        {
            WriteResponseFor(w, rf);
        }

        Text(w, "SteeringType", Num(d.SteeringType));
        Text(w, "DocumentId", d.DocumentId);
        w.WriteEndElement(); // MessageHeader

        if (d.TraceHeaders.Count > 0 || d.Business is not null)
        {
            w.WriteStartElement(P, "TraceHeaderList", Ns);
            foreach (var th in d.TraceHeaders)
            {
                w.WriteStartElement(P, "TraceHeader", Ns);
                Text(w, "OrganId", th.OrganId);
                Text(w, "Timestamp", th.Timestamp?.Text);
                w.WriteEndElement();
            }

            if (d.Business is { } b)
            {
                WriteBusiness(w, b);
            }

            w.WriteEndElement();
        }
    }

    private static void WriteBusiness(XmlWriter w, Business b)
    {
        w.WriteStartElement(P, "Bussiness", Ns);
        Text(w, "DocumentId", b.DocumentId);
        Text(w, "BussinessDocType", b.BussinessDocType is { } t ? Num((int)t) : b.BussinessDocTypeText);
        Text(w, "BussinessDocReason", b.BussinessDocReason);
        Text(w, "Paper", Num(b.Paper));
        if (b.BussinessDocumentInfo is { } info)
        {
            w.WriteStartElement(P, "BussinessDocumentInfo", Ns);
            Text(w, "DocumentInfo", info.DocumentInfo);
            Text(w, "DocumentReceiver", info.DocumentReceiver);
            if (info.ReceiverList.Count > 0)
            {
                w.WriteStartElement(P, "ReceiverList", Ns);
                foreach (var r in info.ReceiverList)
                {
                    w.WriteStartElement(P, "Receiver", Ns);
                    Text(w, "OrganId", r.OrganId);
                    Text(w, "ReceiverType", Num(r.ReceiverType));
                    w.WriteEndElement();
                }

                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        if (b.ReplacementInfoList.Count > 0)
        {
            w.WriteStartElement(P, "ReplacementInfoList", Ns);
            foreach (var r in b.ReplacementInfoList)
            {
                w.WriteStartElement(P, "ReplacementInfo", Ns);
                Text(w, "DocumentId", r.DocumentId);
                w.WriteStartElement(P, "OrganIdList", Ns);
                foreach (var id in r.OrganIdList)
                {
                    Text(w, "OrganId", id);
                }

                w.WriteEndElement();
                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        if (b.StaffInfo is { } staff)
        {
            Staff(w, staff);
        }

        w.WriteEndElement();
    }

    private static void WriteStatusHeader(XmlWriter w, StatusPackage s)
    {
        w.WriteStartElement(P, "MessageHeader", Ns);
        Org(w, "From", s.From);
        if (s.ResponseFor is { } rf)
        {
            WriteResponseFor(w, rf);
        }

        if (s.StaffInfo is { } staff)
        {
            Staff(w, staff);
        }

        Text(w, "StatusCode", s.StatusCode);
        Text(w, "Description", s.Description);
        Text(w, "Timestamp", s.Timestamp?.Text);
        w.WriteEndElement();
    }

    private static void WriteBody(XmlWriter w, DocumentPackage d)
    {
        w.WriteStartElement(P, "edXMLBody", Ns);
        w.WriteStartElement(P, "edXMLManifest", Ns);
        w.WriteAttributeString("version", d.ManifestVersion ?? "1.0");
        foreach (var r in d.References)
        {
            w.WriteStartElement(P, "Reference", Ns);
            Text(w, "ContentId", r.ContentId);
            Text(w, "ContentType", r.ContentType);
            Text(w, "Description", r.Description);
            Text(w, "AttachmentName", r.AttachmentName);
            w.WriteEndElement();
        }

        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void WriteAttachments(XmlWriter w, DocumentPackage d)
    {
        w.WriteStartElement(P, "AttachmentEncoded", Ns);
        var buffer = new byte[57 * 1024]; // a multiple of 3: no padding inside the stream
        foreach (var a in d.Attachments)
        {
            w.WriteStartElement(P, "Attachment", Ns);
            Text(w, "ContentId", a.ContentId);
            Text(w, "AttachmentName", a.AttachmentName);
            Text(w, "Description", a.Description);
            Text(w, "ContentType", a.ContentType);
            w.WriteStartElement(P, "ContentTransferEncoded", Ns);
            using (var content = a.Content.OpenRead())
            {
                int n;
                while ((n = content.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false)) > 0)
                {
                    w.WriteBase64(buffer, 0, n);
                }
            }

            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void Org(XmlWriter w, string name, Organization? o)
    {
        if (o is null)
        {
            return;
        }

        w.WriteStartElement(P, name, Ns);
        Text(w, "OrganId", o.OrganId);
        Text(w, "OrganName", o.OrganName);
        Text(w, "OrganizationInCharge", o.OrganizationInCharge);
        Text(w, "OrganAdd", o.OrganAdd);
        Text(w, "Email", o.Email);
        Text(w, "Telephone", o.Telephone);
        Text(w, "Fax", o.Fax);
        Text(w, "Website", o.Website);
        w.WriteEndElement();
    }

    private static void WriteResponseFor(XmlWriter w, ResponseFor rf)
    {
        w.WriteStartElement(P, "ResponseFor", Ns);
        Text(w, "OrganId", rf.OrganId);
        Text(w, "Code", rf.Code);
        Text(w, "PromulgationDate", rf.PromulgationDate?.Text);
        Text(w, "DocumentId", rf.DocumentId);
        w.WriteEndElement();
    }

    private static void Staff(XmlWriter w, StaffInfo s)
    {
        w.WriteStartElement(P, "StaffInfo", Ns);
        Text(w, "Department", s.Department);
        Text(w, "Staff", s.Staff);
        Text(w, "Mobile", s.Mobile);
        Text(w, "Email", s.Email);
        w.WriteEndElement();
    }

    private static void Text(XmlWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteElementString(P, name, Ns, value);
        }
    }

    private static string? Num(int? n) => n?.ToString(CultureInfo.InvariantCulture);
}
