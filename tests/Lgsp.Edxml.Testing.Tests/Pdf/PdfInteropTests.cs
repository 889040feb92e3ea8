using System.Diagnostics;
using Lgsp.Edxml.Pdf;
using Lgsp.Edxml.Testing.Pdf;
using Lgsp.Edxml.Tests.Pdf;
using Lgsp.Edxml.Tests.Support;

namespace Lgsp.Edxml.Testing.Tests.Pdf;

/// <summary>
/// Independent tools agree with what <see cref="PdfSigning"/> writes: poppler's <c>pdfsig</c>
/// verifies the signatures and <c>qpdf --check</c> finds the structure sound. Both tools are
/// required (CI installs them); a missing one fails the test with the Debian package to install.
/// </summary>
public sealed class PdfInteropTests : IDisposable
{
    private readonly DirectoryInfo _folder = Repository.TempFolder();

    public void Dispose() => _folder.Delete(recursive: true);

    public static TheoryData<string> SignedSamples => new() { "sealed", "twice signed", "hand-written, twice signed" };

    [Theory]
    [MemberData(nameof(SignedSamples))]
    public void Pdfsig_reports_every_signature_as_valid(string sample)
    {
        var (pdf, count) = Sample(sample);

        var (exitCode, output) = Run("pdfsig", "poppler-utils", Write(pdf));

        Assert.True(exitCode == 0, output);
        for (var i = 1; i <= count; i++)
        {
            Assert.Contains($"Signature #{i}:", output);
        }

        Assert.DoesNotContain($"Signature #{count + 1}:", output);
        Assert.Equal(count, CountOf(output, "Signature Validation: Signature is Valid."));
    }

    [Fact]
    public void Pdfsig_rejects_what_the_inspector_rejects()
    {
        var pdf = PdfSamples.Copy(PdfSamples.TwiceSignedPdf);
        pdf[PdfSamples.IndexOf(pdf, "/T (ChuKyCaNhan)") + 5] ^= 1;

        var (_, output) = Run("pdfsig", "poppler-utils", Write(pdf));
        var inspected = new PdfSignatureInspector().Inspect(pdf);

        Assert.Equal(1, CountOf(output, "Signature is Valid."));
        Assert.Equal([true, false], inspected.Signatures.Select(s => s.IsIntact));
    }

    [Theory]
    [InlineData("unsigned")]
    [InlineData("sealed")]
    [InlineData("twice signed")]
    [InlineData("hand-written, twice signed")]
    public void Qpdf_check_finds_no_errors(string sample)
    {
        var pdf = sample == "unsigned" ? PdfSamples.Unsigned : Sample(sample).Pdf;

        var (exitCode, output) = Run("qpdf", "qpdf", "--check", Write(pdf));

        Assert.True(exitCode == 0, output);
        Assert.Contains("No syntax or stream encoding errors found", output);
        Assert.DoesNotContain("WARNING", output, StringComparison.OrdinalIgnoreCase);
    }

    private static (byte[] Pdf, int Count) Sample(string name) => name switch
    {
        "sealed" => (PdfSamples.SealedPdf, 1),
        "twice signed" => (PdfSamples.TwiceSignedPdf, 2),
        _ => (PdfSamples.HandWrittenTwiceSignedPdf, 2),
    };

    private string Write(byte[] pdf)
    {
        var path = Path.Combine(_folder.FullName, Guid.NewGuid().ToString("N") + ".pdf");
        File.WriteAllBytes(path, pdf);
        return path;
    }

    private static int CountOf(string text, string value) =>
        (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;

    private static (int ExitCode, string Output) Run(string tool, string debianPackage, params string[] arguments)
    {
        var executable = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
        if (executable is null)
        {
            Assert.Fail($"'{tool}' is not on the PATH: install the Debian package {debianPackage} (apt-get install {debianPackage}).");
        }

        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
