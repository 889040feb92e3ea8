using System.Text;
using Lgsp.Edxml.Pdf.Syntax;

namespace Lgsp.Edxml.Tests.Pdf.Syntax;

public class PdfParserTests
{
    [Theory]
    [InlineData(@"(plain)", "plain")]
    [InlineData(@"(a (nested) b)", "a (nested) b")]
    [InlineData(@"(esc\(aped\) \\ \n\t)", "esc(aped) \\ \n\t")]
    [InlineData(@"(\101\102\60)", "AB0")]
    [InlineData("(line\\\ncontinued)", "linecontinued")]
    [InlineData("<48 65 6C6C 6F>", "Hello")]
    [InlineData("<414>", "A@")]
    [InlineData("<FEFF0110006F>", "Đo")]
    public void Strings_decode_escapes_hex_and_unicode(string token, string expected)
    {
        var parser = new PdfParser(Encoding.Latin1.GetBytes(token));

        var value = Assert.IsType<PdfString>(parser.ParseObject());

        Assert.Equal(expected, value.DecodeText());
    }

    [Fact]
    public void Names_resolve_hash_escapes()
    {
        var name = Assert.IsType<PdfName>(new PdfParser(Encoding.ASCII.GetBytes("/A#20B#2f")).ParseObject());

        Assert.Equal("A B/", name.Value);
    }

    [Fact]
    public void Objects_parse_into_the_model_with_their_byte_spans()
    {
        const string text = "<</Kids [3 0 R 4 0 R] /Count 2 /Scale -1.5 /Flag true /None null>>";
        var dictionary = Assert.IsType<PdfDictionary>(new PdfParser(Encoding.ASCII.GetBytes("  " + text)).ParseObject());

        Assert.Equal((2, 2 + text.Length), (dictionary.Start, dictionary.End));
        Assert.Equal(["3 0 R", "4 0 R"], ((PdfArray)dictionary.Get("Kids")!).Items.Select(i => i.ToString()));
        Assert.True(dictionary.Get<PdfNumber>("Count")!.TryGetInt64(out var count) && count == 2);
        Assert.False(dictionary.Get<PdfNumber>("Scale")!.IsInteger);
        Assert.True(dictionary.Get<PdfBoolean>("Flag")!.Value);
        Assert.IsType<PdfNull>(dictionary.Get("None"));
    }

    [Theory]
    [InlineData("<</A 1")]
    [InlineData("<</A 1 /B>")]
    [InlineData("[1 2 >>")]
    [InlineData("<< 1 2 >>")]
    [InlineData("(unterminated")]
    public void Malformed_objects_read_as_null(string text) =>
        Assert.Null(new PdfParser(Encoding.ASCII.GetBytes(text)).ParseObject());

    [Fact]
    public void Nesting_beyond_the_limit_reads_as_null()
    {
        var deep = new string('[', PdfParser.MaxDepth + 1) + new string(']', PdfParser.MaxDepth + 1);
        var fine = new string('[', PdfParser.MaxDepth) + new string(']', PdfParser.MaxDepth);

        Assert.Null(new PdfParser(Encoding.ASCII.GetBytes(deep)).ParseObject());
        Assert.NotNull(new PdfParser(Encoding.ASCII.GetBytes(fine)).ParseObject());
    }
}
