namespace Lgsp.Edxml.Pdf.Syntax;

/// <summary>A signature dictionary found in the file, with the name of the field that points at it.</summary>
internal sealed record SignatureDictionaryHit(PdfDictionary Dictionary, PdfObjectId? Id, string? FieldName);

/// <summary>What a scan found.</summary>
/// <param name="Signatures">Signature dictionaries in file order.</param>
/// <param name="TooManySignatures">The scan stopped at the limit.</param>
/// <param name="UnreadableSignatureOffsets">Offsets of <c>/ByteRange</c> keys outside any readable
/// signature dictionary and outside stream data: damaged signature dictionaries.</param>
internal sealed record SignatureScan(
    IReadOnlyList<SignatureDictionaryHit> Signatures, bool TooManySignatures, IReadOnlyList<int> UnreadableSignatureOffsets);

/// <summary>
/// Finds signature dictionaries (any dictionary with a <c>/ByteRange</c>) by reading the whole file
/// as a sequence of objects, without trusting its cross-reference tables: damaged tables, several
/// revisions and garbage between objects do not hide a signature. Stream data is skipped. The
/// lexer never moves backwards and the parser bounds nesting and object counts, so the work is
/// linear in the file size whatever the input.
/// </summary>
/// <remarks>
/// When an object number is defined again by a later revision, only its last definition counts.
/// Signature dictionaries no field points at are reported too (with no field name). Stateless and
/// thread safe.
/// </remarks>
internal static class PdfSignatureScanner
{
    private const int MaxFieldNameDepth = 32;

    public static SignatureScan Scan(ReadOnlyMemory<byte> file, int maxSignatures)
    {
        var state = new ScanState(maxSignatures);
        var parser = new PdfParser(file);
        PdfToken prev1 = default, prev2 = default;
        while (!state.TooMany)
        {
            var t = parser.Next();
            if (t.Kind == PdfTokenKind.EndOfInput)
            {
                break;
            }

            if (parser.IsKeyword(t, "obj") && prev1.Kind == PdfTokenKind.Integer && prev2.Kind == PdfTokenKind.Integer
                && int.TryParse(parser.Text(prev2), out var number) && int.TryParse(parser.Text(prev1), out var generation))
            {
                var value = parser.ParseObject();
                if (value is not null)
                {
                    Visit(state, value, new PdfObjectId(number, generation), depth: 0);
                }

                SkipStream(parser, value as PdfDictionary, state);
                prev1 = prev2 = default;
                continue;
            }

            if (t.Kind == PdfTokenKind.DictionaryStart)
            {
                // A dictionary outside any object: a trailer, or an object whose header is damaged.
                var value = parser.ParseObject(t);
                if (value is not null)
                {
                    Visit(state, value, null, depth: 0);
                }

                SkipStream(parser, value as PdfDictionary, state);
            }
            else if (parser.IsKeyword(t, "stream"))
            {
                SkipStreamData(parser, t.End, null, state);
            }

            prev2 = prev1;
            prev1 = t;
        }

        return state.Result(file.Span);
    }

    private static void Visit(ScanState state, PdfObject value, PdfObjectId? id, int depth)
    {
        if (state.TooMany)
        {
            return;
        }

        switch (value)
        {
            case PdfDictionary d:
                if (d.Get("ByteRange") is not null)
                {
                    state.AddSignature(d, id);
                }

                if (d.Get("T") is not null || d.Get("V") is not null || d.Get("Parent") is not null)
                {
                    state.AddField(d, id);
                }

                foreach (var entry in d.Entries)
                {
                    if (entry.Value is PdfDictionary or PdfArray)
                    {
                        Visit(state, entry.Value, null, depth + 1);
                    }
                }

                break;
            case PdfArray a:
                foreach (var item in a.Items)
                {
                    if (item is PdfDictionary or PdfArray)
                    {
                        Visit(state, item, null, depth + 1);
                    }
                }

                break;
        }
    }

    /// <summary>When a <c>stream</c> keyword follows the dictionary just read, moves past the stream's data.</summary>
    private static void SkipStream(PdfParser parser, PdfDictionary? dictionary, ScanState state)
    {
        var next = parser.Peek();
        if (parser.IsKeyword(next, "stream"))
        {
            parser.Next();
            SkipStreamData(parser, next.End, dictionary, state);
        }
    }

    private static void SkipStreamData(PdfParser parser, int afterKeyword, PdfDictionary? dictionary, ScanState state)
    {
        var s = parser.Data.Span;
        var start = afterKeyword;
        if (start < s.Length && s[start] == '\r')
        {
            start++;
        }

        if (start < s.Length && s[start] == '\n')
        {
            start++;
        }

        var end = -1;
        if (dictionary?.Get<PdfNumber>("Length") is { } length && length.TryGetInt64(out var n) && n >= 0 && n <= s.Length - start)
        {
            var p = start + (int)n;
            while (p < s.Length && PdfLexer.IsWhitespace(s[p]))
            {
                p++;
            }

            if (s[p..].StartsWith("endstream"u8))
            {
                end = p + "endstream".Length;
            }
        }

        if (end < 0)
        {
            // Indirect or wrong /Length: the data ends at the first "endstream".
            var found = s[start..].IndexOf("endstream"u8);
            end = found < 0 ? s.Length : start + found + "endstream".Length;
        }

        state.SkippedStreams.Add((start, end));
        parser.Seek(end);
    }

    private sealed class ScanState(int maxSignatures)
    {
        private readonly List<(PdfDictionary Dictionary, PdfObjectId? Id)> _signatures = [];
        private readonly Dictionary<PdfObjectId, PdfDictionary> _fieldsById = [];
        private readonly List<PdfDictionary> _directFields = [];

        public List<(int Start, int End)> SkippedStreams { get; } = [];

        public bool TooMany { get; private set; }

        public void AddSignature(PdfDictionary d, PdfObjectId? id)
        {
            if (_signatures.Count >= maxSignatures)
            {
                TooMany = true;
                return;
            }

            _signatures.Add((d, id));
        }

        public void AddField(PdfDictionary d, PdfObjectId? id)
        {
            if (id is { } key)
            {
                _fieldsById[key] = d;
            }
            else
            {
                _directFields.Add(d);
            }
        }

        public SignatureScan Result(ReadOnlySpan<byte> file)
        {
            // Only the last definition of an object number counts (later revisions replace objects).
            var lastDefinition = new Dictionary<PdfObjectId, PdfDictionary>();
            foreach (var (d, id) in _signatures)
            {
                if (id is { } key)
                {
                    lastDefinition[key] = d;
                }
            }

            var live = _signatures
                .Where(s => s.Id is not { } key || ReferenceEquals(lastDefinition[key], s.Dictionary))
                .OrderBy(s => s.Dictionary.Start)
                .ToList();

            var names = new Dictionary<PdfDictionary, string>(ReferenceEqualityComparer.Instance);
            foreach (var field in _fieldsById.Values.Concat(_directFields))
            {
                var target = field.Get("V") switch
                {
                    PdfReference r when lastDefinition.TryGetValue(r.Id, out var sig) => sig,
                    PdfDictionary direct when direct.Get("ByteRange") is not null => direct,
                    _ => null,
                };
                if (target is not null && FullName(field) is { } name)
                {
                    names[target] = name;
                }
            }

            var hits = live.Select(s => new SignatureDictionaryHit(s.Dictionary, s.Id, names.GetValueOrDefault(s.Dictionary))).ToList();
            return new SignatureScan(hits, TooMany, TooMany ? [] : UnreadableByteRanges(file, hits));
        }

        /// <summary>The field's fully qualified name: partial names up the /Parent chain, joined by periods (§12.7.3.2).</summary>
        private string? FullName(PdfDictionary field)
        {
            var parts = new List<string>();
            var seen = new HashSet<PdfObjectId>();
            var current = field;
            for (var depth = 0; current is not null && depth < MaxFieldNameDepth; depth++)
            {
                if (current.Get<PdfString>("T") is { } t)
                {
                    parts.Add(t.DecodeText());
                }

                current = current.Get<PdfReference>("Parent") is { } p && seen.Add(p.Id) ? _fieldsById.GetValueOrDefault(p.Id) : null;
            }

            parts.Reverse();
            return parts.Count == 0 ? null : string.Join('.', parts);
        }

        private List<int> UnreadableByteRanges(ReadOnlySpan<byte> file, List<SignatureDictionaryHit> hits)
        {
            // Spans where a /ByteRange is accounted for: signature dictionaries and stream data.
            // Sorted by start and merged, so each occurrence costs a binary search.
            var spans = MergeSpans(_signatures.Select(s => (s.Dictionary.Start, s.Dictionary.End)).Concat(SkippedStreams));
            var result = new List<int>();
            var key = "/ByteRange"u8;
            for (var from = 0; from < file.Length && result.Count < 16;)
            {
                var found = file[from..].IndexOf(key);
                if (found < 0)
                {
                    break;
                }

                var at = from + found;
                from = at + key.Length;
                var isWholeName = from >= file.Length || !PdfLexer.IsRegular(file[from]);
                if (isWholeName && !Covers(spans, at))
                {
                    result.Add(at);
                }
            }

            return result;
        }

        private static List<(int Start, int End)> MergeSpans(IEnumerable<(int Start, int End)> spans)
        {
            var merged = new List<(int Start, int End)>();
            foreach (var span in spans.OrderBy(s => s.Start))
            {
                if (merged.Count > 0 && span.Start <= merged[^1].End)
                {
                    merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, span.End));
                }
                else
                {
                    merged.Add(span);
                }
            }

            return merged;
        }

        private static bool Covers(List<(int Start, int End)> merged, int offset)
        {
            int lo = 0, hi = merged.Count - 1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                if (offset < merged[mid].Start)
                {
                    hi = mid - 1;
                }
                else if (offset >= merged[mid].End)
                {
                    lo = mid + 1;
                }
                else
                {
                    return true;
                }
            }

            return false;
        }
    }
}
