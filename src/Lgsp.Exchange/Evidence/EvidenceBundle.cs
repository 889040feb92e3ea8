using System.Buffers;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Receipts;

namespace Lgsp.Exchange.Evidence;

/// <summary>A package of the document, as a bundle holds it.</summary>
/// <param name="Id">The hub's package id.</param>
/// <param name="Kind"><c>document</c> or <c>status</c>.</param>
/// <param name="From">The sending agency.</param>
/// <param name="Sha256">SHA-256 of the package bytes, lower-case hex.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="ReceivedSeq">The ledger position of its <c>package.received</c> entry.</param>
/// <param name="Receipt">The hub's signed receipt for it.</param>
/// <param name="Body">The exact bytes, or null when the bundle was made without content.</param>
public sealed record EvidencePackage(long Id, string Kind, string From, string Sha256, long Size, long ReceivedSeq, byte[] Receipt, byte[]? Body);

/// <summary>A ledger entry with what links it to a signed checkpoint.</summary>
/// <param name="Entry">The entry.</param>
/// <param name="ContentHash">Hex of its content hash, as sealed.</param>
/// <param name="ChainHash">Hex of the chain hash after it, as sealed.</param>
/// <param name="Checkpoint">The bundle file of the checkpoint that covers it.</param>
/// <param name="PreviousHead">Hex of the chain hash before it.</param>
/// <param name="Following">Hex of the content hashes of every later entry up to the checkpoint's
/// last seq, in order: folding them onto <paramref name="ChainHash"/> gives the checkpoint's head.</param>
public sealed record EvidenceEntry(LedgerEntry Entry, string ContentHash, string ChainHash, string Checkpoint, string PreviousHead, IReadOnlyList<string> Following);

/// <summary>
/// An evidence bundle (format <see cref="Format"/>, docs/audit.md "Evidence bundles"): everything an
/// auditor needs to check, offline, what one hub did with one document. Written as a
/// <see cref="CanonicalZip"/>: <c>manifest.json</c>, <c>packages/ID.edxml</c> (when content is
/// included), <c>ledger/entries.jsonl</c>, <c>checkpoints/FIRST-LAST.xml</c>,
/// <c>receipts/package-ID.xml</c>, <c>receipts/peer-SEQ.xml</c> and <c>certs/chain.pem</c>.
/// </summary>
/// <param name="Hub">The hub's id.</param>
/// <param name="DocumentId">The document.</param>
/// <param name="ExportedAt">When the bundle was made.</param>
/// <param name="Packages">The document's packages (the document and its statuses), by id.</param>
/// <param name="Entries">Their ledger entries, ascending seq.</param>
/// <param name="Checkpoints">The signed checkpoints covering the entries, by file name.</param>
/// <param name="Certificates">The hub's certificate chain (the signers of its receipts and
/// checkpoints and their issuers).</param>
/// <remarks>Immutable. <see cref="Write"/> and <see cref="Read"/> are thread safe.</remarks>
public sealed record EvidenceBundle(
    string Hub,
    string DocumentId,
    DateTimeOffset ExportedAt,
    IReadOnlyList<EvidencePackage> Packages,
    IReadOnlyList<EvidenceEntry> Entries,
    IReadOnlyDictionary<string, byte[]> Checkpoints,
    IReadOnlyList<X509Certificate2> Certificates)
{
    /// <summary>The format this code writes and reads.</summary>
    /// <remarks>Version 2 added the signed export statement (<see cref="StatementFile"/>); a version 1
    /// bundle proves no completeness and is not read.</remarks>
    public const string Format = "lgsp-evidence/2";

    /// <summary>The signed export statement's file name (<see cref="EvidenceStatement"/>).</summary>
    public const string StatementFile = "statement.xml";

    /// <summary>The manifest's file name.</summary>
    public const string ManifestFile = "manifest.json";

    /// <summary>The ledger entries' file name.</summary>
    public const string EntriesFile = "ledger/entries.jsonl";

    /// <summary>The certificate chain's file name.</summary>
    public const string CertificatesFile = "certs/chain.pem";

    /// <summary>The hub's signed <see cref="EvidenceStatement"/>: the ledger head at export and every
    /// entry and package of the document up to it. Null until <see cref="SignedBy"/>.</summary>
    public byte[]? Statement { get; init; }

    /// <summary>The bundle with the head checkpoint added (when not already there) and its export
    /// statement signed by <paramref name="hub"/>: the entries and packages it holds are all there are
    /// about the document up to <paramref name="head"/>.</summary>
    /// <param name="hub">The hub's signing identity (the same key that signs its checkpoints).</param>
    /// <param name="head">The ledger's latest checkpoint at export.</param>
    /// <param name="headXml">That checkpoint as signed.</param>
    public EvidenceBundle SignedBy(HubIdentity hub, Checkpoint head, byte[] headXml)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(head);
        var checkpoints = new Dictionary<string, byte[]>(Checkpoints, StringComparer.Ordinal) { [CheckpointFile(head)] = headXml };
        var statement = new EvidenceStatement(Hub, DocumentId, ExportedAt, head.LastSeq, head.Head,
            [.. Packages.Select(p => p.Id).Order()], [.. Entries.Select(e => e.Entry.Seq).Order()]);
        return this with { Checkpoints = checkpoints, Statement = statement.Sign(hub) };
    }

    /// <summary>True when every package's bytes are in the bundle; false when only their hashes are.</summary>
    public bool ContentIncluded => Packages.All(p => p.Body is not null);

    /// <summary>The bundle file of a checkpoint.</summary>
    public static string CheckpointFile(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return $"checkpoints/{checkpoint.FirstSeq}-{checkpoint.LastSeq}.xml";
    }

    /// <summary>The bundle file of a package's receipt.</summary>
    public static string ReceiptFile(long packageId) => $"receipts/package-{packageId}.xml";

    /// <summary>The bundle file of a package's bytes.</summary>
    public static string PackageFile(long packageId) => $"packages/{packageId}.edxml";

    /// <summary>The bundle file of the peer receipt recorded by the entry at <paramref name="seq"/>.</summary>
    public static string PeerReceiptFile(long seq) => $"receipts/peer-{seq}.xml";

    /// <summary>The peer hubs' receipts recorded in the entries (ledger detail
    /// <see cref="LedgerDetailKeys.PeerReceipt"/>), by the seq of the entry recording each.</summary>
    /// <exception cref="FormatException">A recorded receipt is not base64.</exception>
    public IReadOnlyList<(long Seq, byte[] Receipt)> PeerReceipts() =>
        [.. Entries.Select(e => (e.Entry.Seq, Text: DetailString(e.Entry.Detail, LedgerDetailKeys.PeerReceipt)))
            .Where(p => p.Text is not null)
            .Select(p => (p.Seq, Convert.FromBase64String(p.Text!)))];

    /// <summary>A string member of an entry's detail, or null.</summary>
    public static string? DetailString(string detail, string key)
    {
        using var json = JsonDocument.Parse(detail);
        return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
    }

    /// <summary>The canonical zip of the bundle.</summary>
    /// <exception cref="FormatException">A recorded peer receipt is not base64.</exception>
    public byte[] Write()
    {
        var files = new List<ZipFile>
        {
            new(ManifestFile, Json(WriteManifest, indented: true)),
            new(EntriesFile, Entries.SelectMany(e => Json(w => WriteEntry(w, e), indented: false).Append((byte)'\n')).ToArray()),
            new(CertificatesFile, Encoding.ASCII.GetBytes(string.Concat(Certificates.Select(c => c.ExportCertificatePem() + "\n")))),
        };
        files.AddRange(Checkpoints.Select(c => new ZipFile(c.Key, c.Value)));
        if (Statement is not null)
        {
            files.Add(new ZipFile(StatementFile, Statement));
        }

        foreach (var package in Packages)
        {
            files.Add(new ZipFile(ReceiptFile(package.Id), package.Receipt));
            if (package.Body is not null)
            {
                files.Add(new ZipFile(PackageFile(package.Id), package.Body));
            }
        }

        files.AddRange(PeerReceipts().Select(p => new ZipFile(PeerReceiptFile(p.Seq), p.Receipt)));
        return CanonicalZip.Write(files);
    }

    private void WriteManifest(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("format", Format);
        w.WriteString("hub", Hub);
        w.WriteString("documentId", DocumentId);
        w.WriteString("exportedAt", LedgerChain.FormatAt(ExportedAt));
        w.WriteBoolean("contentIncluded", ContentIncluded);
        w.WriteStartArray("packages");
        foreach (var p in Packages)
        {
            w.WriteStartObject();
            w.WriteNumber("id", p.Id);
            w.WriteString("kind", p.Kind);
            w.WriteString("from", p.From);
            w.WriteString("sha256", p.Sha256);
            w.WriteNumber("size", p.Size);
            w.WriteNumber("receivedSeq", p.ReceivedSeq);
            w.WriteString("receipt", ReceiptFile(p.Id));
            if (p.Body is null)
            {
                w.WriteNull("content");
            }
            else
            {
                w.WriteString("content", PackageFile(p.Id));
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("checkpoints");
        foreach (var name in Checkpoints.Keys.Order(StringComparer.Ordinal))
        {
            w.WriteStringValue(name);
        }

        w.WriteEndArray();
        w.WriteString("entries", EntriesFile);
        w.WriteString("certificates", CertificatesFile);
        if (Statement is null)
        {
            w.WriteNull("statement");
        }
        else
        {
            w.WriteString("statement", StatementFile);
        }

        w.WriteEndObject();
    }

    private static void WriteEntry(Utf8JsonWriter w, EvidenceEntry e)
    {
        w.WriteStartObject();
        w.WriteNumber("seq", e.Entry.Seq);
        w.WriteString("at", LedgerChain.FormatAt(e.Entry.At));
        w.WriteString("kind", e.Entry.Kind);
        w.WriteString("actor", e.Entry.Actor);
        WriteNullable(w, "packageId", e.Entry.PackageId);
        w.WritePropertyName("documentId");
        if (e.Entry.DocumentId is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteStringValue(e.Entry.DocumentId);
        }

        WriteNullable(w, "deliveryId", e.Entry.DeliveryId);
        w.WritePropertyName("detail");
        w.WriteRawValue(e.Entry.Detail);
        w.WriteString("contentHash", e.ContentHash);
        w.WriteString("chainHash", e.ChainHash);
        w.WriteString("checkpoint", e.Checkpoint);
        w.WriteString("previousHead", e.PreviousHead);
        w.WriteStartArray("following");
        foreach (var hash in e.Following)
        {
            w.WriteStringValue(hash);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, long? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteNumber(name, value.Value);
        }
    }

    private static byte[] Json(Action<Utf8JsonWriter> write, bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a bundle: its container must be canonical and its files the ones its manifest
    /// names, no more. Says what does not hold instead of throwing.</summary>
    /// <returns>The bundle, or the first problem found.</returns>
    public static (EvidenceBundle? Bundle, string? Problem) Read(byte[] zip)
    {
        var (files, zipProblem) = CanonicalZip.Read(zip);
        if (files is null)
        {
            return (null, zipProblem!.Problem);
        }

        var byName = files.ToDictionary(f => f.Name, f => f.Data, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        byte[] File(string name) => used.Add(name) && byName.TryGetValue(name, out var data)
            ? data
            : throw new FormatException($"{name} is missing from the bundle");

        try
        {
            using var manifest = JsonDocument.Parse(File(ManifestFile));
            var root = manifest.RootElement;
            if (root.GetProperty("format").GetString() != Format)
            {
                return (null, $"{ManifestFile}: format is not {Format}");
            }

            if (root.GetProperty("entries").GetString() != EntriesFile || root.GetProperty("certificates").GetString() != CertificatesFile)
            {
                return (null, $"{ManifestFile}: entries and certificates must be {EntriesFile} and {CertificatesFile}");
            }

            var packages = new List<EvidencePackage>();
            foreach (var p in root.GetProperty("packages").EnumerateArray())
            {
                var id = p.GetProperty("id").GetInt64();
                var content = p.GetProperty("content");
                packages.Add(new EvidencePackage(id, p.GetProperty("kind").GetString()!, p.GetProperty("from").GetString()!,
                    p.GetProperty("sha256").GetString()!, p.GetProperty("size").GetInt64(), p.GetProperty("receivedSeq").GetInt64(),
                    File(Expect(p.GetProperty("receipt").GetString(), ReceiptFile(id))),
                    content.ValueKind == JsonValueKind.Null ? null : File(Expect(content.GetString(), PackageFile(id)))));
            }

            var checkpoints = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var c in root.GetProperty("checkpoints").EnumerateArray())
            {
                var name = c.GetString()!;
                checkpoints[name] = File(name);
            }

            var entries = new List<EvidenceEntry>();
            foreach (var line in Encoding.UTF8.GetString(File(EntriesFile)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var json = JsonDocument.Parse(line);
                var e = json.RootElement;
                var entry = new LedgerEntry(
                    e.GetProperty("seq").GetInt64(),
                    DateTimeOffset.ParseExact(e.GetProperty("at").GetString()!, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                    e.GetProperty("kind").GetString()!,
                    e.GetProperty("actor").GetString()!,
                    NullableLong(e.GetProperty("packageId")),
                    e.GetProperty("documentId").ValueKind == JsonValueKind.Null ? null : e.GetProperty("documentId").GetString(),
                    NullableLong(e.GetProperty("deliveryId")),
                    e.GetProperty("detail").GetRawText());
                entries.Add(new EvidenceEntry(entry, e.GetProperty("contentHash").GetString()!, e.GetProperty("chainHash").GetString()!,
                    e.GetProperty("checkpoint").GetString()!, e.GetProperty("previousHead").GetString()!,
                    [.. e.GetProperty("following").EnumerateArray().Select(h => h.GetString()!)]));
            }

            var certificates = Edxml.Trust.TrustMaterial.LoadCertificates(File(CertificatesFile), CertificatesFile);
            if (!root.TryGetProperty("statement", out var statementName) || statementName.ValueKind != JsonValueKind.String)
            {
                return (null, $"{ManifestFile}: the bundle has no signed export statement ({StatementFile}), so nothing proves it is complete");
            }

            var statement = File(Expect(statementName.GetString(), StatementFile));
            var bundle = new EvidenceBundle(root.GetProperty("hub").GetString()!, root.GetProperty("documentId").GetString()!,
                DateTimeOffset.ParseExact(root.GetProperty("exportedAt").GetString()!, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                packages, entries, checkpoints, certificates) { Statement = statement };
            if (root.GetProperty("contentIncluded").GetBoolean() != bundle.ContentIncluded)
            {
                return (null, $"{ManifestFile}: contentIncluded does not say whether the packages' bytes are in the bundle");
            }

            foreach (var (seq, receipt) in bundle.PeerReceipts())
            {
                if (!File(PeerReceiptFile(seq)).AsSpan().SequenceEqual(receipt))
                {
                    return (null, $"{PeerReceiptFile(seq)} is not the peer receipt the ledger entry at seq {seq} records");
                }
            }

            var extra = byName.Keys.Except(used, StringComparer.Ordinal).Order(StringComparer.Ordinal).FirstOrDefault();
            return extra is null ? (bundle, null) : (null, $"{extra} is in the bundle but its manifest does not account for it");
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException
            or System.Security.Cryptography.CryptographicException or Edxml.Errors.EdxmlFormatException)
        {
            return (null, $"bundle is malformed: {ex.Message}");
        }
    }

    private static string Expect(string? name, string expected) =>
        name == expected ? name : throw new FormatException($"{ManifestFile} names '{name}' where {expected} is expected");

    private static long? NullableLong(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetInt64();
}
