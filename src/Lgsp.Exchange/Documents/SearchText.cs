using System.Globalization;
using System.Text;

namespace Lgsp.Exchange.Documents;

/// <summary>How document search compares words: without accents or case, so that <c>bao cao</c> finds
/// <c>Báo cáo</c>. The accept path stores each document's subject and number/notation folded this way
/// (<c>lgsp.package.subject_folded</c>, <c>code_folded</c>) and the search folds what the person typed
/// the same way; this is the one fold both use.</summary>
public static class SearchText
{
    /// <summary>The text without diacritics (<c>đ</c> and <c>Đ</c> become <c>d</c>, which Unicode does not
    /// decompose), in lower case, with every run of white space made one space and the ends trimmed;
    /// empty for null or blank text.</summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var decomposed = text.Replace('đ', 'd').Replace('Đ', 'd').Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                space = folded.Length > 0;
                continue;
            }

            if (space)
            {
                folded.Append(' ');
                space = false;
            }

            folded.Append(char.ToLowerInvariant(c));
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>A document's number and notation as one folded text (<c>12/ubnd-vp</c>), what a search by
    /// number or notation matches; empty when it has neither.</summary>
    public static string FoldCode(string? number, string? notation) =>
        Fold(string.IsNullOrWhiteSpace(notation) ? number : string.IsNullOrWhiteSpace(number) ? notation : $"{number}/{notation}");
}
