using System.Globalization;
using System.Xml.Linq;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;

namespace Lgsp.Edxml.Reading;

// Element lookup (tolerating unqualified names) and the typed values read from elements.
public static partial class PackageReader
{
    private sealed partial class Session
    {
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
