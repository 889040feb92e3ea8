using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Lgsp.Edxml.Validation;

/// <summary>
/// Finds state-secret markings (MẬT, TỐI MẬT, TUYỆT MẬT) in a package's fields. Documents containing
/// state secrets must never travel on this network; the syllable "mật" alone proves nothing, because
/// it also makes ordinary words (bảo mật security, bí mật secret, mật khẩu password, mật mã cipher,
/// mật độ density, mật thiết close, mật ong honey) and, once diacritics are stripped, looks like
/// mắt (eye), mặt (face), mất (lose) and mát (cool).
/// </summary>
/// <remarks>
/// <para><b>Normalisation.</b> The value is put in Unicode NFC (so decomposed input matches), invisible
/// format characters (zero-width space, soft hyphen...) are removed, whitespace is collapsed to single
/// spaces and trimmed, and comparison ignores case. Diacritics are ignored <b>only when the value
/// contains no diacritic at all</b> (an ASCII-only producer writing "TOI MAT"); when it has any, words
/// are compared with their diacritics, so "mắt" or "mặt" never match "mật".</para>
/// <para><b><see cref="SecretFieldKind.Marking"/> fields</b> are secret when the whole value, stripped
/// of surrounding brackets, quotes and punctuation, is MẬT, TỐI MẬT, TUYỆT MẬT or "Độ mật: " followed
/// by one of them; or when it lists classifications separated by <c>, ; / |</c> and one item is such a
/// value ("Mật, Hỏa tốc").</para>
/// <para><b><see cref="SecretFieldKind.Text"/> fields</b> are secret when any of these holds:</para>
/// <list type="number">
/// <item>the whole value is a marking, as for a marking field (a subject that is just "Mật");</item>
/// <item>the phrase TỐI MẬT or TUYỆT MẬT appears as whole words, any case;</item>
/// <item>MẬT is enclosed in brackets or quotes: <c>(MẬT)</c>, <c>[Mật]</c>, <c>"MẬT"</c>, any case;</item>
/// <item>"Độ mật:" is followed by a marking ("Độ mật: Mật");</item>
/// <item>the word MẬT is written in capitals (<c>MẬT</c>, or <c>MAT</c> in an ASCII-only text) as a
/// standalone word, like a stamp, in a text that is not itself all capitals.</item>
/// </list>
/// <para>In every rule "mật" is not a marking when it forms a compound with the neighbouring word:
/// followed by độ, khẩu, mã, thiết, ong, thám, báo... or preceded by bảo, bí, cơ, thân, độ, nghiêm,
/// cẩn... (and, for ASCII-only text, the compounds of mắt, mặt, mất and mát such as "mat dien",
/// "be mat", "thay mat"). A neighbour counts only when separated by spaces alone, so
/// "TỐI MẬT, độ khẩn" is still secret.</para>
/// <para>Known limits, by design: a lower-case standalone "mật" in ordinary text ("tài liệu mật") and
/// a bare MẬT inside an all-capitals text are not taken for markings (they cannot be told from the
/// ordinary word); an ASCII-only text is ambiguous ("toi mat" may be "tôi mất").</para>
/// <para>Thread safe: stateless.</para>
/// </remarks>
public static class SecretMarking
{
    /// <summary>The lowest classification, "secret".</summary>
    public const string Mat = "MẬT";

    /// <summary>"Top secret".</summary>
    public const string ToiMat = "TỐI MẬT";

    /// <summary>"Absolutely secret", the highest classification.</summary>
    public const string TuyetMat = "TUYỆT MẬT";

    private const string Openers = "([{<«‹“‘\"'「『【";
    private const string Closers = ")]}>»›”’\"'」』】";
    private const string LabelSeparators = ":-–—";

    private static readonly Vocabulary Accented = new(
        Mat: "MẬT",
        Toi: "TỐI",
        Tuyet: "TUYỆT",
        Do: "ĐỘ",
        Before: ["BẢO", "BÍ", "CƠ", "THÂN", "ĐỘ", "NGHIÊM", "CẨN", "CHU", "TINH", "TÚI", "SỎI", "ONG", "NGỌT"],
        After:
        [
            "ĐỘ", "KHẨU", "MÃ", "THIẾT", "THÁM", "BÁO", "ƯỚC", "ONG", "ĐÀM", "LỆNH", "VỤ", "HIỆU", "NGỮ", "MÍA",
            "GẤU", "TẬP", "PHÁI", "THƯ", "SỨ", "KẾ", "NGHỊ", "VIỆN", "DANH", "TÍN", "KHU", "DỤ", "CHỈ", "NGỌT",
        ]);

    // Without diacritics "MAT" is also mắt, mặt, mất and mát: their common compounds are excluded too,
    // except where the second syllable is also a common function word (về, tại, của, cần, sau, trước,
    // cấp...) that routinely follows a real marking ("MAT ve nhan su").
    private static readonly Vocabulary Plain = new(
        Mat: "MAT",
        Toi: "TOI",
        Tuyet: "TUYET",
        Do: "DO",
        Before:
        [
            .. Accented.Before.Select(StripDiacritics),
            "BE", "DOI", "TRUOC", "LAM", "GAP", "VANG", "RA", "THAY", "LA", "MAT", "KHUAT",
        ],
        After:
        [
            .. Accented.After.Select(StripDiacritics),
            "DIEN", "TICH", "NUOC", "NGU", "BANG", "HANG", "TRAN", "TROI", "TRANG", "TIEN", "DAT", "KINH",
            "MAT", "GIA", "VIEC", "MUA", "AN", "KHA", "LIEN", "NA", "LANH", "XA", "ON", "DAU", "QUYEN", "CHUC",
            "TRAT", "KET", "THOI", "LONG", "TROM", "TRI", "ME",
        ]);

    /// <summary>Looks for a state-secret marking in a field.</summary>
    /// <param name="value">The field's value as received; null and blank values have no marking.</param>
    /// <param name="kind">Whether the whole value is a classification or free text (rules on the type).</param>
    /// <returns>The marking found, always written <see cref="Mat"/>, <see cref="ToiMat"/> or
    /// <see cref="TuyetMat"/> whatever the input's case or diacritics; or null.</returns>
    public static string? FindMarking(string? value, SecretFieldKind kind)
    {
        var text = Normalise(value);
        if (text.Length == 0)
        {
            return null;
        }

        var upper = text.ToUpperInvariant(); // Simple case mapping: same length, same indices.
        var words = HasDiacritics(text) ? Accented : Plain;
        return kind == SecretFieldKind.Marking
            ? MarkingValue(upper, words, allowList: true)
            : MarkingValue(upper, words, allowList: false) ?? MarkingInText(text, upper, words);
    }

    private sealed record Vocabulary(string Mat, string Toi, string Tuyet, string Do, string[] Before, string[] After)
    {
        public FrozenSet<string> BeforeSet { get; } = Before.ToFrozenSet(StringComparer.Ordinal);

        public FrozenSet<string> AfterSet { get; } = After.ToFrozenSet(StringComparer.Ordinal);
    }

    private readonly record struct Word(int Start, int End);

    /// <summary>A whole value that is a classification (rules for marking fields).</summary>
    private static string? MarkingValue(string upper, Vocabulary words, bool allowList)
    {
        var bare = TrimNonWords(upper);
        var found = BareMarking(bare, words);
        if (found is null && bare.StartsWith(words.Do + " " + words.Mat, StringComparison.Ordinal))
        {
            var rest = bare[(words.Do.Length + 1 + words.Mat.Length)..];
            if (rest.Length > 0 && (rest[0] == ' ' || LabelSeparators.Contains(rest[0], StringComparison.Ordinal)))
            {
                found = BareMarking(TrimNonWords(rest), words);
            }
        }

        if (found is null && allowList && upper.AsSpan().IndexOfAny(",;/|") >= 0)
        {
            found = upper.Split([',', ';', '/', '|']).Select(part => MarkingValue(part, words, allowList: false)).FirstOrDefault(m => m is not null);
        }

        return found;
    }

    private static string? BareMarking(string bare, Vocabulary words) =>
        bare == words.Mat ? Mat
        : bare == words.Toi + " " + words.Mat ? ToiMat
        : bare == words.Tuyet + " " + words.Mat ? TuyetMat
        : null;

    /// <summary>A marking among other words (rules 2–5 for text fields).</summary>
    private static string? MarkingInText(string text, string upper, Vocabulary words)
    {
        var list = Words(upper);
        var allCapitals = !text.Any(char.IsLower);
        for (var k = 0; k < list.Count; k++)
        {
            if (!Is(upper, list[k], words.Mat))
            {
                continue;
            }

            var before = k > 0 && Adjacent(upper, list[k - 1], list[k]) ? list[k - 1] : (Word?)null;
            var after = k + 1 < list.Count && Adjacent(upper, list[k], list[k + 1]) ? list[k + 1] : (Word?)null;
            if (after is { } next && words.AfterSet.Contains(Slice(upper, next)))
            {
                continue; // mật độ, mật khẩu, tối mật độ...
            }

            if (before is { } phrase && (Is(upper, phrase, words.Toi) || Is(upper, phrase, words.Tuyet)))
            {
                return Is(upper, phrase, words.Toi) ? ToiMat : TuyetMat;
            }

            if (before is null && IsEnclosed(upper, k > 0 ? list[k - 1].End : 0, list[k], k + 1 < list.Count ? list[k + 1].Start : upper.Length))
            {
                return Mat;
            }

            if (k >= 2 && before is null && IsLabel(upper, list[k - 2], list[k - 1], list[k], words))
            {
                return Mat;
            }

            if (!allCapitals && Slice(text, list[k]) == words.Mat && !(before is { } previous && words.BeforeSet.Contains(Slice(upper, previous))))
            {
                return Mat;
            }
        }

        return null;
    }

    /// <summary>"ĐỘ MẬT" then a separator such as ":" then the marking word.</summary>
    private static bool IsLabel(string upper, Word label, Word labelMat, Word marking, Vocabulary words)
    {
        if (!Is(upper, label, words.Do) || !Is(upper, labelMat, words.Mat) || !Adjacent(upper, label, labelMat))
        {
            return false;
        }

        var gap = upper.AsSpan(labelMat.End, marking.Start - labelMat.End);
        return gap.IndexOfAny(LabelSeparators) >= 0 && OnlyPunctuation(gap);
    }

    private static bool IsEnclosed(string upper, int gapStart, Word word, int gapEnd)
    {
        var before = upper.AsSpan(gapStart, word.Start - gapStart).TrimEnd();
        var after = upper.AsSpan(word.End, gapEnd - word.End).TrimStart();
        return before.Length > 0 && Openers.Contains(before[^1], StringComparison.Ordinal)
            && after.Length > 0 && Closers.Contains(after[0], StringComparison.Ordinal);
    }

    private static bool OnlyPunctuation(ReadOnlySpan<char> gap)
    {
        foreach (var c in gap)
        {
            if (char.IsLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Two words separated by one space and nothing else.</summary>
    private static bool Adjacent(string upper, Word first, Word second) =>
        second.Start - first.End == 1 && upper[first.End] == ' ';

    private static bool Is(string upper, Word word, string expected) =>
        upper.AsSpan(word.Start, word.End - word.Start).SequenceEqual(expected);

    private static string Slice(string s, Word word) => s[word.Start..word.End];

    private static List<Word> Words(string s)
    {
        var words = new List<Word>();
        var start = -1;
        for (var i = 0; i <= s.Length; i++)
        {
            var inWord = i < s.Length && IsWordChar(s[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(new Word(start, i));
                start = -1;
            }
        }

        return words;
    }

    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private static string TrimNonWords(string s)
    {
        var span = s.AsSpan();
        var start = 0;
        while (start < span.Length && !IsWordChar(span[start]))
        {
            start++;
        }

        var end = span.Length;
        while (end > start && !IsWordChar(span[end - 1]))
        {
            end--;
        }

        return s[start..end];
    }

    private static string Normalise(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return string.Empty;
        }

        var nfc = value.Normalize(NormalizationForm.FormC);
        var builder = new StringBuilder(nfc.Length);
        var pendingSpace = false;
        foreach (var c in nfc)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format)
            {
                if (pendingSpace)
                {
                    builder.Append(' ');
                    pendingSpace = false;
                }

                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>True when any letter carries a diacritic (or is đ): the producer typed Vietnamese.</summary>
    private static bool HasDiacritics(string text)
    {
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (c is 'đ' or 'Đ' || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                return true;
            }
        }

        return false;
    }

    private static string StripDiacritics(string s)
    {
        var builder = new StringBuilder(s.Length);
        foreach (var c in s.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c switch { 'Đ' => 'D', 'đ' => 'd', _ => c });
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }
}
