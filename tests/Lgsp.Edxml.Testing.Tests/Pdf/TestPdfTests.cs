using System.Text;
using Lgsp.Edxml.Pdf.Syntax;
using Lgsp.Edxml.Testing.Pdf;
using Lgsp.Edxml.Testing.Pdf.Syntax;

namespace Lgsp.Edxml.Testing.Tests.Pdf;

public class TestPdfTests
{
    [Fact]
    public void Create_writes_a_one_page_pdf_with_a_classic_cross_reference_table()
    {
        var pdf = TestPdf.Create("Title", "Body");
        var text = Encoding.Latin1.GetString(pdf);

        Assert.StartsWith("%PDF-1.7\n", text);
        Assert.EndsWith("%%EOF\n", text);
        var doc = ClassicPdfDocument.Open(pdf);
        Assert.Equal(7, doc.Size);
        var catalog = (PdfDictionary)doc.Read(doc.Trailer.Get<PdfReference>("Root")!.Id)!;
        var pages = (PdfDictionary)doc.Resolve(catalog.Get("Pages"))!;
        Assert.Equal("1", pages.Get<PdfNumber>("Count")!.Text);
        Assert.Equal("Page", ((PdfDictionary)doc.Resolve(pages.Get<PdfArray>("Kids")!.Items[0])!).GetName("Type"));
    }

    [Fact]
    public void The_title_keeps_its_vietnamese_letters_in_the_metadata_and_the_page_shows_them_folded_to_ascii()
    {
        var pdf = TestPdf.Create("Quyết định số 01/QĐ-UBND", "Đường Nguyễn Trãi (số 5)");
        var doc = ClassicPdfDocument.Open(pdf);
        var text = Encoding.Latin1.GetString(pdf);

        var info = (PdfDictionary)doc.Resolve(doc.Trailer.Get("Info"))!;
        Assert.Equal("Quyết định số 01/QĐ-UBND", info.Get<PdfString>("Title")!.DecodeText());
        Assert.Contains("(Quyet dinh so 01/QD-UBND) Tj", text);
        Assert.Contains(@"(Duong Nguyen Trai \(so 5\)) Tj", text);
    }

    [Fact]
    public void Long_lines_wrap_and_text_beyond_the_page_is_left_out()
    {
        var body = string.Join(' ', Enumerable.Repeat("chữ", 60)) + "\n" + string.Join('\n', Enumerable.Range(1, 200).Select(i => "line " + i));

        var text = Encoding.Latin1.GetString(TestPdf.Create("T", body));

        var shown = text.Split('\n').Where(l => l.EndsWith(") Tj T*", StringComparison.Ordinal)).Select(l => l[1..^") Tj T*".Length]).ToList();
        Assert.All(shown, line => Assert.InRange(line.Length, 0, 90));
        Assert.Contains(shown, line => line.StartsWith("chu chu", StringComparison.Ordinal) && line.Length > 80);
        Assert.Contains("(line 1) Tj", text);
        Assert.DoesNotContain("(line 200) Tj", text);
    }

    [Fact]
    public void The_same_arguments_give_the_same_bytes()
    {
        Assert.Equal(TestPdf.Create("A", "B"), TestPdf.Create("A", "B"));
        Assert.NotEqual(TestPdf.Create("A", "B"), TestPdf.Create("A", "C"));
    }

    [Theory]
    [InlineData("Đồng Nai", "Dong Nai")]
    [InlineData("Thừa Thiên Huế", "Thua Thien Hue")]
    [InlineData("ăâêôơư ĂÂÊÔƠƯ đ", "aaeoou AAEOOU d")]
    [InlineData("€ 中", "? ?")]
    public void Text_folds_to_ascii(string text, string expected) => Assert.Equal(expected, TestPdf.ToAscii(text));
}
