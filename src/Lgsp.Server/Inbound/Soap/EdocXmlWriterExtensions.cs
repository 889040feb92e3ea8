using System.Globalization;
using System.Xml;

namespace Lgsp.Server.Inbound.Soap;

/// <summary>
/// Writes the children of a response in <c>urn:lgsp:edoc:1</c>, in the lexical forms of the XSD:
/// <c>xs:long</c>, <c>xs:boolean</c>, <c>xs:dateTime</c> in UTC, <c>xs:base64Binary</c> written in
/// chunks. Optional values that are null are omitted.
/// </summary>
public static class EdocXmlWriterExtensions
{
    /// <summary>Opens an element of the service namespace (an <c>Item</c>, a <c>Delivery</c>…);
    /// close it with <see cref="XmlWriter.WriteEndElement"/>.</summary>
    public static void WriteEdocStartElement(this XmlWriter writer, string localName)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartElement(localName, EdocContract.Namespace);
    }

    /// <summary>Writes a text element; nothing when <paramref name="value"/> is null. Characters
    /// XML cannot carry are replaced by U+FFFD.</summary>
    public static void WriteEdocElement(this XmlWriter writer, string localName, string? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is not null)
        {
            writer.WriteElementString(localName, EdocContract.Namespace, XmlText.Clean(value));
        }
    }

    /// <summary>Writes an <c>xs:long</c> (or <c>xs:int</c>) element.</summary>
    public static void WriteEdocElement(this XmlWriter writer, string localName, long value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteElementString(localName, EdocContract.Namespace, value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Writes an <c>xs:boolean</c> element: <c>true</c> or <c>false</c>.</summary>
    public static void WriteEdocElement(this XmlWriter writer, string localName, bool value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteElementString(localName, EdocContract.Namespace, value ? "true" : "false");
    }

    /// <summary>Writes an <c>xs:dateTime</c> element in UTC (<c>2026-01-31T08:00:00.123Z</c>);
    /// nothing when <paramref name="value"/> is null.</summary>
    public static void WriteEdocElement(this XmlWriter writer, string localName, DateTimeOffset? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v)
        {
            writer.WriteElementString(localName, EdocContract.Namespace, v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Writes an <c>xs:base64Binary</c> element, encoding in chunks straight into the
    /// output (no intermediate string).</summary>
    public static void WriteEdocBase64Element(this XmlWriter writer, string localName, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(writer);
        const int Chunk = 48 * 1024; // a multiple of 3: no padding between chunks
        writer.WriteStartElement(localName, EdocContract.Namespace);
        if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment) && segment.Array is not null)
        {
            for (var offset = 0; offset < segment.Count; offset += Chunk)
            {
                writer.WriteBase64(segment.Array, segment.Offset + offset, Math.Min(Chunk, segment.Count - offset));
            }
        }
        else
        {
            var buffer = new byte[Math.Min(Chunk, data.Length)];
            for (var offset = 0; offset < data.Length; offset += Chunk)
            {
                var length = Math.Min(Chunk, data.Length - offset);
                data.Span.Slice(offset, length).CopyTo(buffer);
                writer.WriteBase64(buffer, 0, length);
            }
        }

        writer.WriteEndElement();
    }
}

/// <summary>Makes text safe for XML 1.0.</summary>
internal static class XmlText
{
    /// <summary>Returns <paramref name="text"/> with every character XML 1.0 cannot carry (control
    /// characters, lone surrogates) replaced by U+FFFD; the same instance when there are none.</summary>
    public static string Clean(string text)
    {
        var first = FirstInvalid(text, 0);
        if (first < 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        for (var i = first; i >= 0; i = FirstInvalid(text, i + 1))
        {
            chars[i] = '\uFFFD';
        }

        return new string(chars);
    }

    private static int FirstInvalid(string text, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (!XmlConvert.IsXmlChar(c))
            {
                return i;
            }
        }

        return -1;
    }
}
