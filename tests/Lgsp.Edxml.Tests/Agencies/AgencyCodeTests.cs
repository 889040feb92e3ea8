using Lgsp.Edxml.Agencies;
using Lgsp.Edxml.Errors;

namespace Lgsp.Edxml.Tests.Agencies;

public class AgencyCodeTests
{
    [Theory]
    [InlineData("000.00.00.H56", "H56")]
    [InlineData("000.00.00.G22", "G22")]
    [InlineData("002.00.20.H13", "H13")]
    [InlineData("000.21.31.H53", "H53")]
    public void A_qcvn_102_identifier_is_read_right_to_left(string text, string level1)
    {
        var code = AgencyCode.Parse(text);

        Assert.Equal(AgencyCodeForm.Qcvn102, code.Form);
        Assert.Equal(text, code.Value);
        Assert.Equal(level1, code.Level1);
        Assert.Equal(text.Split('.').Reverse(), code.Groups);
    }

    [Fact]
    public void A_decision_20_identifier_is_read_left_to_right()
    {
        var code = AgencyCode.Parse("G12.18.112.001");

        Assert.Equal(AgencyCodeForm.Decision20, code.Form);
        Assert.Equal("G12", code.Level1);
        Assert.Equal(["G12", "18", "112", "001"], code.Groups);
    }

    [Fact]
    public void A_qcvn_102_parent_zeroes_the_most_specific_non_zero_group_up_to_the_root()
    {
        var code = AgencyCode.Parse("000.21.31.H53");

        var parent = code.Parent;
        var grandParent = parent?.Parent;

        Assert.Equal("000.00.31.H53", parent?.Value);
        Assert.Equal("000.00.00.H53", grandParent?.Value);
        Assert.Null(grandParent!.Parent);
    }

    [Theory]
    [InlineData("001.02.03.H56", "000.02.03.H56")]
    [InlineData("005.00.00.H56", "000.00.00.H56")]
    [InlineData("000.00.07.G22", "000.00.00.G22")]
    public void A_qcvn_102_parent_skips_groups_that_are_already_zero(string child, string parent)
    {
        Assert.Equal(parent, AgencyCode.Parse(child).Parent?.Value);
    }

    [Fact]
    public void A_decision_20_parent_drops_the_last_group_up_to_the_root()
    {
        var chain = new List<string>();
        for (var c = AgencyCode.Parse("G12.18.112.001"); c is not null; c = c.Parent)
        {
            chain.Add(c.Value);
        }

        Assert.Equal(["G12.18.112.001", "G12.18.112", "G12.18", "G12"], chain);
    }

    [Fact]
    public void A_level_1_identifier_has_no_parent()
    {
        Assert.Null(AgencyCode.Parse("000.00.00.H56").Parent);
        Assert.Null(AgencyCode.Parse("H56").Parent);
    }

    [Fact]
    public void Ancestors_are_the_chain_of_parents_and_nothing_else()
    {
        var commune = AgencyCode.Parse("000.21.31.H53");
        var district = AgencyCode.Parse("000.00.31.H53");
        var province = AgencyCode.Parse("000.00.00.H53");
        var otherProvince = AgencyCode.Parse("000.00.00.H56");
        var sibling = AgencyCode.Parse("000.22.31.H53");

        Assert.True(province.IsAncestorOf(commune));
        Assert.True(district.IsAncestorOf(commune));
        Assert.True(province.IsAncestorOf(district));
        Assert.False(commune.IsAncestorOf(province));
        Assert.False(commune.IsAncestorOf(commune));
        Assert.False(otherProvince.IsAncestorOf(commune));
        Assert.False(sibling.IsAncestorOf(commune));
    }

    [Fact]
    public void Decision_20_ancestors_follow_group_prefixes_not_string_prefixes()
    {
        Assert.True(AgencyCode.Parse("G12.18").IsAncestorOf(AgencyCode.Parse("G12.18.112.001")));
        Assert.False(AgencyCode.Parse("G12.1").IsAncestorOf(AgencyCode.Parse("G12.18.112")));
        Assert.False(AgencyCode.Parse("H56").IsAncestorOf(AgencyCode.Parse("000.00.00.H56")));
    }

    [Theory]
    [InlineData("  000.00.00.h56 ", "000.00.00.H56")]
    [InlineData("g12.18.112.001", "G12.18.112.001")]
    [InlineData("\t000.00.00.G22\r\n", "000.00.00.G22")]
    public void Surrounding_whitespace_and_lower_case_letters_are_normalised_not_refused(string text, string value)
    {
        Assert.True(AgencyCode.TryParse(text, out var code, out var reason));
        Assert.Null(reason);
        Assert.Equal(value, code.Value);
        Assert.Equal(value, code.ToString());
    }

    [Fact]
    public void Equality_and_hashing_are_ordinal_on_the_normalised_value()
    {
        var a = AgencyCode.Parse("000.00.00.h56");
        var b = AgencyCode.Parse(" 000.00.00.H56");
        var c = AgencyCode.Parse("000.00.00.H57");

        Assert.True(a == b);
        Assert.False(a != b);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a != c);
        Assert.False(a.Equals(null));
        Assert.Single(new HashSet<AgencyCode> { a, b });
    }

    [Fact]
    public void Ordering_is_ordinal_on_the_normalised_value()
    {
        var codes = new[] { "G22", "000.00.00.H56", "000.00.00.G22", "A01.2" }.Select(AgencyCode.Parse).ToList();

        codes.Sort();

        Assert.Equal(["000.00.00.G22", "000.00.00.H56", "A01.2", "G22"], codes.Select(c => c.Value));
        Assert.True(codes[0].CompareTo(null) > 0);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("28.22.H17", "3 group(s)")]
    [InlineData("000.00.H56", "3 group(s)")]
    [InlineData("000.00.00.00.H56", "5 group(s)")]
    [InlineData("00.00.00.H56", "level-4 group '00' must be exactly 3 digits")]
    [InlineData("0000.00.00.H56", "level-4 group '0000' must be exactly 3 digits")]
    [InlineData("000.0.00.H56", "level-3 group '0' must be exactly 2 digits")]
    [InlineData("000.00.A0.H56", "level-2 group 'A0' must be exactly 2 digits")]
    [InlineData("000.00.00.H5", "level-1 group 'H5' must be one letter followed by exactly 2 digits")]
    [InlineData("000.00.00.H567", "level-1 group 'H567'")]
    [InlineData("000.00.00.567", "level-1 group '567'")]
    [InlineData("000.00.00.HH6", "level-1 group 'HH6'")]
    [InlineData("000.00..H56", "group 3 is empty")]
    [InlineData(".000.00.00.H56", "group 1 is empty")]
    [InlineData("000.00.00.H56.", "group 5 is empty")]
    [InlineData("000.00 .00.H56", "space at position 7")]
    [InlineData("000.00.00.H 56", "space at position 12")]
    [InlineData("000-00-00-H56", "character '-' at position 4")]
    [InlineData("000.00.00.Ḥ56", "character 'Ḥ' at position 11")]
    [InlineData("000.00.00.Đ56", "character 'Đ' at position 11")]
    [InlineData("٠٠٠.00.00.H56", "character '٠' at position 1")]
    [InlineData("000.00.00.H56\u0000", "character 'U+0000' at position 14")]
    [InlineData("G", "level-1 group 'G' must be one letter followed by digits")]
    [InlineData("GG12.18", "level-1 group 'GG12'")]
    [InlineData("G1A.18", "level-1 group 'G1A'")]
    [InlineData("G12..18", "group 2 is empty")]
    [InlineData("G12.18.112.001.002.003.004.005.006.7", "36 characters; at most 35")]
    public void Malformed_identifiers_are_refused_with_a_precise_reason(string? text, string expectedReason)
    {
        Assert.False(AgencyCode.TryParse(text, out var code, out var reason));
        Assert.Null(code);
        Assert.Contains(expectedReason, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decision_20_identifier_of_exactly_35_characters_is_accepted()
    {
        const string text = "G12.18.112.001.002.003.004.005.0067";
        Assert.Equal(35, text.Length);

        Assert.True(AgencyCode.TryParse(text, out var code, out _));
        Assert.Equal(text, code.Value);
    }

    [Fact]
    public void Parse_throws_a_format_exception_carrying_the_reason()
    {
        var ex = Assert.Throws<FormatException>(() => AgencyCode.Parse("28.22.H17"));
        Assert.Contains("28.22.H17", ex.Message, StringComparison.Ordinal);
        Assert.Contains("3 group(s)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => AgencyCode.Parse(null!));
    }

    [Fact]
    public void Check_reports_an_invalid_agency_code_error_on_the_field_in_both_languages()
    {
        var error = AgencyCode.Check("28.22.H17", "MessageHeader/To[1]/OrganId");

        Assert.NotNull(error);
        Assert.Equal(ErrorCode.InvalidAgencyCode, error.Code);
        Assert.Equal("MessageHeader/To[1]/OrganId", error.Field);
        Assert.True(error.IsError);
        Assert.Contains("'28.22.H17'", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 group(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("mã có 3 nhóm", error.MessageVi, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_accepts_a_valid_identifier_and_reports_an_absent_one()
    {
        Assert.Null(AgencyCode.Check("000.00.00.H56", "MessageHeader/From/OrganId"));
        var missing = AgencyCode.Check(null, "MessageHeader/From/OrganId");
        Assert.NotNull(missing);
        Assert.Contains("empty", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vxp.test.07")]
    [InlineData(" 02.03.G09 ")]
    [InlineData("TT5")]
    [InlineData("null")]
    [InlineData("28.22.H17")]
    [InlineData("axis-node_1")]
    public void A_plain_token_in_neither_form_is_non_standard_and_kept_as_written(string text)
    {
        Assert.True(AgencyCode.IsNonStandard(text, out var code));
        Assert.Equal(text.Trim(), code);
    }

    [Theory]
    [InlineData("000.00.00.H56")]
    [InlineData("g12.18.112")]
    [InlineData("")]
    [InlineData("vxp test 07")]
    [InlineData("Sở")]
    [InlineData("a,b")]
    public void A_valid_identifier_or_anything_that_is_no_plain_token_is_not_non_standard(string text)
    {
        Assert.False(AgencyCode.IsNonStandard(text, out var code));
        Assert.Null(code);
    }

    [Fact]
    public void A_plain_token_longer_than_the_non_standard_limit_is_not_non_standard()
    {
        Assert.True(AgencyCode.IsNonStandard(new string('x', AgencyCode.NonStandardMaxLength), out _));
        Assert.False(AgencyCode.IsNonStandard(new string('x', AgencyCode.NonStandardMaxLength + 1), out _));
    }

    [Fact]
    public void Check_non_standard_refuses_a_standard_code_and_a_code_that_is_no_plain_token_saying_why()
    {
        Assert.Null(AgencyCode.CheckNonStandard("vxp.test.07", "CODE"));
        var standard = AgencyCode.CheckNonStandard("000.00.00.H56", "CODE");
        var spaced = AgencyCode.CheckNonStandard("vxp test", "CODE");

        Assert.Equal((ErrorCode.InvalidAgencyCode, "CODE"), (standard?.Code, standard?.Field));
        Assert.Contains("needs no exception", standard!.Message, StringComparison.Ordinal);
        Assert.Contains("không cần ngoại lệ", standard.MessageVi, StringComparison.Ordinal);
        Assert.Contains("ASCII letters, digits", spaced!.Message, StringComparison.Ordinal);
    }
}
