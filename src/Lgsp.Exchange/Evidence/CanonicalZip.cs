using System.Buffers.Binary;
using System.Text;

namespace Lgsp.Exchange.Evidence;

/// <summary>A file in a canonical zip.</summary>
/// <param name="Name">Its path inside the zip: forward slashes, UTF-8.</param>
/// <param name="Data">Its bytes.</param>
public sealed record ZipFile(string Name, byte[] Data);

/// <summary>Why bytes are not a canonical zip, and where.</summary>
/// <param name="Offset">The first byte that differs from the canonical form (or where reading stopped).</param>
/// <param name="Problem">The reason, naming the region of the zip the byte lies in.</param>
public sealed record ZipProblem(long Offset, string Problem);

/// <summary>
/// The one writer and the strict reader of evidence bundles' container: a zip whose every byte is
/// determined by its files' names and contents. Files are stored (no compression), sorted by name
/// (ordinal), dated 1980-01-01 00:00, flagged UTF-8, with no extra fields, comments, data descriptors
/// or gaps. A zip has bytes no content check covers (timestamps, extra fields, comments); requiring
/// the canonical form means a change to any byte of a bundle is a change a verifier sees.
/// </summary>
/// <remarks>Thread safe: stateless. No Zip64: a bundle is at most 4 GiB and 65 535 files.</remarks>
public static class CanonicalZip
{
    private const uint LocalSignature = 0x04034b50;
    private const uint CentralSignature = 0x02014b50;
    private const uint EndSignature = 0x06054b50;
    private const int LocalHeaderLength = 30;
    private const int CentralHeaderLength = 46;
    private const int EndLength = 22;
    private const ushort Version = 20;
    private const ushort Utf8Names = 0x0800;
    private const ushort DosDate = (0 << 9) | (1 << 5) | 1;
    private const int MaxFiles = ushort.MaxValue;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes the canonical zip of <paramref name="files"/> (in any order).</summary>
    /// <exception cref="ArgumentException">A name is empty, repeated or too long, or the zip would
    /// exceed 4 GiB or 65 535 files.</exception>
    public static byte[] Write(IEnumerable<ZipFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var sorted = files.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        if (sorted.Count > MaxFiles)
        {
            throw new ArgumentException($"A bundle holds at most {MaxFiles} files.", nameof(files));
        }

        var names = new List<byte[]>(sorted.Count);
        long total = EndLength;
        for (var i = 0; i < sorted.Count; i++)
        {
            var name = StrictUtf8.GetBytes(sorted[i].Name);
            if (name.Length is 0 or > ushort.MaxValue || (i > 0 && sorted[i].Name == sorted[i - 1].Name))
            {
                throw new ArgumentException($"File name '{sorted[i].Name}' is empty, too long or repeated.", nameof(files));
            }

            names.Add(name);
            total += LocalHeaderLength + CentralHeaderLength + 2L * name.Length + sorted[i].Data.Length;
        }

        if (total > uint.MaxValue)
        {
            throw new ArgumentException("A bundle is at most 4 GiB.", nameof(files));
        }

        var zip = new byte[total];
        var offsets = new uint[sorted.Count];
        var crcs = new uint[sorted.Count];
        var at = 0;
        for (var i = 0; i < sorted.Count; i++)
        {
            var data = sorted[i].Data;
            offsets[i] = (uint)at;
            crcs[i] = Crc32.Of(data);
            var header = zip.AsSpan(at);
            BinaryPrimitives.WriteUInt32LittleEndian(header, LocalSignature);
            WriteFileFields(header[4..], crcs[i], data.Length, names[i].Length);
            at += LocalHeaderLength;
            names[i].CopyTo(zip, at);
            at += names[i].Length;
            data.CopyTo(zip, at);
            at += data.Length;
        }

        var centralStart = at;
        for (var i = 0; i < sorted.Count; i++)
        {
            var header = zip.AsSpan(at);
            BinaryPrimitives.WriteUInt32LittleEndian(header, CentralSignature);
            BinaryPrimitives.WriteUInt16LittleEndian(header[4..], Version);
            WriteFileFields(header[6..], crcs[i], sorted[i].Data.Length, names[i].Length);

            // Extra field, comment, disk number, internal and external attributes: all zero.
            BinaryPrimitives.WriteUInt32LittleEndian(header[42..], offsets[i]);
            at += CentralHeaderLength;
            names[i].CopyTo(zip, at);
            at += names[i].Length;
        }

        var end = zip.AsSpan(at);
        BinaryPrimitives.WriteUInt32LittleEndian(end, EndSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)sorted.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)sorted.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)(at - centralStart));
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)centralStart);
        return zip;
    }

    /// <summary>The fields a local and a central header share, from "version needed" to the extra
    /// field's length (zero).</summary>
    private static void WriteFileFields(Span<byte> at, uint crc, int size, int nameLength)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(at, Version);
        BinaryPrimitives.WriteUInt16LittleEndian(at[2..], Utf8Names);
        BinaryPrimitives.WriteUInt16LittleEndian(at[4..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(at[6..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(at[8..], DosDate);
        BinaryPrimitives.WriteUInt32LittleEndian(at[10..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(at[14..], (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(at[18..], (uint)size);
        BinaryPrimitives.WriteUInt16LittleEndian(at[22..], (ushort)nameLength);
        BinaryPrimitives.WriteUInt16LittleEndian(at[24..], 0);
    }

    /// <summary>Reads a canonical zip: its files, or the first byte at which it departs from the
    /// canonical form of what it holds. Never throws for bad input.</summary>
    public static (IReadOnlyList<ZipFile>? Files, ZipProblem? Problem) Read(byte[] zip)
    {
        ArgumentNullException.ThrowIfNull(zip);
        var files = new List<ZipFile>();
        var at = 0;
        while (at + 4 <= zip.Length && BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at)) == LocalSignature)
        {
            if (files.Count == MaxFiles || at + LocalHeaderLength > zip.Length)
            {
                return (null, new ZipProblem(at, $"bundle is not in canonical form at byte {at}: a file header is cut short or there are too many files"));
            }

            var size = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at + 18));
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 26));
            var nameStart = at + LocalHeaderLength;
            if ((long)nameStart + nameLength + size > zip.Length)
            {
                return (null, new ZipProblem(at + 18, $"bundle is not in canonical form at byte {at + 18}: a file's stated size runs past the end of the bundle"));
            }

            string name;
            try
            {
                name = StrictUtf8.GetString(zip, nameStart, nameLength);
            }
            catch (DecoderFallbackException)
            {
                return (null, new ZipProblem(nameStart, $"bundle is not in canonical form at byte {nameStart}: a file name is not UTF-8"));
            }

            files.Add(new ZipFile(name, zip.AsSpan(nameStart + nameLength, (int)size).ToArray()));
            at = nameStart + nameLength + (int)size;
        }

        if (files.Count == 0)
        {
            return (null, new ZipProblem(0, "bundle is not in canonical form at byte 0 (no zip file header there)"));
        }

        byte[] canonical;
        try
        {
            canonical = Write(files);
        }
        catch (ArgumentException ex)
        {
            return (null, new ZipProblem(at, $"bundle is not in canonical form: {ex.Message}"));
        }

        var differs = zip.AsSpan().CommonPrefixLength(canonical);
        if (differs == zip.Length && differs == canonical.Length)
        {
            return (files, null);
        }

        return (null, new ZipProblem(differs, $"bundle is not in canonical form at byte {differs} ({Region(canonical, files, differs)})"));
    }

    /// <summary>Names the part of the canonical layout that holds byte <paramref name="offset"/>.</summary>
    private static string Region(byte[] canonical, IReadOnlyList<ZipFile> files, long offset)
    {
        if (offset >= canonical.Length)
        {
            return "bytes follow the end of the zip";
        }

        var sorted = files.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        long at = 0;
        foreach (var file in sorted)
        {
            var header = LocalHeaderLength + Encoding.UTF8.GetByteCount(file.Name);
            if (offset < at + header)
            {
                return offset - at is >= 14 and < 18
                    ? $"the CRC-32 of {file.Name}, which does not match its content"
                    : $"the header of {file.Name}";
            }

            if (offset < at + header + file.Data.Length)
            {
                return $"the content of {file.Name}";
            }

            at += header + file.Data.Length;
        }

        return offset < canonical.Length - EndLength ? "the central directory" : "the end record";
    }

    /// <summary>CRC-32 (IEEE 802.3, the zip checksum).</summary>
    private static class Crc32
    {
        private static readonly uint[] Table = Build();

        public static uint Of(ReadOnlySpan<byte> data)
        {
            var crc = 0xFFFFFFFFu;
            foreach (var b in data)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            return ~crc;
        }

        private static uint[] Build()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                var c = n;
                for (var k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
