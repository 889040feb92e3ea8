namespace Lgsp.Edxml.Validation;

/// <summary>How <see cref="SecretMarking.FindMarking"/> reads a field.</summary>
public enum SecretFieldKind
{
    /// <summary>A field whose whole value is a classification: <c>SphereOfPromulgation</c>, a
    /// dedicated security-level field.</summary>
    Marking,

    /// <summary>Free text that may carry a marking among other words: <c>Subject</c>,
    /// <c>Content</c>, <c>Appendix</c>, <c>Description</c>.</summary>
    Text,
}
