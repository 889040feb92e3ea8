using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Lgsp.Edxml.Pdf;

/// <summary>
/// One step of a <see cref="SignerKindRule"/>: when the subject has an attribute
/// <see cref="Attribute"/> whose value matches <see cref="Pattern"/>, the signer is <see cref="Kind"/>.
/// </summary>
/// <remarks>Immutable and thread safe.</remarks>
public sealed class SignerKindCondition
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);
    private readonly Regex _regex;

    /// <summary>Creates a condition.</summary>
    /// <param name="attribute">A dotted OID (<c>0.9.2342.19200300.100.1.1</c>, optionally prefixed
    /// <c>OID.</c>) or a short name, case-insensitive: CN, O, OU, C, L, S/ST, STREET, T/TITLE,
    /// SN/SURNAME, G/GN/GIVENNAME, SERIALNUMBER, UID/USERID, E/EMAIL, DC.</param>
    /// <param name="pattern">A .NET regular expression searched in the value (anchor it with
    /// <c>^</c> if you mean "starts with"); matching is case-insensitive and culture-invariant.</param>
    /// <param name="kind">The verdict when the condition holds.</param>
    /// <exception cref="ArgumentException">Unknown attribute name, or an invalid pattern.</exception>
    public SignerKindCondition(string attribute, string pattern, SignerKind kind)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        ArgumentNullException.ThrowIfNull(pattern);
        AttributeOid = DistinguishedName.ResolveAttribute(attribute)
            ?? throw new ArgumentException($"'{attribute}' is neither a known attribute short name nor an OID.", nameof(attribute));
        Attribute = attribute;
        Pattern = pattern;
        Kind = kind;
        _regex = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout);
    }

    /// <summary>The attribute as given.</summary>
    public string Attribute { get; }

    /// <summary>The attribute's OID.</summary>
    public string AttributeOid { get; }

    /// <summary>The regular expression.</summary>
    public string Pattern { get; }

    /// <summary>The verdict when the condition holds.</summary>
    public SignerKind Kind { get; }

    /// <summary>True when <paramref name="value"/> (a value of <see cref="AttributeOid"/>) matches;
    /// a match that times out on hostile input counts as no match.</summary>
    public bool Matches(string value)
    {
        try
        {
            return _regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Attribute} ~ /{Pattern}/ => {Kind}";
}

/// <summary>
/// Decides from a signer certificate's subject whether a PDF signature is an organisation's
/// signature (the "digital seal") or a person's. <see cref="Conditions"/> are tried in order and the
/// first that holds wins; then, if <see cref="OrganizationWhenOrganizationNameIsCommonName"/> is set,
/// a subject whose O equals its CN is an organisation; otherwise the kind is
/// <see cref="SignerKind.Unknown"/>.
/// </summary>
/// <remarks>
/// <para><see cref="Default"/> follows the subject profiles Vietnamese CAs issue under the national
/// root, in this order:</para>
/// <list type="number">
/// <item><description>Personal when the UID (0.9.2342.19200300.100.1.1) starts with <c>CMND:</c>,
/// <c>CCCD:</c> or <c>HC:</c> (identity card, citizen identity card, passport numbers);</description></item>
/// <item><description>Personal when the subject has a title (T, 2.5.4.12), a given name (2.5.4.42) or a surname (2.5.4.4);</description></item>
/// <item><description>Organization when the UID starts with <c>MST:</c>, <c>MNS:</c> or <c>MDD:</c> (tax code,
/// budget-unit code, agency identifier);</description></item>
/// <item><description>Organization when O equals CN (compared case-insensitively, trimmed);</description></item>
/// <item><description>otherwise Unknown.</description></item>
/// </list>
/// <para>Immutable and thread safe.</para>
/// </remarks>
public sealed record SignerKindRule
{
    /// <summary>The rule described on the type.</summary>
    public static SignerKindRule Default { get; } = new()
    {
        Conditions =
        [
            new("UID", "^(CMND|CCCD|HC):", SignerKind.Personal),
            new("T", @"\S", SignerKind.Personal),
            new("GN", @"\S", SignerKind.Personal),
            new("SN", @"\S", SignerKind.Personal),
            new("UID", "^(MST|MNS|MDD):", SignerKind.Organization),
        ],
        OrganizationWhenOrganizationNameIsCommonName = true,
    };

    /// <summary>The conditions, tried in order; the first that holds decides.</summary>
    public IReadOnlyList<SignerKindCondition> Conditions { get; init; } = [];

    /// <summary>When no condition holds: a subject whose O equals its CN is an organisation.</summary>
    public bool OrganizationWhenOrganizationNameIsCommonName { get; init; }

    /// <summary>Classifies a subject name.</summary>
    /// <param name="subject">The signer certificate's subject.</param>
    /// <returns>The kind; never throws for a malformed name (it reads what it can).</returns>
    public SignerKind Classify(X500DistinguishedName subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var attributes = DistinguishedName.Attributes(subject);
        foreach (var condition in Conditions)
        {
            foreach (var (oid, value) in attributes)
            {
                if (oid == condition.AttributeOid && condition.Matches(value))
                {
                    return condition.Kind;
                }
            }
        }

        if (OrganizationWhenOrganizationNameIsCommonName)
        {
            var cn = attributes.Where(a => a.Oid == DistinguishedName.OidCommonName).Select(a => a.Value.Trim()).ToList();
            var o = attributes.Where(a => a.Oid == DistinguishedName.OidOrganization).Select(a => a.Value.Trim());
            if (o.Any(org => org.Length > 0 && cn.Contains(org, StringComparer.OrdinalIgnoreCase)))
            {
                return SignerKind.Organization;
            }
        }

        return SignerKind.Unknown;
    }
}
