using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Trust;
using Lgsp.Edxml.Validation;

namespace Lgsp.Edxml.Tests.Validation;

/// <summary>
/// The deliberate, documented result for every package the national SDK ships (docs/edxml.md,
/// "The SDK's sample packages"): what the strict policy refuses and why, and what the legacy policy lets through.
/// </summary>
public class SdkSampleResultsTests
{
    public static TheoryData<string> LegacyAcceptable =>
    [
        "edoc_update.edxml", "edoc_replacement.edxml", "edoc_revocation.edxml",
        "status_inbox_01.edxml", "status_rejection_02.edxml", "status_acceptance_03.edxml", "status_assignment_04.edxml",
        "status_processing_05.edxml", "status_finish_06.edxml", "status_cancellation_13.edxml",
        "status_change-acceptance_15.edxml", "status_change-rejection_16.edxml",
    ];

    [Theory]
    [MemberData(nameof(LegacyAcceptable))]
    public void Strict_policy_refuses_each_sample_because_it_carries_no_real_signature(string file)
    {
        var result = Check(file, CheckOptions.Strict(null));

        Assert.False(result.IsAccepted);
        Assert.True(result.Validation.IsValid, string.Join("\n", result.Validation.Errors));
        var error = Assert.Single(result.Findings, f => f.IsError);
        Assert.Equal(ErrorCode.SignatureRequired, error.Code);
    }

    [Theory]
    [MemberData(nameof(LegacyAcceptable))]
    public void Legacy_policy_accepts_each_sample_and_says_what_it_tolerated(string file)
    {
        var result = Check(file, CheckOptions.Legacy(null));

        Assert.True(result.IsAccepted, string.Join("\n", result.Findings));
        Assert.True(result.Legacy);
        if (file.StartsWith("edoc_", StringComparison.Ordinal))
        {
            Assert.Equal(SignatureStatus.Placeholder, result.Signature!.Status);
            Assert.Contains(result.Findings, f => f.Code == ErrorCode.SignaturePlaceholder && !f.IsError);
        }
        else
        {
            Assert.Equal(SignatureStatus.Unsigned, result.Signature!.Status);
        }
    }

    [Fact]
    public void The_new_document_sample_is_refused_under_strict_for_its_recipient_code_junk_and_placeholder()
    {
        var result = Check("edoc_new.edxml", CheckOptions.Strict(null));

        Assert.False(result.IsAccepted);
        Assert.Equal(
            [ErrorCode.InvalidAgencyCode, ErrorCode.LeadingJunk, ErrorCode.SignatureRequired],
            result.Findings.Where(f => f.IsError).Select(f => f.Code).Order(StringComparer.Ordinal));
        Assert.Contains(result.Findings, f => (f.Code, f.Field, f.IsError) == (ErrorCode.InvalidAgencyCode, "MessageHeader/To[1]/OrganId", true));
        Assert.Contains(result.Findings, f => f.Code == ErrorCode.NonNumericCodeNumber && !f.IsError);
    }

    [Fact]
    public void The_new_document_sample_passes_the_format_core_under_legacy_with_its_recipient_code_as_a_warning()
    {
        var result = Check("edoc_new.edxml", CheckOptions.Legacy(null));

        Assert.True(result.IsAccepted, string.Join("\n", result.Findings));
        Assert.Contains(result.Findings, f => (f.Code, f.Field, f.IsError) == (ErrorCode.InvalidAgencyCode, "MessageHeader/To[1]/OrganId", false));
        Assert.Contains(result.Findings, f => (f.Code, f.IsError) == (ErrorCode.LeadingJunk, false));
        Assert.Contains(result.Findings, f => (f.Code, f.IsError) == (ErrorCode.SignaturePlaceholder, false));
        Assert.Contains(result.Findings, f => f.Code == ErrorCode.NonNumericCodeNumber && !f.IsError);
    }

    [Fact]
    public void A_sample_signed_with_a_trusted_agency_certificate_is_accepted_under_the_strict_policy()
    {
        using var pki = TestPki.Create();
        var signer = pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");
        var signed = PackageSigner.Sign(File.ReadAllBytes(Repository.Sample("edoc_update.edxml")), signer, [pki.Intermediate]);
        var trust = new CertificateTrust(new TrustOptions { Roots = [pki.Root] });

        var result = PackageCheck.Evaluate(signed, CheckOptions.Strict(trust));
        result.Validation.Package?.Dispose();

        Assert.True(result.IsAccepted, string.Join("\n", result.Findings));
        Assert.Equal(SignatureStatus.Valid, result.Signature!.Status);
    }

    [Fact]
    public void A_validly_signed_package_whose_signer_chains_to_no_trusted_root_is_refused_even_under_legacy()
    {
        using var pki = TestPki.Create();
        using var stranger = TestPki.Create("Stranger");
        var signer = pki.IssueOrganization("000.00.00.G22", "Văn phòng Chính phủ");
        var signed = PackageSigner.Sign(File.ReadAllBytes(Repository.Sample("edoc_update.edxml")), signer, [pki.Intermediate]);
        var trust = new CertificateTrust(new TrustOptions { Roots = [stranger.Root] });

        var result = PackageCheck.Evaluate(signed, CheckOptions.Legacy(trust));
        result.Validation.Package?.Dispose();

        Assert.False(result.IsAccepted);
        Assert.Contains(result.Findings, f => f.Code == ErrorCode.CertificateUntrustedRoot && f.IsError);
    }

    private static CheckResult Check(string file, CheckOptions options)
    {
        var result = PackageCheck.Evaluate(File.ReadAllBytes(Repository.Sample(file)), options);
        result.Validation.Package?.Dispose();
        return result;
    }
}
