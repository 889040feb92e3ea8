using System.IO.Compression;
using System.Text;
using Lgsp.Edxml.Model;
using Lgsp.TestSupport.Packages;

namespace Lgsp.Server.Tests.Inbound.Hostile;

/// <summary>The hostile packages and envelopes the tests send (docs/security.md, "Hostile input at the doors").</summary>
public static class HostileInputs
{
    private const string Prolog = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
    private const string Ns = "http://www.mic.gov.vn/TBT/QCVN_102_2016";

    /// <summary>An external entity naming a local file.</summary>
    public static byte[] XxeFile() => Utf8(Prolog + "<!DOCTYPE edXMLEnvelope [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + $"<edXMLEnvelope xmlns=\"{Ns}\"><edXMLHeader>&x;</edXMLHeader></edXMLEnvelope>");

    /// <summary>An external entity naming a URL (<paramref name="url"/>: a listener that counts who calls).</summary>
    public static byte[] XxeNetwork(Uri url) => Utf8(Prolog + $"<!DOCTYPE edXMLEnvelope [<!ENTITY % p SYSTEM \"{url}\"> %p;]>"
        + $"<edXMLEnvelope xmlns=\"{Ns}\"><edXMLHeader/></edXMLEnvelope>");

    /// <summary>Entity expansion ("billion laughs").</summary>
    public static byte[] EntityExpansion()
    {
        var dtd = new StringBuilder("<!DOCTYPE edXMLEnvelope [<!ENTITY l0 \"lol\">");
        for (var i = 1; i <= 9; i++)
        {
            dtd.Append($"<!ENTITY l{i} \"{string.Concat(Enumerable.Repeat($"&l{i - 1};", 10))}\">");
        }

        return Utf8(Prolog + dtd + "]>" + $"<edXMLEnvelope xmlns=\"{Ns}\"><edXMLHeader>&l9;</edXMLHeader></edXMLEnvelope>");
    }

    /// <summary>Elements nested 100 000 deep in the header.</summary>
    public static byte[] DeepNesting()
    {
        const int depth = 100_000;
        return Utf8(Prolog + $"<edXML xmlns=\"{Ns}\"><edXMLEnvelope><edXMLHeader>" + string.Concat(Enumerable.Repeat("<a>", depth)) + string.Concat(Enumerable.Repeat("</a>", depth))
            + "</edXMLHeader></edXMLEnvelope></edXML>");
    }

    /// <summary>A 30 MB attribute on the root.</summary>
    public static byte[] HugeAttribute() =>
        Utf8(Prolog + $"<edXMLEnvelope xmlns=\"{Ns}\" x=\"{new string('A', 30_000_000)}\"><edXMLHeader/></edXMLEnvelope>");

    /// <summary>A signed document whose attachment is a zip declaring 300 MB of zeros in about 300 KB
    /// (a thousand to one).</summary>
    public static byte[] ZipBomb(HostileHub hub)
    {
        var zip = ZipOfZeros(300_000_000);
        return hub.Signed(TestPackages.Document(HostileHub.HostileAgency, [HostileHub.Recipient], edit: p => p with
        {
            References = [new ManifestReference("cid:1", "application/zip", "Văn bản", "van-ban.zip")],
            Attachments = [Attachment.FromBytes("van-ban.zip", zip, "application/zip", "cid:1", description: "Văn bản")],
        }));
    }

    /// <summary>A signed document whose subject holds a byte sequence that is not UTF-8.</summary>
    public static byte[] InvalidUtf8(HostileHub hub)
    {
        var package = hub.Signed(TestPackages.Document(HostileHub.HostileAgency, [HostileHub.Recipient], subject: "V/v thử nghiệm XXXX"));
        var at = IndexOf(package, "XXXX"u8);
        package[at] = 0xC3;
        package[at + 1] = 0x28;
        package[at + 2] = 0xFF;
        return package;
    }

    private static byte[] ZipOfZeros(long bytes)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry("van-ban.pdf", CompressionLevel.Optimal).Open();
            var zeros = new byte[1024 * 1024];
            for (long written = 0; written < bytes; written += zeros.Length)
            {
                entry.Write(zeros, 0, (int)Math.Min(zeros.Length, bytes - written));
            }
        }

        return buffer.ToArray();
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle)
    {
        var at = haystack.AsSpan().IndexOf(needle);
        return at >= 0 ? at : throw new InvalidOperationException("The marker is not in the package.");
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
