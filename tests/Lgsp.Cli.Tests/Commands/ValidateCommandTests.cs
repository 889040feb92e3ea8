using System.Text.Json;
using Lgsp.TestSupport.Packages;

namespace Lgsp.Cli.Tests.Commands;

public class ValidateCommandTests
{
    [Fact]
    public void A_valid_status_exits_zero_and_says_valid()
    {
        var (exit, output, _) = CliRunner.Run("edxml", "validate", CliRunner.Sample("status_finish_06.edxml"));

        Assert.Equal(0, exit);
        Assert.Contains("valid", output);
    }

    [Fact]
    public void An_invalid_package_exits_one_and_lists_each_error_as_code_field_message()
    {
        var (exit, output, _) = CliRunner.Run("edxml", "validate", CliRunner.Sample("edoc_new.edxml"));

        Assert.Equal(1, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("InvalidAgencyCode MessageHeader/To[1]/OrganId ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("LeadingJunk / ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("warning", StringComparison.Ordinal));
    }

    [Fact]
    public void Warnings_are_listed_only_when_asked_and_prefixed()
    {
        var (_, output, _) = CliRunner.Run("edxml", "validate", "--warnings", CliRunner.Sample("edoc_new.edxml"));

        Assert.Contains("warning NonNumericCodeNumber MessageHeader/Code/CodeNumber", output);
    }

    [Fact]
    public void Several_files_are_each_judged_and_one_invalid_file_fails_the_run()
    {
        var (exit, output, _) = CliRunner.Run("edxml", "validate", CliRunner.Sample("status_inbox_01.edxml"), CliRunner.Sample("edoc_new.edxml"));

        Assert.Equal(1, exit);
        Assert.Contains("status_inbox_01.edxml: valid", output);
        Assert.Contains("edoc_new.edxml: invalid", output);
    }

    [Fact]
    public void Json_output_carries_code_field_and_both_languages()
    {
        var (exit, output, _) = CliRunner.Run("edxml", "validate", "--json", CliRunner.Sample("edoc_new.edxml"));

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(output);
        var file = Assert.Single(json.RootElement.EnumerateArray());
        Assert.False(file.GetProperty("valid").GetBoolean());
        var finding = file.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("code").GetString() == "InvalidAgencyCode");
        Assert.Equal("MessageHeader/To[1]/OrganId", finding.GetProperty("field").GetString());
        Assert.Contains("mã định danh", finding.GetProperty("messageVi").GetString());
    }

    [Fact]
    public void Vietnamese_messages_are_printed_with_vi()
    {
        var (_, output, _) = CliRunner.Run("edxml", "validate", "--vi", CliRunner.Sample("edoc_new.edxml"));

        Assert.Contains("không phải mã định danh cơ quan hợp lệ", output);
    }

    [Fact]
    public void A_missing_file_is_a_usage_error()
    {
        var (exit, _, error) = CliRunner.Run("edxml", "validate", "/nonexistent/package.edxml");

        Assert.Equal(2, exit);
        Assert.Contains("no such file", error);
    }

    [Fact]
    public void Legacy_exits_zero_on_a_package_from_a_code_in_neither_form_and_lists_the_warnings()
    {
        var file = Written(TestPackages.Document("vxp.test.07", ["000.00.00.H56"], number: "123456789012"));

        var (exit, output, _) = CliRunner.Run("edxml", "validate", "--legacy", file);
        File.Delete(file);

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("warning InvalidAgencyCode MessageHeader/From/OrganId ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("warning FieldTooLong MessageHeader/Code/CodeNumber ", StringComparison.Ordinal));
    }

    [Fact]
    public void Strict_exits_one_on_a_package_from_a_code_in_neither_form_naming_the_field()
    {
        var file = Written(TestPackages.Document("vxp.test.07", ["000.00.00.H56"]));

        var (exit, output, _) = CliRunner.Run("edxml", "validate", file);
        File.Delete(file);

        Assert.Equal(1, exit);
        Assert.Contains(output.Split('\n'), l => l.StartsWith("InvalidAgencyCode MessageHeader/From/OrganId 'vxp.test.07' ", StringComparison.Ordinal));
    }

    [Fact]
    public void Legacy_exits_zero_on_the_sdk_new_document_sample_listing_its_recipient_code_as_a_warning()
    {
        var (exit, output, _) = CliRunner.Run("edxml", "validate", "--legacy", CliRunner.Sample("edoc_new.edxml"));

        Assert.Equal(0, exit);
        Assert.Contains("warning InvalidAgencyCode MessageHeader/To[1]/OrganId", output);
        Assert.Contains("warning LeadingJunk /", output);
    }

    private static string Written(byte[] package)
    {
        var path = Path.Combine(Path.GetTempPath(), $"lgsp-wild-{Guid.NewGuid():N}.edxml");
        File.WriteAllBytes(path, package);
        return path;
    }
}
