using Lgsp.Edxml.Model;
using Lgsp.Edxml.Reading;
using Lgsp.Edxml.Validation;

namespace Lgsp.Cli.Tests.Commands;

public sealed class NewAndStatusCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lgsp-cli-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Fact]
    public void New_builds_a_valid_document_with_its_attachments_that_reads_back()
    {
        File.WriteAllBytes(PathOf("letter.pdf"), "%PDF-1.4\n%%EOF\n"u8.ToArray());

        var (exit, _, error) = CliRunner.Run("edxml", "new", "--from", "000.00.01.H56", "--to", "000.00.00.H56", "--to", "000.00.02.H56",
            "--number", "123", "--notation", "STC-NS", "--subject", "V/v liên thông", "--attach", PathOf("letter.pdf"), "--zip",
            "--date", "2026-11-20", "--out", PathOf("doc.edxml"));

        Assert.True(exit == 0, error);
        var result = PackageValidator.ValidateFile(PathOf("doc.edxml"));
        using var doc = Assert.IsType<DocumentPackage>(result.Package);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal("000.00.01.H56,2026/11/20,123/STC-NS", doc.DocumentId);
        Assert.Equal(["000.00.00.H56", "000.00.02.H56"], doc.To.Select(t => t.OrganId));
        var attachment = Assert.Single(doc.Attachments);
        Assert.True(attachment.IsZip);
        Assert.Equal("letter.pdf", Assert.Single(attachment.Files()).Name);
    }

    [Theory]
    [InlineData("01")]
    [InlineData("02")]
    [InlineData("03")]
    [InlineData("04")]
    [InlineData("05")]
    [InlineData("06")]
    [InlineData("15")]
    [InlineData("16")]
    public void Status_answers_the_document_and_goes_back_to_its_sender(string code)
    {
        MakeDocument();

        var (exit, _, error) = CliRunner.Run("edxml", "status", "--from", "000.00.00.H56", "--for", PathOf("doc.edxml"), "--code", code,
            "--description", "Lý do", "--out", PathOf("status.edxml"));

        Assert.True(exit == 0, error);
        var result = PackageValidator.ValidateFile(PathOf("status.edxml"));
        var status = Assert.IsType<StatusPackage>(result.Package);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(code, status.StatusCode);
        Assert.Equal("000.00.01.H56", status.ResponseFor!.OrganId);
        Assert.Equal("000.00.01.H56,2026/11/20,7/STC-NS", status.ResponseFor.DocumentId);
        Assert.Equal("7/STC-NS", status.ResponseFor.Code);
    }

    [Fact]
    public void Status_13_is_addressed_to_the_recipient_asked_to_give_the_document_back()
    {
        MakeDocument();

        var (exit, _, error) = CliRunner.Run("edxml", "status", "--from", "000.00.01.H56", "--for", PathOf("doc.edxml"), "--code", "13", "--out", PathOf("s13.edxml"));

        Assert.True(exit == 0, error);
        using var status = PackageReader.ReadFile(PathOf("s13.edxml"));
        Assert.Equal("000.00.00.H56", ((StatusPackage)status).ResponseFor!.OrganId);
    }

    [Fact]
    public void An_unknown_status_code_is_refused_before_anything_is_written()
    {
        MakeDocument();

        var (exit, _, error) = CliRunner.Run("edxml", "status", "--from", "000.00.00.H56", "--for", PathOf("doc.edxml"), "--code", "07", "--out", PathOf("s.edxml"));

        Assert.Equal(2, exit);
        Assert.Contains("UnknownStatusCode", error);
        Assert.False(File.Exists(PathOf("s.edxml")));
    }

    private void MakeDocument()
    {
        var (exit, _, error) = CliRunner.Run("edxml", "new", "--from", "000.00.01.H56", "--to", "000.00.00.H56", "--number", "7", "--notation", "STC-NS",
            "--subject", "Thử", "--date", "2026-11-20", "--out", PathOf("doc.edxml"));
        Assert.True(exit == 0, error);
    }
}
