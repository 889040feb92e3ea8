using Lgsp.Edxml.Pdf.Syntax;
using Lgsp.Edxml.Testing.Pdf.Syntax;

namespace Lgsp.Edxml.Testing.Tests.Pdf.Syntax;

public class PdfObjectWriterTests
{
    [Fact]
    public void Written_objects_read_back_the_same()
    {
        var original = new PdfDictionary(
        [
            new("Name With Space", new PdfName("a#b")),
            new("T", PdfString.FromText("Chữ ký (số)")),
            new("L", PdfString.FromText("plain (parens) \\ back")),
            new("R", new PdfReference(12, 0)),
            new("A", new PdfArray([PdfNumber.Of(-7), new PdfBoolean(false), PdfNull.Instance])),
        ]);
        var output = new MemoryStream();
        new PdfObjectWriter(output).Write(original);

        var back = Assert.IsType<PdfDictionary>(new PdfParser(output.ToArray()).ParseObject());

        Assert.Equal("a#b", back.GetName("Name With Space"));
        Assert.Equal("Chữ ký (số)", back.Get<PdfString>("T")!.DecodeText());
        Assert.Equal("plain (parens) \\ back", back.Get<PdfString>("L")!.DecodeText());
        Assert.Equal("12 0 R", back.Get("R")!.ToString());
        Assert.Equal(3, back.Get<PdfArray>("A")!.Items.Count);
    }
}
