using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Pdf;

namespace Lgsp.Edxml.Tests.Pdf;

public class SignerKindRuleTests
{
    private const string Uid = "OID.0.9.2342.19200300.100.1.1";

    [Fact]
    public void The_default_rule_classifies_the_test_certificates()
    {
        var rule = SignerKindRule.Default;

        Assert.Equal(SignerKind.Organization, rule.Classify(PdfTestCertificates.Organization.SubjectName));
        Assert.Equal(SignerKind.Personal, rule.Classify(PdfTestCertificates.Personal.SubjectName));
        Assert.Equal(SignerKind.Unknown, rule.Classify(PdfTestCertificates.Plain.SubjectName));
        Assert.Equal(SignerKind.Unknown, rule.Classify(PdfTestCertificates.TimestampAuthority.SubjectName));
    }

    [Theory]
    [InlineData($"CN=Nguyen Van A, {Uid}=CMND:012345678, C=VN", SignerKind.Personal)]
    [InlineData($"CN=Nguyen Van A, {Uid}=CCCD:038123456789, C=VN", SignerKind.Personal)]
    [InlineData($"CN=Nguyen Van A, {Uid}=HC:B1234567, C=VN", SignerKind.Personal)]
    [InlineData($"CN=Nguyen Van A, {Uid}=cccd:038123456789, C=VN", SignerKind.Personal)]
    [InlineData("CN=Tran Thi B, OID.2.5.4.12=Chuyen vien, C=VN", SignerKind.Personal)]
    [InlineData("CN=Tran Thi B, OID.2.5.4.42=B, C=VN", SignerKind.Personal)]
    [InlineData("CN=Tran Thi B, SN=Tran, C=VN", SignerKind.Personal)]
    [InlineData($"CN=Cong ty ABC, {Uid}=MST:0101234567, C=VN", SignerKind.Organization)]
    [InlineData($"CN=Kho bac X, {Uid}=MNS:1234567, C=VN", SignerKind.Organization)]
    [InlineData($"CN=So Noi vu, {Uid}=MDD:000.00.01.H56, C=VN", SignerKind.Organization)]
    [InlineData("CN=UBND tinh Thai Binh, O=UBND tinh Thai Binh, C=VN", SignerKind.Organization)]
    [InlineData("CN=ubnd tinh thai binh , O=UBND tinh Thai Binh, C=VN", SignerKind.Organization)]
    [InlineData("CN=Nguyen Van A, O=UBND tinh Thai Binh, C=VN", SignerKind.Unknown)]
    [InlineData($"CN=X, {Uid}=ABC:123, C=VN", SignerKind.Unknown)]
    [InlineData("C=VN", SignerKind.Unknown)]
    public void The_default_rule_reads_uid_prefixes_titles_names_and_organisation_names(string subject, SignerKind expected) =>
        Assert.Equal(expected, SignerKindRule.Default.Classify(new X500DistinguishedName(subject)));

    [Fact]
    public void In_the_default_rule_personal_evidence_wins_over_an_organisation_name_equal_to_the_common_name()
    {
        var subject = new X500DistinguishedName("CN=Phong Van thu, O=Phong Van thu, OID.2.5.4.12=Van thu, C=VN");

        Assert.Equal(SignerKind.Personal, SignerKindRule.Default.Classify(subject));
    }

    [Fact]
    public void A_multi_valued_relative_name_is_read_attribute_by_attribute()
    {
        // CN=... + UID=... in one RDN, as some CAs encode it.
        var builder = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (builder.PushSequence())
        using (builder.PushSetOf())
        {
            using (builder.PushSequence())
            {
                builder.WriteObjectIdentifier("2.5.4.3");
                builder.WriteCharacterString(System.Formats.Asn1.UniversalTagNumber.UTF8String, "Nguyễn Văn A");
            }

            using (builder.PushSequence())
            {
                builder.WriteObjectIdentifier("0.9.2342.19200300.100.1.1");
                builder.WriteCharacterString(System.Formats.Asn1.UniversalTagNumber.UTF8String, "CCCD:001");
            }
        }

        Assert.Equal(SignerKind.Personal, SignerKindRule.Default.Classify(new X500DistinguishedName(builder.Encode())));
    }

    [Theory]
    [InlineData(new byte[] { 0x4D, 0x53, 0x54, 0x3A, 0x30, 0x31 }, "MST:01", SignerKind.Organization)]
    [InlineData(new byte[] { 0x43, 0x43, 0x43, 0x44, 0x3A, 0x30, 0x31, 0xC3, 0xA9 }, "CCCD:01é", SignerKind.Personal)]
    [InlineData(new byte[] { 0x43, 0x43, 0x43, 0x44, 0x3A, 0x30, 0x31, 0xE9 }, "CCCD:01é", SignerKind.Personal)]
    public void A_uid_in_a_t61_string_is_read_as_utf8_or_latin1(byte[] uid, string text, SignerKind expected)
    {
        var w = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (w.PushSequence())
        using (w.PushSetOf())
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier("0.9.2342.19200300.100.1.1");
            w.WriteEncodedValue([0x14, (byte)uid.Length, .. uid]);
        }

        var name = new X500DistinguishedName(w.Encode());
        Assert.Equal(text, Assert.Single(Lgsp.Edxml.Pdf.DistinguishedName.Attributes(name)).Value);
        Assert.Equal(expected, SignerKindRule.Default.Classify(name));
    }

    [Fact]
    public void A_custom_rule_evaluates_its_conditions_in_order_and_the_first_match_wins()
    {
        var rule = new SignerKindRule
        {
            Conditions =
            [
                new SignerKindCondition("OU", "^Van thu$", SignerKind.Organization),
                new SignerKindCondition("2.5.4.3", "^Nguyen", SignerKind.Personal),
                new SignerKindCondition("CN", ".", SignerKind.Organization),
            ],
        };

        Assert.Equal(SignerKind.Organization, rule.Classify(new X500DistinguishedName("CN=Nguyen Van A, OU=Van thu, C=VN")));
        Assert.Equal(SignerKind.Personal, rule.Classify(new X500DistinguishedName("CN=Nguyen Van A, OU=Ke toan, C=VN")));
        Assert.Equal(SignerKind.Organization, rule.Classify(new X500DistinguishedName("CN=Tran Thi B, C=VN")));
        Assert.Equal(SignerKind.Unknown, rule.Classify(new X500DistinguishedName("C=VN")));
    }

    [Fact]
    public void A_custom_rule_can_turn_off_the_organisation_name_check()
    {
        var rule = new SignerKindRule { OrganizationWhenOrganizationNameIsCommonName = false };

        Assert.Equal(SignerKind.Unknown, rule.Classify(new X500DistinguishedName("CN=UBND, O=UBND, C=VN")));
        Assert.Equal(SignerKind.Unknown, rule.Classify(PdfTestCertificates.Organization.SubjectName));
    }

    [Fact]
    public void Conditions_refuse_unknown_attribute_names_and_invalid_patterns()
    {
        Assert.Throws<ArgumentException>(() => new SignerKindCondition("NOPE", ".", SignerKind.Personal));
        Assert.Throws<ArgumentException>(() => new SignerKindCondition("1..2", ".", SignerKind.Personal));
        Assert.ThrowsAny<ArgumentException>(() => new SignerKindCondition("CN", "(", SignerKind.Personal));
    }

    [Fact]
    public void Attribute_short_names_and_oids_name_the_same_attribute()
    {
        Assert.Equal("0.9.2342.19200300.100.1.1", new SignerKindCondition("uid", ".", SignerKind.Personal).AttributeOid);
        Assert.Equal("0.9.2342.19200300.100.1.1", new SignerKindCondition("OID.0.9.2342.19200300.100.1.1", ".", SignerKind.Personal).AttributeOid);
        Assert.Equal("2.5.4.12", new SignerKindCondition("T", ".", SignerKind.Personal).AttributeOid);
        Assert.Equal("2.5.4.4", new SignerKindCondition("SN", ".", SignerKind.Personal).AttributeOid);
    }
}
