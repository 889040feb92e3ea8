namespace Lgsp.Edxml.Xml;

/// <summary>
/// The field paths every finding uses: local element names below the root joined by <c>/</c>,
/// starting at the nearest anchor (<c>MessageHeader</c>, <c>TraceHeaderList</c>,
/// <c>edXMLManifest</c>, <c>AttachmentEncoded</c>, <c>Signature</c>, <c>DigitalSignature</c>), with a
/// 1-based index on repeatable elements: <c>MessageHeader/To[2]/OrganId</c>,
/// <c>AttachmentEncoded/Attachment[1]/ContentTransferEncoded</c>. <c>/</c> means the whole package.
/// </summary>
public static class FieldPath
{
    /// <summary>Elements that may repeat among their siblings; they always carry an index.</summary>
    public static readonly IReadOnlySet<string> Repeatable = new HashSet<string>(StringComparer.Ordinal)
    {
        "To", "ResponseFor", "TraceHeader", "Reference", "Attachment", "Appendix",
        "Receiver", "ReplacementInfo",
    };

    /// <summary>Elements a path starts at (everything above them is dropped).</summary>
    public static readonly IReadOnlySet<string> Anchors = new HashSet<string>(StringComparer.Ordinal)
    {
        "MessageHeader", "TraceHeaderList", "edXMLManifest", "AttachmentEncoded", "Signature", "DigitalSignature",
    };

    /// <summary>Joins path segments (already indexed where needed).</summary>
    public static string Join(params string[] segments) => string.Join('/', segments);

    /// <summary>The segment for the <paramref name="index"/>-th (1-based) occurrence of a repeatable element.</summary>
    public static string Indexed(string name, int index) => $"{name}[{index}]";
}

/// <summary>Tracks the current field path while streaming through a package.</summary>
/// <remarks>Not thread safe; one per read.</remarks>
public sealed class FieldPathTracker
{
    private readonly List<string> _segments = [];
    private readonly List<Dictionary<string, int>> _siblingCounts = [new(StringComparer.Ordinal)];

    /// <summary>Call on every start tag (including empty elements, followed by <see cref="Leave"/>).</summary>
    public void Enter(string localName)
    {
        var counts = _siblingCounts[^1];
        counts.TryGetValue(localName, out var n);
        counts[localName] = ++n;
        _segments.Add(FieldPath.Repeatable.Contains(localName) ? FieldPath.Indexed(localName, n) : localName);
        _siblingCounts.Add(new Dictionary<string, int>(StringComparer.Ordinal));
    }

    /// <summary>Call on every end tag, and right after <see cref="Enter"/> for an empty element.</summary>
    public void Leave()
    {
        if (_segments.Count == 0)
        {
            return;
        }

        _segments.RemoveAt(_segments.Count - 1);
        _siblingCounts.RemoveAt(_siblingCounts.Count - 1);
    }

    /// <summary>The current path, from its anchor; <c>/</c> at the root.</summary>
    public string Current
    {
        get
        {
            var start = 0;
            for (var i = _segments.Count - 1; i >= 0; i--)
            {
                var bare = _segments[i];
                var bracket = bare.IndexOf('[', StringComparison.Ordinal);
                if (FieldPath.Anchors.Contains(bracket < 0 ? bare : bare[..bracket]))
                {
                    start = i;
                    break;
                }
            }

            // Above any anchor the root element itself is dropped: "edXMLEnvelope/edXMLHeader".
            if (start == 0 && _segments.Count > 0 && !FieldPath.Anchors.Contains(_segments[0]))
            {
                start = 1;
            }

            return start >= _segments.Count ? "/" : string.Join('/', _segments.Skip(start));
        }
    }
}
