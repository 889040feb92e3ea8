using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Lgsp.Edxml.Pdf;
using Lgsp.Edxml.Pdf.Cms;
using Lgsp.Edxml.Pdf.Syntax;
using Lgsp.Edxml.Testing.Pdf.Cms;
using Lgsp.Edxml.Testing.Pdf.Syntax;

namespace Lgsp.Edxml.Testing.Pdf;

/// <summary>
/// Adds a CMS signature to a PDF as an incremental update (ISO 32000-1 §7.5.6, §12.8): a new
/// signature dictionary whose <c>/ByteRange</c> covers the whole new file except its
/// <c>/Contents</c>, an invisible signature field merged with its widget on the first page, the
/// AcroForm with <c>/SigFlags 3</c>, and a classic cross-reference section whose trailer points
/// back with <c>/Prev</c>. Earlier signatures stay intact because no earlier byte changes.
/// </summary>
/// <remarks>
/// Made for test material and sample packages: it signs the PDFs <see cref="TestPdf"/> writes (any
/// number of times) and other PDFs with classic cross-reference tables. PDFs with cross-reference
/// streams, object streams or encryption are refused. The CMS (one SHA-256 signer, RSA PKCS#1 v1.5
/// or ECDSA) is written with <see cref="System.Formats.Asn1"/>; the content digest is computed over
/// a concatenation of the byte ranges, so signing holds about two copies of the file in memory.
/// Stateless and thread safe.
/// </remarks>
public static class PdfSigning
{
    // Wide enough for three ten-digit offsets: files up to 9.9 GB.
    private const int ByteRangeWidth = 40;

    /// <summary>Returns <paramref name="pdf"/> with one more signature appended.</summary>
    /// <param name="pdf">A PDF with classic cross-reference tables (not modified).</param>
    /// <param name="signer">The signer certificate with its private key (RSA or ECDSA).</param>
    /// <param name="request">Field name, reason, location, time, extra certificates and profile.</param>
    /// <returns>The signed PDF.</returns>
    /// <exception cref="ArgumentException">The certificate has no private key, or the field name is taken.</exception>
    /// <exception cref="NotSupportedException">The PDF uses cross-reference streams, hybrid references or encryption.</exception>
    /// <exception cref="FormatException">The PDF's structure (cross-reference table, catalog, pages) cannot be read.</exception>
    /// <exception cref="CryptographicException">The CMS signature cannot be computed.</exception>
    public static byte[] AppendSignature(byte[] pdf, X509Certificate2 signer, PdfSignatureRequest request)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(request);
        if (!signer.HasPrivateKey)
        {
            throw new ArgumentException("The signer certificate has no private key.", nameof(signer));
        }

        var time = TruncateToSeconds(request.SigningTime ?? DateTimeOffset.UtcNow);
        var dictionary = new SignatureDictionary(
            Type: "Sig",
            SubFilter: request.Format == PdfSignatureFormat.CadesDetached ? "ETSI.CAdES.detached" : "adbe.pkcs7.detached",
            FieldName: request.FieldName,
            SigningTime: time,
            Reason: request.Reason,
            Location: request.Location);
        byte[] Sign(byte[] content) => ComputeCms(content, signer, request, time);
        var capacity = Sign([]).Length + 512;
        return AppendSignatureDictionary(pdf, dictionary, Sign, capacity);
    }

    /// <summary>What goes into the new signature dictionary besides ByteRange and Contents.</summary>
    /// <param name="Type">The dictionary's <c>/Type</c>: <c>Sig</c>, or <c>DocTimeStamp</c>.</param>
    /// <param name="SubFilter">The <c>/SubFilter</c> name, without the slash.</param>
    /// <param name="FieldName">The signature field's name; null picks the first free <c>SignatureN</c>.</param>
    /// <param name="SigningTime">Written to <c>/M</c>, or null to leave it out.</param>
    /// <param name="Reason">Written to <c>/Reason</c>, or null to leave it out.</param>
    /// <param name="Location">Written to <c>/Location</c>, or null to leave it out.</param>
    public sealed record SignatureDictionary(
        string Type, string SubFilter, string? FieldName, DateTimeOffset? SigningTime, string? Reason, string? Location);

    /// <summary>The incremental update itself, for any signature-like dictionary (signatures and,
    /// in tests, document timestamps). <paramref name="produceContents"/> receives the concatenated
    /// byte ranges and returns the DER to place in <c>/Contents</c>, at most
    /// <paramref name="contentsCapacity"/> bytes.</summary>
    /// <param name="pdf">A PDF with classic cross-reference tables (not modified).</param>
    /// <param name="spec">The new dictionary's entries besides <c>/ByteRange</c> and <c>/Contents</c>.</param>
    /// <param name="produceContents">Computes the <c>/Contents</c> DER from the signed bytes.</param>
    /// <param name="contentsCapacity">The bytes reserved for <c>/Contents</c>.</param>
    /// <returns>The PDF with the update appended.</returns>
    /// <exception cref="NotSupportedException">The PDF uses cross-reference streams, hybrid references or encryption.</exception>
    /// <exception cref="FormatException">The PDF's structure cannot be read.</exception>
    /// <exception cref="InvalidOperationException">The DER is larger than <paramref name="contentsCapacity"/>.</exception>
    public static byte[] AppendSignatureDictionary(
        byte[] pdf, SignatureDictionary spec, Func<byte[], byte[]> produceContents, int contentsCapacity)
    {
        var doc = ClassicPdfDocument.Open(pdf);
        var catalogRef = doc.Trailer.Get<PdfReference>("Root") ?? throw new FormatException("The trailer has no /Root reference.");
        var catalog = doc.Read(catalogRef.Id) as PdfDictionary ?? throw new FormatException("The catalog is not a dictionary.");
        var (pageRef, page) = FirstPage(doc, catalog);

        var nextNumber = doc.Size;
        var sigId = new PdfObjectId(nextNumber++, 0);
        var widgetId = new PdfObjectId(nextNumber++, 0);
        var rewritten = new List<(PdfObjectId Id, PdfObject Value)>();

        // AcroForm: rewrite it where it lives (its own object, or inside the catalog), or create it.
        PdfDictionary acroForm;
        PdfObjectId? acroFormId = null;
        var catalogChanged = false;
        switch (catalog.Get("AcroForm"))
        {
            case PdfReference r:
                acroForm = doc.Read(r.Id) as PdfDictionary ?? throw new FormatException("/AcroForm is not a dictionary.");
                acroFormId = r.Id;
                break;
            case PdfDictionary direct:
                acroForm = direct;
                catalogChanged = true;
                break;
            default:
                acroForm = new PdfDictionary();
                acroFormId = new PdfObjectId(nextNumber++, 0);
                catalog.Set("AcroForm", new PdfReference(acroFormId.Value.Number, 0));
                catalogChanged = true;
                break;
        }

        var fieldName = ChooseFieldName(doc, acroForm, spec.FieldName);
        AppendToArray(doc, acroForm, "Fields", new PdfReference(widgetId.Number, 0), rewritten);
        acroForm.Set("SigFlags", PdfNumber.Of(3));
        if (acroFormId is { } formId)
        {
            rewritten.Add((formId, acroForm));
        }

        AppendToArray(doc, page, "Annots", new PdfReference(widgetId.Number, 0), rewritten);
        rewritten.Add((pageRef.Id, page));
        if (catalogChanged)
        {
            rewritten.Add((catalogRef.Id, catalog));
        }

        var widget = new PdfDictionary(
        [
            new("Type", new PdfName("Annot")),
            new("Subtype", new PdfName("Widget")),
            new("FT", new PdfName("Sig")),
            new("T", PdfString.FromText(fieldName)),
            new("V", new PdfReference(sigId.Number, 0)),
            new("P", new PdfReference(pageRef.Number, pageRef.Generation)),
            new("Rect", new PdfArray([PdfNumber.Of(0), PdfNumber.Of(0), PdfNumber.Of(0), PdfNumber.Of(0)])),
            // Print + Locked: an invisible signature that viewers must not let users move.
            new("F", PdfNumber.Of(132)),
        ]);

        var output = new MemoryStream(pdf.Length + (contentsCapacity * 2) + 4096);
        output.Write(pdf);
        var w = new PdfObjectWriter(output);
        if (pdf.Length == 0 || pdf[^1] is not ((byte)'\n' or (byte)'\r'))
        {
            w.Raw("\n");
        }

        var offsets = new SortedDictionary<int, (long Offset, int Generation)>();
        var (sigOffset, byteRangeAt, contentsAt) = WriteSignatureDictionary(w, sigId, spec, contentsCapacity);
        offsets[sigId.Number] = (sigOffset, 0);
        offsets[widgetId.Number] = (w.WriteIndirect(widgetId, widget), 0);
        foreach (var (id, value) in rewritten)
        {
            offsets[id.Number] = (w.WriteIndirect(id, value), id.Generation);
        }

        var xrefOffset = w.Position;
        w.Raw("xref\n");
        var numbers = offsets.Keys.ToList();
        for (var i = 0; i < numbers.Count;)
        {
            var run = 1;
            while (i + run < numbers.Count && numbers[i + run] == numbers[i] + run)
            {
                run++;
            }

            w.Raw(string.Create(CultureInfo.InvariantCulture, $"{numbers[i]} {run}\n"));
            for (var k = i; k < i + run; k++)
            {
                var (offset, generation) = offsets[numbers[k]];
                w.Raw(string.Create(CultureInfo.InvariantCulture, $"{offset:D10} {generation:D5} n\r\n"));
            }

            i += run;
        }

        var trailer = new PdfDictionary(
        [
            new("Size", PdfNumber.Of(nextNumber)),
            new("Root", catalogRef),
        ]);
        foreach (var key in new[] { "Info", "ID" })
        {
            if (doc.Trailer.Get(key) is { } value)
            {
                trailer.Set(key, value);
            }
        }

        trailer.Set("Prev", PdfNumber.Of(doc.LastCrossReferenceOffset));
        w.Raw("trailer\n");
        w.Write(trailer);
        w.Raw(string.Create(CultureInfo.InvariantCulture, $"\nstartxref\n{xrefOffset}\n%%EOF\n"));

        var file = output.ToArray();
        var gapStart = contentsAt;
        var gapEnd = contentsAt + (contentsCapacity * 2) + 2;
        var byteRange = string.Create(CultureInfo.InvariantCulture, $"[0 {gapStart} {gapEnd} {file.Length - gapEnd}]");
        Encoding.ASCII.GetBytes(byteRange.PadRight(ByteRangeWidth)).CopyTo(file, byteRangeAt);

        var signed = new byte[gapStart + (file.Length - gapEnd)];
        file.AsSpan(0, (int)gapStart).CopyTo(signed);
        file.AsSpan((int)gapEnd).CopyTo(signed.AsSpan((int)gapStart));
        var der = produceContents(signed);
        if (der.Length > contentsCapacity)
        {
            throw new InvalidOperationException($"The signature ({der.Length} bytes) does not fit the {contentsCapacity} bytes reserved for it.");
        }

        Encoding.ASCII.GetBytes(Convert.ToHexString(der)).CopyTo(file, gapStart + 1);
        return file;
    }

    private static (long ObjectOffset, int ByteRangeAt, long ContentsAt) WriteSignatureDictionary(
        PdfObjectWriter w, PdfObjectId id, SignatureDictionary spec, int contentsCapacity)
    {
        var objectOffset = w.Position;
        w.Raw(string.Create(CultureInfo.InvariantCulture, $"{id.Number} {id.Generation} obj\n<</Type /{spec.Type} /Filter /Adobe.PPKLite /SubFilter /{spec.SubFilter}\n/ByteRange "));
        var byteRangeAt = (int)w.Position;
        w.Raw("[" + new string(' ', ByteRangeWidth - 2) + "]");
        w.Raw("\n/Contents ");
        var contentsAt = w.Position;
        w.Raw("<" + new string('0', contentsCapacity * 2) + ">");
        if (spec.SigningTime is { } time)
        {
            w.Raw("\n/M ");
            w.Write(PdfString.FromText(PdfDate.Format(time)));
        }

        if (spec.Reason is not null)
        {
            w.Raw("\n/Reason ");
            w.Write(PdfString.FromText(spec.Reason));
        }

        if (spec.Location is not null)
        {
            w.Raw("\n/Location ");
            w.Write(PdfString.FromText(spec.Location));
        }

        w.Raw(">>\nendobj\n");
        return (objectOffset, byteRangeAt, contentsAt);
    }

    private static (PdfReference Ref, PdfDictionary Page) FirstPage(ClassicPdfDocument doc, PdfDictionary catalog)
    {
        var node = catalog.Get("Pages") as PdfReference ?? throw new FormatException("The catalog has no /Pages reference.");
        for (var depth = 0; depth < 32; depth++)
        {
            var dict = doc.Read(node.Id) as PdfDictionary ?? throw new FormatException($"Page tree node {node} is not a dictionary.");
            if (dict.GetName("Type") == "Page")
            {
                return (node, dict);
            }

            var kids = doc.Resolve(dict.Get("Kids")) as PdfArray;
            node = kids?.Items.FirstOrDefault() as PdfReference ?? throw new FormatException("The page tree has no first page.");
        }

        throw new FormatException("The page tree is too deep.");
    }

    private static string ChooseFieldName(ClassicPdfDocument doc, PdfDictionary acroForm, string? requested)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        if (doc.Resolve(acroForm.Get("Fields")) is PdfArray fields)
        {
            foreach (var f in fields.Items)
            {
                if (doc.Resolve(f) is PdfDictionary field && field.Get<PdfString>("T") is { } t)
                {
                    taken.Add(t.DecodeText());
                }
            }
        }

        if (requested is not null)
        {
            if (requested.Length == 0 || requested.Contains('.', StringComparison.Ordinal))
            {
                throw new ArgumentException("A field name must be non-empty and contain no period.", nameof(requested));
            }

            return taken.Contains(requested)
                ? throw new ArgumentException($"The PDF already has a field named '{requested}'.", nameof(requested))
                : requested;
        }

        for (var n = 1; ; n++)
        {
            var name = "Signature" + n.ToString(CultureInfo.InvariantCulture);
            if (!taken.Contains(name))
            {
                return name;
            }
        }
    }

    /// <summary>Appends <paramref name="item"/> to the array under <paramref name="key"/>, wherever
    /// that array lives: inline (the owner is rewritten by the caller), in its own object (rewritten
    /// here), or nowhere yet (created inline).</summary>
    private static void AppendToArray(
        ClassicPdfDocument doc, PdfDictionary owner, string key, PdfObject item, List<(PdfObjectId, PdfObject)> rewritten)
    {
        switch (owner.Get(key))
        {
            case PdfArray direct:
                direct.Items.Add(item);
                break;
            case PdfReference r when doc.Read(r.Id) is PdfArray indirect:
                indirect.Items.Add(item);
                rewritten.Add((r.Id, indirect));
                break;
            case null or PdfNull:
                owner.Set(key, new PdfArray([item]));
                break;
            default:
                throw new FormatException($"/{key} is not an array.");
        }
    }

    private static byte[] ComputeCms(byte[] content, X509Certificate2 signer, PdfSignatureRequest request, DateTimeOffset time)
    {
        var attribute = request.Format == PdfSignatureFormat.CadesDetached
            ? (CmsOids.SigningCertificateV2, CmsSignedDataWriter.SigningCertificateV2(signer))
            : (CmsOids.SigningTime, CmsSignedDataWriter.SigningTime(time));
        return CmsSignedDataWriter.Sign(
            signer, CmsOids.Data, SHA256.HashData(content), [], encapsulate: false, [attribute],
            [signer, .. request.ExtraCertificates]);
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset t) =>
        new(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), t.Offset);
}
