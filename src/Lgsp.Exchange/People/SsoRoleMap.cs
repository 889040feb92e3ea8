namespace Lgsp.Exchange.People;

/// <summary>How the values of the provincial single sign-on's role claim become a console role: a
/// value that is a role's word (<c>admin</c>, <c>operator</c>, <c>auditor</c>, <c>agency</c>) gives that
/// role; the map names the others (e.g. <c>LGSP_KIEMTOAN → auditor</c>). Values are compared without
/// regard to case (configuration keys have none). A person whose values map to several roles gets the
/// strongest (admin, operator, auditor, agency in that order): the provider granted each of them.</summary>
public sealed class SsoRoleMap
{
    private readonly Dictionary<string, ConsoleRole> _map;

    private SsoRoleMap(Dictionary<string, ConsoleRole> map) => _map = map;

    /// <summary>Only the role words map.</summary>
    public static SsoRoleMap RoleWordsOnly { get; } = new(new Dictionary<string, ConsoleRole>(StringComparer.OrdinalIgnoreCase));

    /// <summary>A map from claim values to role words.</summary>
    /// <exception cref="ArgumentException">A value maps to something that is not a role, naming it.</exception>
    public static SsoRoleMap Of(IReadOnlyDictionary<string, string>? map)
    {
        var roles = new Dictionary<string, ConsoleRole>(StringComparer.OrdinalIgnoreCase);
        foreach (var (value, word) in map ?? new Dictionary<string, string>())
        {
            roles[value] = ConsoleRoles.Parse(word)
                ?? throw new ArgumentException($"The role map sends '{value}' to '{word}', which is not a role (admin, operator, auditor, agency).", nameof(map));
        }

        return new SsoRoleMap(roles);
    }

    /// <summary>The role that <paramref name="values"/> give, or null when none maps.</summary>
    public ConsoleRole? RoleOf(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ConsoleRole? strongest = null;
        foreach (var value in values)
        {
            var role = _map.TryGetValue(value.Trim(), out var mapped) ? mapped : ConsoleRoles.Parse(value);
            if (role is { } r && (strongest is null || r < strongest))
            {
                strongest = r;
            }
        }

        return strongest;
    }
}
