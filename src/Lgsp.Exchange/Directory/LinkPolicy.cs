namespace Lgsp.Exchange.Directory;

/// <summary>How packages arriving over a hub link are judged (<c>lgsp hubs add --policy</c>, ADR 0017).
/// Stored as lower-case words.</summary>
public enum LinkPolicy
{
    /// <summary>Under the policy of the other hub's client system here, whatever the previous hub did
    /// (the default).</summary>
    Strict,

    /// <summary>A package the previous hub accepted under legacy is judged under legacy here too,
    /// recording that hub's verdict and receipt; any other package as under <see cref="Strict"/>.</summary>
    Inherit,
}

/// <summary>The words of <see cref="LinkPolicy"/>.</summary>
public static class LinkPolicies
{
    /// <summary>The stored and shown word.</summary>
    public static string Word(LinkPolicy policy) => policy == LinkPolicy.Inherit ? "inherit" : "strict";

    /// <summary>Reads a word; false when it is neither <c>strict</c> nor <c>inherit</c>.</summary>
    public static bool TryParse(string? word, out LinkPolicy policy)
    {
        (var known, policy) = word switch
        {
            "strict" => (true, LinkPolicy.Strict),
            "inherit" => (true, LinkPolicy.Inherit),
            _ => (false, LinkPolicy.Strict),
        };
        return known;
    }
}
