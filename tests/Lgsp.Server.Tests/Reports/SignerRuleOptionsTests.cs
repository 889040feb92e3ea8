using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Pdf;
using Lgsp.Server.Reports;
using Microsoft.Extensions.Configuration;

namespace Lgsp.Server.Tests.Reports;

/// <summary>Hub:SignerRule: the province's own rule for telling an organisation's certificate from a person's.</summary>
public sealed class SignerRuleOptionsTests
{
    // A clerk's certificate issued to the records office: neither a personal attribute nor O = CN.
    private static readonly X500DistinguishedName RecordsOffice = new("CN=Van thu So Tai chinh, OU=Van thu, O=So Tai chinh Thanh Hoa, C=VN");

    private static HubOptions Bound(Dictionary<string, string?> settings)
    {
        var options = new HubOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(HubOptions.Section).Bind(options);
        return options;
    }

    [Fact]
    public void Without_settings_the_hub_uses_the_default_rule()
    {
        var rule = new HubOptions().SignerRule.ToRule();

        Assert.Same(SignerKindRule.Default, rule);
        Assert.Equal(SignerKind.Unknown, rule.Classify(RecordsOffice));
    }

    [Fact]
    public void Configured_conditions_replace_the_default_list_and_decide_in_order()
    {
        var rule = Bound(new()
        {
            ["Hub:SignerRule:Conditions:0:Attribute"] = "OU",
            ["Hub:SignerRule:Conditions:0:Pattern"] = "^van thu",
            ["Hub:SignerRule:Conditions:0:Kind"] = "Organization",
            ["Hub:SignerRule:OrganizationWhenOrganizationNameIsCommonName"] = "false",
        }).SignerRule.ToRule();

        Assert.Equal(SignerKind.Organization, rule.Classify(RecordsOffice));
        Assert.Equal(["OU ~ /^van thu/ => Organization"], rule.Conditions.Select(c => c.ToString()));
        Assert.Equal(SignerKind.Unknown, rule.Classify(new X500DistinguishedName("CN=So Tai chinh, O=So Tai chinh")));
    }

    [Fact]
    public void A_condition_with_an_unknown_attribute_or_no_kind_is_refused_naming_the_setting()
    {
        var unknown = Bound(new()
        {
            ["Hub:SignerRule:Conditions:0:Attribute"] = "OU",
            ["Hub:SignerRule:Conditions:0:Pattern"] = "x",
            ["Hub:SignerRule:Conditions:0:Kind"] = "Personal",
            ["Hub:SignerRule:Conditions:1:Attribute"] = "NICKNAME",
            ["Hub:SignerRule:Conditions:1:Pattern"] = "x",
            ["Hub:SignerRule:Conditions:1:Kind"] = "Personal",
        });
        var kindless = Bound(new()
        {
            ["Hub:SignerRule:Conditions:0:Attribute"] = "OU",
            ["Hub:SignerRule:Conditions:0:Pattern"] = "x",
        });

        Assert.StartsWith("Hub:SignerRule:Conditions:1: 'NICKNAME'", Assert.Throws<InvalidOperationException>(() => unknown.SignerRule.ToRule()).Message);
        Assert.Equal("Hub:SignerRule:Conditions:0:Kind must be Organization or Personal.",
            Assert.Throws<InvalidOperationException>(() => kindless.SignerRule.ToRule()).Message);
    }
}
