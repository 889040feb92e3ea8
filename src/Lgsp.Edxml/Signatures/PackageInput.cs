using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Spooling;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Signatures;

/// <summary>Reads package bytes and finds where the XML starts.</summary>
internal static class PackageInput
{
    /// <summary>Reads <paramref name="input"/> to its end, refusing more than the package limit
    /// (plus room for junk bytes).</summary>
    /// <exception cref="EdxmlFormatException">The input is larger than the limit.</exception>
    public static byte[] ReadAll(Stream input, XmlLimits limits)
    {
        var max = limits.MaxPackageBytes + 4096;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = input.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + n > max)
            {
                throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.TooLarge, "/", "The package", $"{limits.MaxPackageBytes} bytes"));
            }

            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }

    /// <summary>Where the XML of a spooled package starts: after junk bytes and a UTF-8 byte-order mark
    /// (as <see cref="XmlPart"/> cuts them).</summary>
    public static long XmlStart(PackageSpool package)
    {
        using var input = package.OpenRead();
        var head = new byte[4096];
        var n = input.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var start = PackageStart.XmlOffset(head.AsSpan(0, n));
        return head.AsSpan(start, n - start).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? start + 3 : start;
    }

    /// <summary>The XML of a package: junk bytes before it and a UTF-8 byte-order mark dropped.</summary>
    public static byte[] XmlPart(byte[] package)
    {
        var start = PackageStart.XmlOffset(package);
        if (package.AsSpan(start).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            start += 3;
        }

        return start == 0 ? package : package[start..];
    }
}
