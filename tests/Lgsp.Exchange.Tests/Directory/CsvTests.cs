using Lgsp.Exchange.Directory;

namespace Lgsp.Exchange.Tests.Directory;

/// <summary>The CSV reader behind <c>agencies import</c>.</summary>
public sealed class CsvTests
{
    [Fact]
    public void Quoted_fields_keep_commas_doubled_quotes_and_line_breaks_and_records_know_their_first_line()
    {
        var (records, problems) = Csv.Read("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",z\nlast,\"\"");

        Assert.Empty(problems);
        Assert.Equal([1, 2, 4, 6], records.Select(r => r.Line));
        Assert.Equal(["x, y", "say \"hi\""], records[1].Fields);
        Assert.Equal(["two\nlines", "z"], records[2].Fields);
        Assert.Equal(["last", ""], records[3].Fields);
    }

    [Fact]
    public void A_malformed_record_is_reported_on_its_line_and_the_next_records_are_still_read()
    {
        var (records, problems) = Csv.Read("h1,h2\n\"open,x\nok,1\n");

        Assert.Equal([1], records.Select(r => r.Line));
        var problem = Assert.Single(problems);
        Assert.Equal((2, "row"), (problem.Line, problem.Field));
        Assert.Contains("not closed", problem.Reason);

        var (after, afterProblems) = Csv.Read("h\n\"a\"b,c\nok\n");
        Assert.Equal([1, 3], after.Select(r => r.Line));
        Assert.Contains("text follows a closing quote", Assert.Single(afterProblems).Reason);
    }
}
