using Lgsp.Edxml.Pdf;

namespace Lgsp.Server.Reports;

/// <summary>
/// Whose certificate signed: the rule that tells an organisation's certificate (the "digital seal")
/// from a person's, for envelopes and PDF signatures alike (section <c>Hub:SignerRule</c>;
/// docs/reports.md). The accept path records the reports' signer facts with it and the console's
/// document page labels PDF signatures with it. Empty: <see cref="SignerKindRule.Default"/>.
/// </summary>
public sealed class SignerRuleOptions
{
    /// <summary>Conditions tried in order, the first that holds decides (replacing the default list when any is given).</summary>
    public List<SignerConditionOptions> Conditions { get; set; } = [];

    /// <summary>When no condition holds, a subject whose O equals its CN is an organisation; null keeps the default (true).</summary>
    public bool? OrganizationWhenOrganizationNameIsCommonName { get; set; }

    /// <summary>The rule.</summary>
    /// <exception cref="InvalidOperationException">A condition names an unknown attribute, has an invalid
    /// pattern or no kind; the message names the setting.</exception>
    public SignerKindRule ToRule()
    {
        var rule = SignerKindRule.Default;
        if (Conditions.Count > 0)
        {
            rule = rule with { Conditions = [.. Conditions.Select(Condition)] };
        }

        return OrganizationWhenOrganizationNameIsCommonName is { } flag ? rule with { OrganizationWhenOrganizationNameIsCommonName = flag } : rule;
    }

    private SignerKindCondition Condition(SignerConditionOptions condition, int index)
    {
        var name = $"Hub:SignerRule:Conditions:{index}";
        if (condition.Kind is not (SignerKind.Organization or SignerKind.Personal))
        {
            throw new InvalidOperationException($"{name}:Kind must be Organization or Personal.");
        }

        try
        {
            return new SignerKindCondition(condition.Attribute, condition.Pattern, condition.Kind.Value);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"{name}: {ex.Message}", ex);
        }
    }
}

/// <summary>One condition of the signer rule: the subject attribute, a regular expression searched in its value, and the verdict.</summary>
public sealed class SignerConditionOptions
{
    /// <summary>A short name (UID, T, GN, SN, O, CN, …) or a dotted OID.</summary>
    public string Attribute { get; set; } = "";

    /// <summary>A .NET regular expression, case-insensitive (anchor it with <c>^</c> for "starts with").</summary>
    public string Pattern { get; set; } = "";

    /// <summary>Organization or Personal.</summary>
    public SignerKind? Kind { get; set; }
}
