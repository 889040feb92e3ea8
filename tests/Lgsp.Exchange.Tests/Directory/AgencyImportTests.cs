using Lgsp.Exchange.Directory;

namespace Lgsp.Exchange.Tests.Directory;

/// <summary>The agency import's line checks, shared by <c>lgsp agencies import</c> and the console.</summary>
public sealed class AgencyImportTests
{
    private const string Header = "code,name,parent,tier,push_endpoint\n";
    private static readonly Dictionary<string, string?> Existing = new() { ["000.00.00.H56"] = null };
    private static readonly HashSet<string> NoHubs = [];

    [Fact]
    public void A_bad_line_is_named_with_its_reason_in_both_languages_and_the_good_lines_are_still_returned_for_a_preview()
    {
        var (rows, problems) = AgencyImport.Plan(
            Header + "000.00.02.H56,Sở Tài chính,000.00.00.H56,department,\n000.00.03.H56,Sở Nội vụ,000.00.00.H56,ministry,\n", Existing, NoHubs);

        var problem = Assert.Single(problems);
        Assert.Equal((3, "tier"), (problem.Line, problem.Field));
        Assert.StartsWith("'ministry' is not a tier", problem.Reason, StringComparison.Ordinal);
        Assert.StartsWith("'ministry' không phải là cấp", problem.ReasonVi, StringComparison.Ordinal);
        Assert.Equal(problem.ReasonVi, problem.ReasonIn(vietnamese: true));
        Assert.Equal(["000.00.02.H56"], rows.Select(r => r.Code));
    }

    [Fact]
    public void When_every_line_is_good_a_child_listed_before_its_parent_comes_after_it()
    {
        var (rows, problems) = AgencyImport.Plan(
            Header + "000.00.21.H56,Phòng,000.00.20.H56,other,\n000.00.20.H56,Sở,000.00.00.H56,department,https://qlvb.example.vn/edoc\n", Existing, NoHubs);

        Assert.Empty(problems);
        Assert.Equal(["000.00.20.H56", "000.00.21.H56"], rows.Select(r => r.Code));
        Assert.Equal(new Uri("https://qlvb.example.vn/edoc"), rows[0].PushEndpoint);
    }

    [Fact]
    public void A_malformed_csv_line_is_reported_in_vietnamese_too()
    {
        var (_, problems) = AgencyImport.Plan(Header + "\"000.00.02.H56,Sở,,department,\n", Existing, NoHubs);

        var problem = Assert.Single(problems);
        Assert.Equal(2, problem.Line);
        Assert.Contains("chưa được đóng", problem.ReasonVi, StringComparison.Ordinal);
    }
}
