using System.Xml;
using System.Xml.Schema;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Validation;

/// <summary>
/// What the schema validator reads: the package as producers write it, adjusted so the schema can
/// stay strict about names while the network stays tolerant about spelling.
/// <list type="bullet">
/// <item>Elements in no namespace inside an edXML root are reported in the edXML namespace (some
/// producers write unqualified children).</item>
/// <item>The text of <c>ContentTransferEncoded</c> is skipped without ever being materialised:
/// attachments can be 70 MB of base64 and a validating reader would buffer each as one string. The
/// package reader decodes and checks the base64 itself.</item>
/// <item>A child element its parent's schema type does not allow is reported through
/// <c>unexpectedChild</c> and hidden with its subtree, so the validating reader keeps checking the
/// siblings (it stops after the first invalid child otherwise).</item>
/// <item>It tracks the field path of the current node; a node's path stays current until the next
/// read, so a violation raised on an end tag (bad value, missing content) names that element.</item>
/// </list>
/// </summary>
/// <remarks>Not thread safe; one per validation.</remarks>
internal sealed class SchemaInputReader : DelegatingXmlReader
{
    private const string HiddenTextElement = "ContentTransferEncoded";

    private readonly XmlSchemaSet _schemas;
    private readonly Action<string, string> _unexpectedChild;
    private readonly FieldPathTracker _path = new();
    private readonly string _edxmlNamespace;

    // Each open element by depth: its name and the children it allows (null: not judged here).
    private readonly List<(string Name, SchemaChildElements? Children)> _openElements = [];
    private bool _pendingLeave;
    private int _hiddenTextDepth = -1;

    /// <param name="inner">The safe reader over the package.</param>
    /// <param name="schemas">The compiled schema the package is validated against.</param>
    /// <param name="unexpectedChild">Called with the field path and a message for each child
    /// element its parent does not allow.</param>
    public SchemaInputReader(XmlReader inner, XmlSchemaSet schemas, Action<string, string> unexpectedChild)
        : base(inner)
    {
        _schemas = schemas;
        _unexpectedChild = unexpectedChild;
        _edxmlNamespace = inner.NameTable.Add(EdxmlSchemas.TargetNamespace);
    }

    /// <summary>True once the root element has been read.</summary>
    public bool RootSeen { get; private set; }

    /// <summary>True when the root element is <c>edXML</c> in the edXML namespace.</summary>
    public bool RootIsEdxml { get; private set; }

    /// <summary>The root element as read: local name and namespace (empty for none).</summary>
    public (string LocalName, string NamespaceUri) Root { get; private set; } = (string.Empty, string.Empty);

    /// <summary>The field path of the current node (see <see cref="FieldPath"/>).</summary>
    public string CurrentPath => _path.Current;

    public override string NamespaceURI => IsRemapped ? _edxmlNamespace : Inner.NamespaceURI;

    public override bool Read()
    {
        if (_pendingLeave)
        {
            _path.Leave();
            _pendingLeave = false;
        }

        var more = Inner.Read();
        while (more)
        {
            if (_hiddenTextDepth >= 0 && IsHiddenText())
            {
                // Moving on without touching Value lets the parser skip the text in buffer-sized chunks.
                more = Inner.Read();
            }
            else if (Inner.NodeType == XmlNodeType.Element && RootSeen && !IsAllowedChild(out var parent))
            {
                _path.Enter(Inner.LocalName);
                _unexpectedChild(_path.Current, Unexpected(parent));
                _path.Leave();
                more = SkipSubtree();
            }
            else
            {
                break;
            }
        }

        if (!more)
        {
            return false;
        }

        switch (Inner.NodeType)
        {
            case XmlNodeType.Element:
                OnElement();
                break;
            case XmlNodeType.EndElement:
                if (Inner.Depth == _hiddenTextDepth)
                {
                    _hiddenTextDepth = -1;
                }

                _pendingLeave = true;
                break;
        }

        return true;
    }

    private void OnElement()
    {
        XmlSchemaType? type;
        if (!RootSeen)
        {
            RootSeen = true;
            Root = (Inner.LocalName, Inner.NamespaceURI);
            RootIsEdxml = Inner.LocalName == "edXML" && Inner.NamespaceURI == EdxmlSchemas.TargetNamespace;
            type = (_schemas.GlobalElements[new XmlQualifiedName(Inner.LocalName, Inner.NamespaceURI)] as XmlSchemaElement)?.ElementSchemaType;
        }
        else
        {
            type = null;
            _openElements[Inner.Depth - 1].Children?.Allows(Inner.LocalName, NamespaceURI, out type);
        }

        _path.Enter(Inner.LocalName);
        if (Inner.IsEmptyElement)
        {
            _pendingLeave = true;
            return;
        }

        while (_openElements.Count > Inner.Depth)
        {
            _openElements.RemoveAt(_openElements.Count - 1);
        }

        _openElements.Add((Inner.LocalName, SchemaChildElements.Of(type)));
        if (_hiddenTextDepth < 0 && Inner.LocalName == HiddenTextElement && NamespaceURI == EdxmlSchemas.TargetNamespace)
        {
            _hiddenTextDepth = Inner.Depth;
        }
    }

    /// <summary>True unless the current element's parent is judged here and does not allow it.</summary>
    private bool IsAllowedChild(out (string Name, SchemaChildElements Children) parent)
    {
        parent = default;
        var depth = Inner.Depth;
        if (depth == 0 || depth > _openElements.Count || _openElements[depth - 1] is not (var name, { } children))
        {
            return true;
        }

        parent = (name, children);
        return children.Allows(Inner.LocalName, NamespaceURI, out _);
    }

    private string Unexpected((string Name, SchemaChildElements Children) parent)
    {
        var ns = NamespaceURI;
        var child = ns == EdxmlSchemas.TargetNamespace ? $"'{Inner.LocalName}'" : $"'{Inner.LocalName}' in namespace '{ns}'";
        var where = HasLineInfo() ? $" (line {LineNumber}, column {LinePosition})" : string.Empty;
        return $"The element '{parent.Name}' has invalid child element {child}. List of possible elements expected: '{parent.Children.Expected}'.{where}";
    }

    /// <summary>Moves past the current element and its content without showing them.</summary>
    private bool SkipSubtree()
    {
        if (!Inner.IsEmptyElement)
        {
            var depth = Inner.Depth;
            while (Inner.Read() && Inner.Depth > depth)
            {
                // Limits still apply: every node goes through the safe reader.
            }
        }

        return Inner.Read();
    }

    private bool IsHiddenText() =>
        Inner.Depth == _hiddenTextDepth + 1
        && Inner.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace;

    private bool IsRemapped =>
        RootIsEdxml
        && Inner.NodeType is XmlNodeType.Element or XmlNodeType.EndElement
        && Inner.Depth > 0
        && Inner.NamespaceURI.Length == 0;
}
