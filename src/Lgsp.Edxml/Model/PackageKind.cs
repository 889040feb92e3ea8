namespace Lgsp.Edxml.Model;

/// <summary>The two kinds of edXML package (the axis protocol's <c>messagetype</c>).</summary>
public enum PackageKind
{
    /// <summary>An official document (<c>edoc</c>): new, revoke, update or replace.</summary>
    Document,

    /// <summary>A business status about an earlier document (<c>status</c>).</summary>
    Status,
}
