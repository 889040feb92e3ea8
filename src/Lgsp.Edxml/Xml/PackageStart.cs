namespace Lgsp.Edxml.Xml;

/// <summary>Finds where the XML of a package begins. The national SDK writes junk bytes
/// (<c>1212</c>) before <c>&lt;?xml</c>; whether that is tolerated is a policy decision made by the
/// validator, but every reader must be able to skip it.</summary>
public static class PackageStart
{
    /// <summary>The number of bytes before the first <c>&lt;</c> (after an optional UTF-8 byte-order
    /// mark, which is not counted as junk). Returns 0 for a clean package and for input with no
    /// <c>&lt;</c> within the first 4 KiB (the parser then reports it as malformed).</summary>
    public static int JunkLength(ReadOnlySpan<byte> head)
    {
        var bom = head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var window = head[bom..Math.Min(head.Length, 4096)];
        var lt = window.IndexOf((byte)'<');
        return lt <= 0 ? 0 : lt;
    }

    /// <summary>Where the XML starts: the BOM if present, else the first <c>&lt;</c>.</summary>
    public static int XmlOffset(ReadOnlySpan<byte> head)
    {
        var junk = JunkLength(head);
        return junk == 0 ? 0 : junk + (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0);
    }
}
