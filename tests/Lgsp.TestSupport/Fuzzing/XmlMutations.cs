using System.Text.RegularExpressions;

namespace Lgsp.TestSupport.Fuzzing;

/// <summary>
/// Damage that knows XML: elements duplicated, deleted or renamed; attributes duplicated, deleted,
/// renamed or made huge (within <see cref="MaxAttributeBytes"/>); entities, DTDs, CDATA, comments and
/// processing instructions injected; deep nesting; namespace games (rebound prefixes, default
/// namespaces switched off, prefixes added or left undeclared). Works on the bytes as Latin-1 text,
/// so everything it does not touch stays byte for byte.
/// </summary>
public static partial class XmlMutations
{
    /// <summary>The largest attribute value a mutation writes.</summary>
    public const int MaxAttributeBytes = 256 * 1024;

    private static readonly string[] Entities =
    [
        "&lt;", "&amp;", "&quot;", "&unknown;", "&#0;", "&#x0;", "&#xD800;", "&#x10FFFF;", "&#x110000;", "&#99999999999;", "&#x;", "&", "&amp", "&#65;", "&lol9;",
    ];

    private static readonly string[] Dtds =
    [
        "<!DOCTYPE r [<!ENTITY x \"y\">]>",
        "<!DOCTYPE r SYSTEM \"file:///etc/passwd\">",
        "<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/p.dtd\"> %p;]>",
        "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>",
        "<!DOCTYPE",
    ];

    private static readonly string[] Specials =
    [
        "<![CDATA[ <x>&amp;]]>", "<![CDATA[", "]]>", "<!-- c -->", "<!-- -- -->", "<!--", "<?pi data?>", "<?xml version=\"1.0\"?>",
        "<?xml-stylesheet href=\"http://127.0.0.1:9/x.xsl\"?>", "<?", "<!ENTITY x \"y\">", "<!ELEMENT x ANY>", "\uFEFF",
    ];

    private static readonly string[] NamespaceUris =
    [
        "", "urn:other", "http://www.w3.org/2000/09/xmldsig#", "http://www.mic.gov.vn/TBT/QCVN_102_2016", "http://schemas.xmlsoap.org/soap/envelope/",
        "http://www.w3.org/2003/05/soap-envelope", "urn:lgsp:edoc:1", "http://www.w3.org/2001/XMLSchema-instance", "http://www.w3.org/XML/1998/namespace",
    ];

    /// <summary>Every XML-aware mutation.</summary>
    public static IEnumerable<Mutation> All { get; } =
    [
        new("element duplicated", DuplicateElement),
        new("element deleted", DeleteElement),
        new("element renamed", RenameElement),
        new("attribute duplicated", DuplicateAttribute),
        new("attribute deleted", DeleteAttribute),
        new("attribute renamed", RenameAttribute),
        new("attribute value made huge", HugeAttribute),
        new("entity injected", (input, random, _) => InsertInContent(input, random, random.Pick(Entities))),
        new("DTD injected", InjectDtd),
        new("CDATA, comment or PI injected", (input, random, _) => InsertInContent(input, random, random.Pick(Specials))),
        new("deep nesting", DeepNesting),
        new("namespace rebound", RebindNamespace),
        new("prefix added or undeclared", PrefixGames),
        new("namespace URI changed", ChangeNamespaceUri),
    ];

    [GeneratedRegex(@"<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)(\s[^<>]*?)?(/?)>")]
    private static partial Regex StartTag();

    [GeneratedRegex(@"\s([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)\s*=\s*(""[^""<]*""|'[^'<]*')")]
    private static partial Regex Attribute();

    [GeneratedRegex(@"xmlns(?::[\w.\-]+)?\s*=\s*(""[^""]*""|'[^']*')")]
    private static partial Regex NamespaceDeclaration();

    private static Match? PickStartTag(string text, FuzzRandom random)
    {
        var tags = Landmarks.Near(StartTag(), text, random);
        return tags.Count == 0 ? null : tags[random.Next(tags.Count)];
    }

    /// <summary>The span of the element whose start tag is <paramref name="start"/>, end tag included.</summary>
    private static (int Start, int End)? ElementSpan(string text, Match start)
    {
        if (start.Groups[3].Value == "/")
        {
            return (start.Index, start.Index + start.Length);
        }

        var name = start.Groups[1].Value;
        var endTag = "</" + name + ">";
        var depth = 1;
        var at = start.Index + start.Length;
        var close = -1;
        while (depth > 0)
        {
            // The next end tag is searched once per end tag, and start tags only before it, so that a
            // deeply nested input (what DeepNesting makes) costs linear time, not quadratic.
            if (close < at)
            {
                close = text.IndexOf(endTag, at, StringComparison.Ordinal);
                if (close < 0)
                {
                    return null;
                }
            }

            var open = text.IndexOf("<" + name, at, close - at, StringComparison.Ordinal);
            if (open >= 0)
            {
                var after = open + name.Length + 1;
                if (text[after] is ' ' or '>' or '\t' or '\r' or '\n' or '/')
                {
                    var tag = StartTag().Match(text, open, Math.Min(text.Length - open, 64 * 1024));
                    depth += tag.Success && tag.Index == open && tag.Groups[3].Value != "/" ? 1 : 0;
                }

                at = after;
                continue;
            }

            depth--;
            at = close + endTag.Length;
        }

        return (start.Index, at);
    }

    private static byte[]? DuplicateElement(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var text = Splicing.AsText(input);
        if (PickStartTag(text, random) is not { } tag || ElementSpan(text, tag) is not { } span || span.End - span.Start > 1024 * 1024)
        {
            return null;
        }

        return Splicing.FromText(text.Insert(span.End, text[span.Start..span.End]));
    }

    private static byte[]? DeleteElement(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var text = Splicing.AsText(input);
        if (PickStartTag(text, random) is not { } tag || ElementSpan(text, tag) is not { } span)
        {
            return null;
        }

        return Splicing.FromText(text.Remove(span.Start, span.End - span.Start));
    }

    private static byte[]? RenameElement(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var text = Splicing.AsText(input);
        if (PickStartTag(text, random) is not { } tag)
        {
            return null;
        }

        var name = tag.Groups[1];
        var other = PickStartTag(text, random)?.Groups[1].Value ?? "x";
        var renamed = random.Next(4) switch
        {
            0 => other,
            1 => name.Value.ToUpperInvariant(),
            2 => name.Value + Splicing.Utf8AsText("\u0111"),
            _ => name.Value.Contains(':') ? name.Value[(name.Value.IndexOf(':') + 1)..] : "x:" + name.Value,
        };

        // Rename the end tag too, most of the time, so the document stays well-formed.
        var span = random.OneIn(4) ? null : ElementSpan(text, tag);
        if (span is { } s && tag.Groups[3].Value != "/")
        {
            var endTag = "</" + name.Value + ">";
            var endAt = s.End - endTag.Length;
            text = text.Remove(endAt, endTag.Length).Insert(endAt, "</" + renamed + ">");
        }

        return Splicing.FromText(text.Remove(name.Index, name.Length).Insert(name.Index, renamed));
    }

    private static Match? PickAttribute(string text, FuzzRandom random)
    {
        if (PickStartTag(text, random) is not { } tag || tag.Groups[2].Length == 0)
        {
            return null;
        }

        var attributes = new List<Match>();
        var end = tag.Groups[2].Index + tag.Groups[2].Length;
        for (var a = Attribute().Match(text, tag.Groups[2].Index); a.Success && a.Index < end; a = a.NextMatch())
        {
            attributes.Add(a);
        }

        return attributes.Count == 0 ? null : attributes[random.Next(attributes.Count)];
    }

    private static byte[]? DuplicateAttribute(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var text = Splicing.AsText(input);
        return PickAttribute(text, random) is { } a ? Splicing.FromText(text.Insert(a.Index + a.Length, a.Value)) : null;
    }

    private static byte[]? DeleteAttribute(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var text = Splicing.AsText(input);
        return PickAttribute(text, random) is { } a ? Splicing.FromText(text.Remove(a.Index, a.Length)) : null;
    }

    private static byte[]? RenameAttribute(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var text = Splicing.AsText(input);
        if (PickAttribute(text, random) is not { } a)
        {
            return null;
        }

        string[] names = ["xmlns", "xmlns:x", "xml:lang", "xml:space", "xsi:nil", "Id", "ID", "id", "mustUnderstand", "s:mustUnderstand", "x:" + a.Groups[1].Value, a.Groups[1].Value.ToUpperInvariant()];
        var name = a.Groups[1];
        return Splicing.FromText(text.Remove(name.Index, name.Length).Insert(name.Index, random.Pick(names)));
    }

    private static byte[]? HugeAttribute(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var text = Splicing.AsText(input);
        if (PickAttribute(text, random) is not { } a)
        {
            return null;
        }

        var value = a.Groups[2];
        var length = random.OneIn(4) ? MaxAttributeBytes : random.Next(1024, 16 * 1024);
        // 'é' as one Latin-1 byte is not UTF-8: the value is huge and, now and then, undecodable.
        var huge = new string(random.OneIn(8) ? 'é' : 'x', length);
        return Splicing.FromText(text.Remove(value.Index + 1, value.Length - 2).Insert(value.Index + 1, huge));
    }

    private static int ContentPosition(string text, FuzzRandom random)
    {
        if (random.OneIn(8))
        {
            return random.OneIn(2) ? 0 : text.Length;
        }

        var from = random.Next(text.Length);
        var gt = text.IndexOf('>', from);
        return gt < 0 ? text.Length : gt + 1;
    }

    private static byte[]? InsertInContent(byte[] input, FuzzRandom random, string inserted)
    {
        var text = Splicing.AsText(input);
        return Splicing.FromText(text.Insert(ContentPosition(text, random), Splicing.Utf8AsText(inserted)));
    }

    private static byte[]? InjectDtd(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var text = Splicing.AsText(input);
        var dtd = random.Pick(Dtds);
        var declarationEnd = text.StartsWith("<?xml", StringComparison.Ordinal) ? text.IndexOf("?>", StringComparison.Ordinal) + 2 : 0;
        var at = random.OneIn(4) ? ContentPosition(text, random) : Math.Max(0, declarationEnd);
        var result = text.Insert(at, dtd);
        if (dtd.Contains("ENTITY", StringComparison.Ordinal) && random.OneIn(2))
        {
            var reference = dtd.Contains("&b;", StringComparison.Ordinal) ? "&c;" : "&x;";
            var content = ContentPosition(result, random);
            result = result.Insert(Math.Max(content, at + dtd.Length), reference);
        }

        return Splicing.FromText(result);
    }

    private static byte[]? DeepNesting(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var text = Splicing.AsText(input);
        var depth = random.Pick(new[] { 40, 100, 1_000, 10_000, 50_000 });
        var name = random.OneIn(2) ? "a" : PickStartTag(text, random)?.Groups[1].Value ?? "a";
        var open = string.Concat(Enumerable.Repeat("<" + name + ">", depth));
        var close = random.OneIn(4) ? "" : string.Concat(Enumerable.Repeat("</" + name + ">", depth));
        return Splicing.FromText(text.Insert(ContentPosition(text, random), open + close));
    }

    private static byte[]? RebindNamespace(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var text = Splicing.AsText(input);
        if (PickStartTag(text, random) is not { } tag)
        {
            return null;
        }

        var prefix = tag.Groups[1].Value.Contains(':') ? tag.Groups[1].Value[..tag.Groups[1].Value.IndexOf(':')] : null;
        var declaration = random.Next(3) switch
        {
            0 when prefix is not null => $" xmlns:{prefix}=\"{random.Pick(NamespaceUris)}\"",
            1 => $" xmlns=\"{random.Pick(NamespaceUris)}\"",
            _ => $" xmlns:{random.Pick(new[] { "s", "soap", "env", "edXML", "ds", "xsi", "e", "x" })}=\"{random.Pick(NamespaceUris)}\"",
        };
        var at = tag.Index + 1 + tag.Groups[1].Length;
        return Splicing.FromText(text.Insert(at, declaration));
    }

    private static byte[]? PrefixGames(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var text = Splicing.AsText(input);
        if (PickStartTag(text, random) is not { } tag)
        {
            return null;
        }

        var name = tag.Groups[1];
        var prefix = random.Pick(new[] { "undeclared", "xml", "xmlns", "s", "ds", "edXML" });
        return Splicing.FromText(text.Insert(name.Index, prefix + ":"));
    }

    private static byte[]? ChangeNamespaceUri(byte[] input, FuzzRandom random, IReadOnlyList<byte[]> corpus)
    {
        var text = Splicing.AsText(input);
        var declarations = Landmarks.Near(NamespaceDeclaration(), text, random);
        if (declarations.Count == 0)
        {
            return null;
        }

        var value = declarations[random.Next(declarations.Count)].Groups[1];
        var uri = random.OneIn(3) ? value.Value[1..^1] + random.Pick(new[] { "/", " ", "#", "X" }) : random.Pick(NamespaceUris);
        return Splicing.FromText(text.Remove(value.Index + 1, value.Length - 2).Insert(value.Index + 1, uri));
    }
}
