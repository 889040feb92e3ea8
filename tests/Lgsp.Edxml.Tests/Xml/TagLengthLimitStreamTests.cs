using System.Text;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Tests.Xml;

/// <summary>A tag longer than its limit is refused while its bytes pass, before an XML reader buffers it;
/// text between tags, however long, is not counted.</summary>
public sealed class TagLengthLimitStreamTests
{
    [Fact]
    public void A_start_tag_with_an_attribute_over_the_limit_is_refused_as_too_large()
    {
        var error = Assert.Throws<EdxmlFormatException>(() => ReadAll($"<a x=\"{new string('A', 2000)}\"/>", limit: 1024));

        Assert.Equal(ErrorCode.TooLarge, error.Error.Code);
    }

    [Fact]
    public void A_closing_bracket_inside_a_quoted_value_does_not_end_the_tag()
    {
        var value = string.Concat(Enumerable.Repeat("AAAA>'", 400));

        var error = Assert.Throws<EdxmlFormatException>(() => ReadAll($"<a x=\"{value}\"/>", limit: 1024));

        Assert.Equal(ErrorCode.TooLarge, error.Error.Code);
    }

    [Fact]
    public void Long_text_comments_and_many_short_tags_pass()
    {
        var xml = "<?xml version=\"1.0\"?><a>" + new string('x', 100_000) + "<!--" + new string('y', 5000) + "-->"
            + string.Concat(Enumerable.Repeat("<b c=\"d\">e</b>", 10_000)) + "</a>";

        Assert.Equal(Encoding.UTF8.GetByteCount(xml), ReadAll(xml, limit: 1024));
    }

    [Fact]
    public void A_package_with_a_megabyte_attribute_is_refused_as_too_large_by_the_safe_reader()
    {
        var xml = $"<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\" x=\"{new string('A', 1024 * 1024)}\"/>";

        var error = Assert.Throws<EdxmlFormatException>(() => SafeXml.LoadDocument(new MemoryStream(Encoding.UTF8.GetBytes(xml)), XmlLimits.Default));

        Assert.Equal(ErrorCode.TooLarge, error.Error.Code);
    }

    private static long ReadAll(string xml, int limit)
    {
        using var stream = new TagLengthLimitStream(new MemoryStream(Encoding.UTF8.GetBytes(xml)), limit);
        var buffer = new byte[4096];
        long total = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            total += read;
        }

        return total;
    }
}
