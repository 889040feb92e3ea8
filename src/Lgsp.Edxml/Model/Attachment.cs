using System.IO.Compression;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Model;

/// <summary>
/// One attachment (<c>AttachmentEncoded/Attachment</c>): its metadata as written and its decoded
/// bytes. The national SDK zips every file before base64 (the payload then starts with <c>PK</c>);
/// other producers send the raw file. <see cref="Files"/> gives the file(s) either way.
/// </summary>
/// <param name="ContentId">Links the attachment to the manifest; compare with <see cref="ContentIds.Same"/>
/// because some producers write <c>cid:</c> on one side only.</param>
/// <param name="AttachmentName">The original file name as the sender named it.</param>
/// <param name="Description">Description.</param>
/// <param name="ContentType">MIME type as written (<c>application/zip</c> for SDK packages).</param>
/// <param name="Content">The decoded bytes (what the base64 carried).</param>
public sealed record Attachment(string? ContentId, string? AttachmentName, string? Description, string? ContentType, AttachmentContent Content)
{
    private static readonly byte[] ZipMagic = [(byte)'P', (byte)'K', 3, 4];

    /// <summary>True when the decoded bytes are a zip archive.</summary>
    public bool IsZip => Content.Length >= 4 && Content.Head(4).SequenceEqual(ZipMagic);

    /// <summary>
    /// The files this attachment carries: the entries of a zip (inflated lazily, with the entry-count,
    /// size and ratio limits of <paramref name="limits"/>), or the raw content under
    /// <see cref="AttachmentName"/>.
    /// </summary>
    /// <exception cref="EdxmlFormatException"><see cref="ErrorCode.InvalidZip"/> or <see cref="ErrorCode.ZipBomb"/>.</exception>
    public IReadOnlyList<AttachmentFile> Files(XmlLimits? limits = null)
    {
        if (!IsZip)
        {
            return [new AttachmentFile(AttachmentName ?? ContentId ?? "attachment", Content.Length, Content.OpenRead)];
        }

        return ZipFiles.List(this, limits ?? XmlLimits.Default);
    }

    /// <summary>An attachment made from bytes, optionally zipped the way the national SDK does.</summary>
    /// <param name="name">The original file name.</param>
    /// <param name="bytes">The file.</param>
    /// <param name="contentType">MIME type of the file (ignored when zipped: the type is then <c>application/zip</c>).</param>
    /// <param name="contentId">Content id, unique in the package (for example <c>cid:1</c>); the manifest reference must use the same.</param>
    /// <param name="zip">Zip the file into a one-entry archive.</param>
    /// <param name="description">Description; defaults to the name.</param>
    public static Attachment FromBytes(string name, ReadOnlySpan<byte> bytes, string contentType, string contentId, bool zip = false, string? description = null)
    {
        if (!zip)
        {
            return new Attachment(contentId, name, description ?? name, contentType, AttachmentContent.FromBytes(bytes));
        }

        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
            using var s = entry.Open();
            s.Write(bytes);
        }

        return new Attachment(contentId, name, description ?? name, "application/zip", AttachmentContent.FromBytes(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }
}

/// <summary>A file carried by an attachment.</summary>
/// <param name="Name">The file name (for a zip, the entry's name).</param>
/// <param name="Length">Its size in bytes (for a zip entry, as declared by the archive).</param>
/// <param name="Open">Opens an independent read stream over the file.</param>
public sealed record AttachmentFile(string Name, long Length, Func<Stream> Open);

/// <summary>Compares content ids the way real packages need: <c>cid:</c> on one side only still matches.</summary>
public static class ContentIds
{
    /// <summary>The id without a leading <c>cid:</c> and surrounding angle brackets or spaces.</summary>
    public static string Bare(string? id)
    {
        var s = (id ?? "").Trim().Trim('<', '>');
        return s.StartsWith("cid:", StringComparison.OrdinalIgnoreCase) ? s[4..].Trim() : s;
    }

    /// <summary>True when two ids name the same attachment.</summary>
    public static bool Same(string? a, string? b) => string.Equals(Bare(a), Bare(b), StringComparison.Ordinal);
}

/// <summary>Bomb-safe zip listing.</summary>
internal static class ZipFiles
{
    public static IReadOnlyList<AttachmentFile> List(Attachment attachment, XmlLimits limits)
    {
        var field = $"Attachment({attachment.AttachmentName})";
        try
        {
            using var archive = new ZipArchive(attachment.Content.OpenRead(), ZipArchiveMode.Read);
            if (archive.Entries.Count > limits.MaxZipEntries)
            {
                throw Bomb(field, $"{archive.Entries.Count} entries, at most {limits.MaxZipEntries}");
            }

            var files = new List<AttachmentFile>();
            long total = 0;
            foreach (var entry in archive.Entries)
            {
                if (entry.FullName.EndsWith('/'))
                {
                    continue;
                }

                total += entry.Length;
                if (entry.Length > limits.MaxAttachmentBytes || total > limits.MaxInflatedBytes)
                {
                    throw Bomb(field, $"{entry.FullName} declares {entry.Length} bytes");
                }

                if (entry.CompressedLength > 0 && entry.Length / entry.CompressedLength > limits.MaxInflateRatio)
                {
                    throw Bomb(field, $"{entry.FullName} inflates {entry.Length / entry.CompressedLength} times, at most {limits.MaxInflateRatio}");
                }

                var name = entry.FullName;
                var declared = entry.Length;
                files.Add(new AttachmentFile(name, declared, () => OpenEntry(attachment, name, declared, field)));
            }

            return files;
        }
        catch (InvalidDataException ex)
        {
            throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.InvalidZip, field, ex.Message), ex);
        }
    }

    private static Stream OpenEntry(Attachment attachment, string name, long declared, string field)
    {
        var archive = new ZipArchive(attachment.Content.OpenRead(), ZipArchiveMode.Read);
        var entry = archive.GetEntry(name) ?? throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.InvalidZip, field, $"entry {name} vanished"));
        return new BoundedStream(entry.Open(), declared, archive, field);
    }

    private static EdxmlFormatException Bomb(string field, string why) =>
        new(EdxmlError.Create(ErrorCode.ZipBomb, field, why));

    /// <summary>Refuses to inflate more than the archive declared: declared sizes can lie.</summary>
    private sealed class BoundedStream(Stream inner, long max, IDisposable owner, string field) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => max;

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n;
            try
            {
                n = inner.Read(buffer);
            }
            catch (InvalidDataException ex)
            {
                throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.InvalidZip, field, ex.Message), ex);
            }

            _read += n;
            if (_read > max)
            {
                throw Bomb(field, $"more bytes than the {max} declared");
            }

            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                owner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
