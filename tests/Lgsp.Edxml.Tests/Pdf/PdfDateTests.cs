using Lgsp.Edxml.Pdf;

namespace Lgsp.Edxml.Tests.Pdf;

public class PdfDateTests
{
    [Theory]
    [InlineData("D:20250314093015+07'00'", "2025-03-14T09:30:15+07:00")]
    [InlineData("D:20250314093015+07'00", "2025-03-14T09:30:15+07:00")]
    [InlineData("D:20250314093015+0700", "2025-03-14T09:30:15+07:00")]
    [InlineData("D:20250314093015+07", "2025-03-14T09:30:15+07:00")]
    [InlineData("D:20250314093015-05'30'", "2025-03-14T09:30:15-05:30")]
    [InlineData("D:20250314093015Z", "2025-03-14T09:30:15+00:00")]
    [InlineData("D:20250314093015Z00'00'", "2025-03-14T09:30:15+00:00")]
    [InlineData("D:20250314093015", "2025-03-14T09:30:15+00:00")]
    [InlineData("D:2025031409", "2025-03-14T09:00:00+00:00")]
    [InlineData("D:2025", "2025-01-01T00:00:00+00:00")]
    [InlineData("20250314093015+07'00'", "2025-03-14T09:30:15+07:00")]
    [InlineData(" D:20240229235959+07'00' ", "2024-02-29T23:59:59+07:00")]
    public void Valid_pdf_dates_are_read(string text, string expected)
    {
        Assert.True(PdfDate.TryParse(text, out var value));
        var instant = DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(instant, value);
        Assert.Equal(instant.Offset, value.Offset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("D:")]
    [InlineData("D:25")]
    [InlineData("D:20251314")]
    [InlineData("D:20250230")]
    [InlineData("D:20250314250000")]
    [InlineData("D:2025031409301X")]
    [InlineData("D:20250314093015+25'00'")]
    [InlineData("D:20250314093015+07'00'junk")]
    [InlineData("hello")]
    public void Invalid_pdf_dates_are_refused(string? text) => Assert.False(PdfDate.TryParse(text, out _));

    [Theory]
    [InlineData("2025-03-14T09:30:15+07:00", "D:20250314093015+07'00'")]
    [InlineData("2025-03-14T09:30:15-03:30", "D:20250314093015-03'30'")]
    [InlineData("2025-03-14T09:30:15+00:00", "D:20250314093015Z")]
    public void Dates_are_written_in_their_own_offset_and_read_back(string instant, string expected)
    {
        var value = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

        var text = PdfDate.Format(value);

        Assert.Equal(expected, text);
        Assert.True(PdfDate.TryParse(text, out var back));
        Assert.Equal(value, back);
    }
}
