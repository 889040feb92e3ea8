namespace Lgsp.Edxml.Signatures.Canonical;

/// <summary>The eliding stream or the canonicaliser found what they cannot handle exactly; the caller
/// canonicalises the package again without eliding.</summary>
internal sealed class ElisionAbandonedException(string reason) : Exception(reason);
