namespace Lgsp.Edxml.Errors;

/// <summary>How much a finding matters.</summary>
public enum Severity
{
    /// <summary>The package is not acceptable on this network.</summary>
    Error,

    /// <summary>Something real producers do that the standard does not say; tolerated and reported.</summary>
    Warning,
}

/// <summary>
/// One finding about a package, a signature, a certificate or an agency code: a stable machine
/// <see cref="Code"/> (one of <see cref="ErrorCode"/>), the <see cref="Field"/> it concerns (an
/// element path such as <c>MessageHeader/To[2]/OrganId</c>, or <c>/</c> for the whole package),
/// and the same sentence in English and Vietnamese.
/// </summary>
/// <remarks>Immutable and thread safe. Create instances through <see cref="Create"/> so the
/// sentences always come from the catalogue.</remarks>
public sealed record EdxmlError(string Code, string Field, string Message, string MessageVi, Severity Severity = Severity.Error)
{
    /// <summary>Builds a finding from the catalogue of <see cref="ErrorCode"/> sentences.</summary>
    /// <param name="code">One of the <see cref="ErrorCode"/> constants.</param>
    /// <param name="field">The element path the finding concerns.</param>
    /// <param name="args">Values for the sentence's placeholders, in order.</param>
    /// <exception cref="ArgumentException">The code is not in the catalogue.</exception>
    public static EdxmlError Create(string code, string field, params object?[] args) =>
        ErrorCatalog.Build(code, field, Severity.Error, args);

    /// <summary>Same as <see cref="Create"/>, as a warning.</summary>
    public static EdxmlError Warn(string code, string field, params object?[] args) =>
        ErrorCatalog.Build(code, field, Severity.Warning, args);

    /// <summary>True when this finding makes the package unacceptable.</summary>
    public bool IsError => Severity == Severity.Error;

    /// <summary>The one-line form the CLI prints: <c>code field message</c>.</summary>
    public override string ToString() => $"{Code} {Field} {Message}";
}

/// <summary>Thrown when input is refused before a model could be built (malformed or hostile XML,
/// limits exceeded). Carries the structured finding.</summary>
public sealed class EdxmlFormatException : Exception
{
    /// <summary>Creates the exception for a finding.</summary>
    public EdxmlFormatException(EdxmlError error, Exception? inner = null)
        : base(error.ToString(), inner) => Error = error;

    /// <summary>The finding that stopped the read.</summary>
    public EdxmlError Error { get; }
}
