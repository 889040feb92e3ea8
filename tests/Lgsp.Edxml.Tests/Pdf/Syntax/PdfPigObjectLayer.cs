using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokens;

namespace Lgsp.Edxml.Tests.Pdf.Syntax;

/// <summary>
/// Reads the signature facts through PdfPig, with the inspector's rules: every dictionary with a
/// <c>/ByteRange</c> among the objects the cross-reference data makes live (and the fields the
/// AcroForm reaches, for files PdfPig had to rebuild), named by any field whose <c>/V</c> points at
/// it, qualified by its <c>/Parent</c> chain. PdfPig keeps no byte offsets of tokens, so whether
/// the byte range's gap is the <c>/Contents</c> string is judged by reading the gap itself.
/// </summary>
internal static class PdfPigObjectLayer
{
    private const int MaxFieldDepth = 32;

    public static ObjectLayerReading Read(byte[] pdf)
    {
        PdfDocument document;
        try
        {
            document = PdfDocument.Open(pdf);
        }
        catch (Exception e)
        {
            return new ObjectLayerReading(Describe(e), [], Refused: true);
        }

        using (document)
        {
            var objects = new LoadedObjects(document.Structure);
            foreach (var id in document.Structure.CrossReferenceTable.ObjectOffsets.Keys)
            {
                objects.Load(id);
            }

            objects.LoadAcroFormFields();
            return new ObjectLayerReading(objects.Failure, objects.SignatureFacts(pdf));
        }
    }

    /// <summary>PdfPig reports bad input with many exception types (its format and nesting-depth
    /// exceptions, but also InvalidOperation, IndexOutOfRange, Overflow), so any exception is a failure.</summary>
    private static string Describe(Exception e) => e.GetType().Name + ": " + e.Message;

    /// <summary>The objects read so far (with their file offset; objects inside object streams sort
    /// last), the first failure, and what they hold.</summary>
    private sealed class LoadedObjects(Structure structure)
    {
        private readonly Dictionary<IndirectReference, (long Position, IToken Data)> _read = [];
        private readonly HashSet<IndirectReference> _tried = [];

        public string? Failure { get; private set; }

        public void Load(IndirectReference id)
        {
            if (!_tried.Add(id))
            {
                return;
            }

            try
            {
                var o = structure.GetObject(id);
                _read[id] = (o.Position.Type == XrefEntryType.File ? o.Position.Value1 : long.MaxValue, o.Data);
            }
            catch (Exception e)
            {
                Failure ??= Describe(e);
            }
        }

        /// <summary>Follows <c>/AcroForm /Fields</c> and <c>/Kids</c> (and each field's <c>/V</c>):
        /// when PdfPig rebuilt a damaged file, its cross-reference table lists no objects.</summary>
        public void LoadAcroFormFields()
        {
            var pending = new Queue<IToken>();
            try
            {
                if (Resolve(structure.Catalog.CatalogDictionary.Data.GetValueOrDefault("AcroForm")) is DictionaryToken form
                    && Resolve(form.Data.GetValueOrDefault("Fields")) is ArrayToken fields)
                {
                    fields.Data.ToList().ForEach(pending.Enqueue);
                }
            }
            catch (Exception e)
            {
                Failure ??= Describe(e);
            }

            while (pending.TryDequeue(out var token) && _tried.Count < 100_000)
            {
                if (token is not IndirectReferenceToken r || _tried.Contains(r.Data))
                {
                    continue;
                }

                Load(r.Data);
                if (_read.TryGetValue(r.Data, out var field) && field.Data is DictionaryToken d)
                {
                    if (d.Data.GetValueOrDefault("V") is { } value)
                    {
                        pending.Enqueue(value);
                    }

                    if (d.Data.GetValueOrDefault("Kids") is ArrayToken kids)
                    {
                        kids.Data.ToList().ForEach(pending.Enqueue);
                    }
                }
            }
        }

        public List<SignatureFacts> SignatureFacts(byte[] pdf)
        {
            var signatures = new List<(long Position, DictionaryToken Dictionary, IndirectReference? Id)>();
            var fields = new List<(DictionaryToken Dictionary, IndirectReference? Id)>();
            foreach (var (id, (position, data)) in _read.OrderBy(o => o.Value.Position).ThenBy(o => o.Key.ObjectNumber))
            {
                Visit(data is StreamToken s ? s.StreamDictionary : data, id, position, signatures, fields);
            }

            var byId = fields.Where(f => f.Id is not null).ToDictionary(f => f.Id!.Value, f => f.Dictionary);
            var names = new Dictionary<DictionaryToken, string>(ReferenceEqualityComparer.Instance);
            foreach (var (field, _) in fields)
            {
                var target = field.Data.GetValueOrDefault("V") switch
                {
                    IndirectReferenceToken r => signatures.FirstOrDefault(s => s.Id == r.Data).Dictionary,
                    DictionaryToken direct when direct.Data.ContainsKey("ByteRange") => direct,
                    _ => null,
                };
                if (target is not null && FullName(field, byId) is { } name)
                {
                    names[target] = name;
                }
            }

            return signatures.Select(s => Facts(s.Dictionary, names.GetValueOrDefault(s.Dictionary), pdf)).ToList();
        }

        private IToken? Resolve(IToken? token)
        {
            if (token is IndirectReferenceToken r)
            {
                Load(r.Data);
                return _read.TryGetValue(r.Data, out var o) ? o.Data : null;
            }

            return token;
        }

        private static void Visit(
            IToken token, IndirectReference? id, long position,
            List<(long, DictionaryToken, IndirectReference?)> signatures, List<(DictionaryToken, IndirectReference?)> fields)
        {
            switch (token)
            {
                case DictionaryToken d:
                    if (d.Data.ContainsKey("ByteRange"))
                    {
                        signatures.Add((position, d, id));
                    }

                    if (d.Data.ContainsKey("T") || d.Data.ContainsKey("V") || d.Data.ContainsKey("Parent"))
                    {
                        fields.Add((d, id));
                    }

                    foreach (var value in d.Data.Values)
                    {
                        Visit(value, null, position, signatures, fields);
                    }

                    break;
                case ArrayToken a:
                    foreach (var item in a.Data)
                    {
                        Visit(item, null, position, signatures, fields);
                    }

                    break;
            }
        }

        private static string? FullName(DictionaryToken field, Dictionary<IndirectReference, DictionaryToken> fieldsById)
        {
            var parts = new List<string>();
            var seen = new HashSet<IndirectReference>();
            var current = field;
            for (var depth = 0; current is not null && depth < MaxFieldDepth; depth++)
            {
                if (Text(current.Data.GetValueOrDefault("T")) is { } partial)
                {
                    parts.Add(partial);
                }

                current = current.Data.GetValueOrDefault("Parent") is IndirectReferenceToken p && seen.Add(p.Data)
                    ? fieldsById.GetValueOrDefault(p.Data)
                    : null;
            }

            parts.Reverse();
            return parts.Count == 0 ? null : string.Join('.', parts);
        }
    }

    private static SignatureFacts Facts(DictionaryToken d, string? fieldName, byte[] pdf)
    {
        var byteRange = ByteRange(d.Data.GetValueOrDefault("ByteRange"));
        var contents = d.Data.GetValueOrDefault("Contents");
        var gap = Syntax.SignatureFacts.GapOf(byteRange);
        var gapIsContents = contents is HexToken hex && gap is { } g && GapHolds(pdf, g.Start, g.End, hex.Bytes);
        return new SignatureFacts(
            fieldName,
            (d.Data.GetValueOrDefault("SubFilter") as NameToken)?.Data,
            byteRange,
            contents switch
            {
                HexToken h => Syntax.SignatureFacts.ContentsOf(h.Bytes),
                StringToken => Syntax.SignatureFacts.LiteralContents,
                _ => Syntax.SignatureFacts.NoContents,
            },
            gapIsContents,
            Text(d.Data.GetValueOrDefault("M")));
    }

    private static string ByteRange(IToken? value)
    {
        if (value is not ArrayToken array)
        {
            return Syntax.SignatureFacts.NotAnArray;
        }

        var numbers = new List<long>();
        foreach (var item in array.Data)
        {
            if (item is not NumericToken n || n.HasDecimalPlaces)
            {
                return Syntax.SignatureFacts.NotIntegers;
            }

            numbers.Add(n.Long);
        }

        return Syntax.SignatureFacts.ByteRangeOf(numbers);
    }

    /// <summary>The gap <c>[start, end)</c> is a hex string (delimiters included) holding exactly <paramref name="value"/>.</summary>
    private static bool GapHolds(byte[] pdf, long start, long end, ReadOnlySpan<byte> value)
    {
        if (start < 0 || end > pdf.Length || end - start < 2 || pdf[start] != '<' || pdf[end - 1] != '>')
        {
            return false;
        }

        var digits = new List<char>();
        foreach (var b in pdf.AsSpan((int)start + 1, (int)(end - start - 2)))
        {
            if (char.IsAsciiHexDigit((char)b))
            {
                digits.Add((char)b);
            }
            else if (b is not (0 or 9 or 10 or 12 or 13 or 32))
            {
                return false;
            }
        }

        if (digits.Count % 2 == 1)
        {
            digits.Add('0');
        }

        return Convert.FromHexString(new string([.. digits])).AsSpan().SequenceEqual(value);
    }

    private static string? Text(IToken? token) => token switch
    {
        StringToken s => s.Data,
        HexToken h => h.Data,
        _ => null,
    };
}
