namespace Lgsp.Edxml.Pdf;

/// <summary>Whose signature a PDF signature looks like, judged from the signer certificate's subject
/// by a <see cref="SignerKindRule"/>.</summary>
public enum SignerKind
{
    /// <summary>An organisation's signature (the agency's "digital seal").</summary>
    Organization,

    /// <summary>A person's signature (an official signing in their own name).</summary>
    Personal,

    /// <summary>The rule could not tell, or the signature is a document timestamp.</summary>
    Unknown,
}
