using System.Collections.Concurrent;
using System.Xml;
using System.Xml.Schema;

namespace Lgsp.Edxml.Validation;

/// <summary>
/// The child elements a compiled complex type allows, read from the compiled schema (never
/// restated by hand). Lets <see cref="SchemaInputReader"/> refuse an unexpected child before the
/// validating reader sees it: that reader stops checking a parent's remaining children after the
/// first invalid one, so without this only the first unknown element of each container would be
/// reported.
/// </summary>
/// <remarks>Immutable once built; cached per compiled type, thread safe.</remarks>
internal sealed class SchemaChildElements
{
    private static readonly ConcurrentDictionary<XmlSchemaType, SchemaChildElements?> Cache = new(ReferenceEqualityComparer.Instance);

    private readonly Dictionary<XmlQualifiedName, XmlSchemaType?> _named;
    private readonly List<string> _wildcards;

    private SchemaChildElements(Dictionary<XmlQualifiedName, XmlSchemaType?> named, List<string> wildcards)
    {
        _named = named;
        _wildcards = wildcards;
        var names = named.Keys.Select(n => n.Name).Distinct(StringComparer.Ordinal).ToList();
        if (wildcards.Count > 0)
        {
            names.Add("any element in another namespace");
        }

        Expected = string.Join(", ", names);
    }

    /// <summary>The allowed children, for a message: <c>From, To, Code</c>.</summary>
    public string Expected { get; }

    /// <summary>The children a type allows, or null when this class does not judge them: simple or
    /// text-only content, or a wildcard that takes anything (a signature placeholder). The
    /// validating reader still checks those.</summary>
    public static SchemaChildElements? Of(XmlSchemaType? type) =>
        type is XmlSchemaComplexType complex ? Cache.GetOrAdd(complex, static t => Build((XmlSchemaComplexType)t)) : null;

    /// <summary>True when an element named <paramref name="localName"/> in
    /// <paramref name="namespaceUri"/> may appear here; <paramref name="type"/> is its declared
    /// type, or null when it is matched by a wildcard (its content is then not judged).</summary>
    public bool Allows(string localName, string namespaceUri, out XmlSchemaType? type)
    {
        if (_named.TryGetValue(new XmlQualifiedName(localName, namespaceUri), out type))
        {
            return true;
        }

        type = null;
        return _wildcards.Any(w => WildcardMatches(w, namespaceUri));
    }

    private static SchemaChildElements? Build(XmlSchemaComplexType type)
    {
        if (type.ContentType is not (XmlSchemaContentType.ElementOnly or XmlSchemaContentType.Mixed))
        {
            return null;
        }

        var named = new Dictionary<XmlQualifiedName, XmlSchemaType?>();
        var wildcards = new List<string>();
        Collect(type.ContentTypeParticle, named, wildcards);
        return wildcards.Contains("##any") ? null : new SchemaChildElements(named, wildcards);
    }

    private static void Collect(XmlSchemaParticle? particle, Dictionary<XmlQualifiedName, XmlSchemaType?> named, List<string> wildcards)
    {
        switch (particle)
        {
            case XmlSchemaElement element:
                named.TryAdd(element.QualifiedName, element.ElementSchemaType);
                break;
            case XmlSchemaAny any:
                wildcards.AddRange((any.Namespace ?? "##any").Split(' ', StringSplitOptions.RemoveEmptyEntries));
                break;
            case XmlSchemaGroupBase group:
                foreach (var item in group.Items)
                {
                    Collect(item as XmlSchemaParticle, named, wildcards);
                }

                break;
            case XmlSchemaGroupRef groupRef:
                Collect(groupRef.Particle, named, wildcards);
                break;
        }
    }

    private static bool WildcardMatches(string wildcard, string namespaceUri) => wildcard switch
    {
        "##any" => true,
        // "Not the target namespace, and not absent" (XSD 1.0).
        "##other" => namespaceUri.Length > 0 && namespaceUri != EdxmlSchemas.TargetNamespace,
        "##local" => namespaceUri.Length == 0,
        "##targetNamespace" => namespaceUri == EdxmlSchemas.TargetNamespace,
        _ => namespaceUri == wildcard,
    };
}
