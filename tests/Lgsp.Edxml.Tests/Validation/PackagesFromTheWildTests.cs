using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Validation;
using Lgsp.Edxml.Writing;

namespace Lgsp.Edxml.Tests.Validation;

/// <summary>
/// The classes of defect seen in packages from document systems connected to the national axis
/// (docs/edxml.md, "Packages found in the wild"), each under both policies: trace headers never refuse,
/// a code that follows neither form is a warning under legacy and an error under strict unless the
/// caller lists it as an exception, an over-long CodeNumber is a warning under legacy.
/// </summary>
public class PackagesFromTheWildTests
{
    private static readonly ValidationOptions Strict = ValidationOptions.Strict;
    private static readonly ValidationOptions Legacy = ValidationOptions.LegacyPolicy;

    public static TheoryData<string> TraceHeaderJunk => ["null", "02.03.G09", "TT5", "vxp.test.07", "not a code at all"];

    public static TheoryData<string> NonStandardCodes => ["vxp.test.07", "02.03.G09", "TT5", "null", "28.22.H17"];

    [Theory]
    [MemberData(nameof(TraceHeaderJunk))]
    public void A_trace_header_code_that_is_no_agency_code_is_a_warning_under_both_policies(string organId)
    {
        var package = Packages.FullDocument() with { TraceHeaders = [new TraceHeader(organId, EdxmlTimestamp.From(new DateTime(2019, 5, 6, 7, 8, 9)))] };

        foreach (var options in new[] { Strict, Legacy })
        {
            var result = Validate(package, options);

            Assert.True(result.IsValid, string.Join("\n", result.Errors));
            var warning = Assert.Single(result.Warnings, f => f.Code == ErrorCode.InvalidAgencyCode);
            Assert.Equal("TraceHeaderList/TraceHeader[1]/OrganId", warning.Field);
        }
    }

    [Fact]
    public void A_trace_header_timestamp_that_does_not_parse_is_a_warning_under_the_strict_policy()
    {
        var package = Packages.FullDocument() with { TraceHeaders = [new TraceHeader("000.00.01.H56", new EdxmlTimestamp("hôm qua"))] };

        var result = Validate(package, Strict);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Contains(result.Warnings, f => f.Code == ErrorCode.InvalidDate && f.Field == "TraceHeaderList/TraceHeader[1]/Timestamp");
    }

    [Theory]
    [MemberData(nameof(NonStandardCodes))]
    public void A_from_code_in_neither_form_is_an_error_under_strict_naming_the_field(string code)
    {
        var result = Validate(Packages.FullDocument() with { From = Packages.Org(code, "Hệ thống trục") }, Strict);

        var error = Assert.Single(result.Errors);
        Assert.Equal((ErrorCode.InvalidAgencyCode, "MessageHeader/From/OrganId"), (error.Code, error.Field));
    }

    [Theory]
    [MemberData(nameof(NonStandardCodes))]
    public void A_from_code_in_neither_form_is_a_warning_under_legacy(string code)
    {
        var result = Validate(Packages.FullDocument() with { From = Packages.Org(code, "Hệ thống trục") }, Legacy);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Contains(result.Warnings, f => f.Code == ErrorCode.InvalidAgencyCode && f.Field == "MessageHeader/From/OrganId");
    }

    [Theory]
    [MemberData(nameof(NonStandardCodes))]
    public void A_to_code_in_neither_form_is_an_error_under_strict_and_a_warning_under_legacy(string code)
    {
        var package = Packages.FullDocument() with { To = [Packages.Org("000.00.00.H56", "UBND tỉnh"), Packages.Org(code, "Hệ thống trục")] };

        var strict = Validate(package, Strict);
        var legacy = Validate(package, Legacy);

        var error = Assert.Single(strict.Errors);
        Assert.Equal((ErrorCode.InvalidAgencyCode, "MessageHeader/To[2]/OrganId"), (error.Code, error.Field));
        Assert.True(legacy.IsValid, string.Join("\n", legacy.Errors));
        Assert.Contains(legacy.Warnings, f => f.Code == ErrorCode.InvalidAgencyCode && f.Field == "MessageHeader/To[2]/OrganId");
    }

    [Fact]
    public void A_status_addressed_to_a_code_in_neither_form_is_a_warning_under_legacy()
    {
        var status = Packages.Status(StatusCode.Accepted) with { ResponseFor = Packages.Status(StatusCode.Accepted).ResponseFor! with { OrganId = "vxp.test.07" } };

        Assert.Contains(Validate(status, Strict).Errors, f => f.Code == ErrorCode.InvalidAgencyCode && f.Field == "MessageHeader/ResponseFor/OrganId");
        Assert.True(Validate(status, Legacy).IsValid);
    }

    [Fact]
    public void Strict_accepts_a_code_in_neither_form_only_when_the_caller_lists_that_exact_code()
    {
        var package = Packages.FullDocument() with { From = Packages.Org("vxp.test.07", "Hệ thống trục") };

        var listed = Validate(package, Strict with { AcceptedNonStandardCodes = new HashSet<string>(StringComparer.Ordinal) { "vxp.test.07" } });
        var otherCase = Validate(package, Strict with { AcceptedNonStandardCodes = new HashSet<string>(StringComparer.Ordinal) { "VXP.TEST.07" } });
        var another = Validate(package, Strict with { AcceptedNonStandardCodes = new HashSet<string>(StringComparer.Ordinal) { "vxp.test.08" } });

        Assert.True(listed.IsValid, string.Join("\n", listed.Errors));
        Assert.Contains(listed.Warnings, f => f.Code == ErrorCode.InvalidAgencyCode && f.Field == "MessageHeader/From/OrganId");
        Assert.Contains(otherCase.Errors, f => f.Code == ErrorCode.InvalidAgencyCode && f.Field == "MessageHeader/From/OrganId");
        Assert.Contains(another.Errors, f => f.Code == ErrorCode.InvalidAgencyCode && f.Field == "MessageHeader/From/OrganId");
    }

    [Theory]
    [InlineData("vxp test 07")]
    [InlineData("Sở Tài chính")]
    [InlineData("a,b")]
    public void A_from_code_that_is_not_even_a_plain_token_stays_an_error_under_legacy(string code)
    {
        var result = Validate(Packages.FullDocument() with { From = Packages.Org(code, "Cơ quan") }, Legacy);

        var error = Assert.Single(result.Errors);
        Assert.Equal((ErrorCode.InvalidAgencyCode, "MessageHeader/From/OrganId"), (error.Code, error.Field));
    }

    [Fact]
    public void A_code_number_longer_than_eleven_characters_is_an_error_under_strict_and_a_warning_under_legacy()
    {
        var package = Packages.FullDocument() with { Code = new DocumentCode("123456789012", "STC-NS") };

        var strict = Assert.Single(Validate(package, Strict).Errors);
        var legacy = Validate(package, Legacy);

        Assert.Equal((ErrorCode.FieldTooLong, "MessageHeader/Code/CodeNumber"), (strict.Code, strict.Field));
        Assert.True(legacy.IsValid, string.Join("\n", legacy.Errors));
        Assert.Contains(legacy.Warnings, f => f.Code == ErrorCode.FieldTooLong && f.Field == "MessageHeader/Code/CodeNumber");
    }

    [Fact]
    public void Legacy_relaxes_nothing_else_a_missing_from_code_is_still_an_error()
    {
        var result = Validate(Packages.FullDocument() with { From = Packages.Org("", "Cơ quan") }, Legacy);

        Assert.Contains(result.Errors, f => f.Code == ErrorCode.MissingField && f.Field == "MessageHeader/From/OrganId");
    }

    private static ValidationResult Validate(EdxmlPackage package, ValidationOptions options)
    {
        var result = PackageValidator.Validate(PackageWriter.ToBytes(package), options);
        result.Package?.Dispose();
        return result;
    }
}
