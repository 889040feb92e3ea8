using System.Xml;
using Lgsp.Edxml.Errors;

namespace Lgsp.Edxml.Xml;

/// <summary>
/// The one way this library opens untrusted XML: DTDs prohibited, no resolver (so no file or
/// network access), size, tag-length, depth, element-count and attribute-count limits. Every failure surfaces
/// as an <see cref="EdxmlFormatException"/> with a stable code.
/// </summary>
/// <remarks>Thread safe: every call builds its own reader.</remarks>
public static class SafeXml
{
    /// <summary>Opens a forward-only reader over untrusted XML. Violations surface while reading,
    /// as <see cref="EdxmlFormatException"/>.</summary>
    /// <param name="input">The XML, positioned at its first byte (junk already skipped).</param>
    /// <param name="limits">The bounds to enforce.</param>
    public static XmlReader CreateReader(Stream input, XmlLimits limits) =>
        new LimitingXmlReader(XmlReader.Create(new TagLengthLimitStream(input, limits.MaxTagBytes), Settings(limits)), limits);

    /// <summary>Loads untrusted XML into a DOM with whitespace preserved (as signatures need).</summary>
    /// <exception cref="EdxmlFormatException">Malformed or hostile input.</exception>
    public static XmlDocument LoadDocument(Stream input, XmlLimits limits)
    {
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = CreateReader(input, limits);
        Guard(() => doc.Load(reader));
        return doc;
    }

    /// <summary>The settings every untrusted read uses.</summary>
    public static XmlReaderSettings Settings(XmlLimits limits) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        MaxCharactersInDocument = limits.MaxPackageBytes,
        IgnoreWhitespace = false,
        IgnoreComments = false,
        IgnoreProcessingInstructions = false,
        CheckCharacters = true,
        CloseInput = false,
        Async = false,
    };

    /// <summary>Runs a read and turns the XML stack's exceptions into stable findings.</summary>
    /// <exception cref="EdxmlFormatException">Always, in place of an <see cref="XmlException"/>.</exception>
    public static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (XmlException ex)
        {
            throw Translate(ex);
        }
    }

    /// <inheritdoc cref="Guard{T}(Func{T})"/>
    public static void Guard(Action read) => Guard(() =>
    {
        read();
        return 0;
    });

    /// <summary>Maps an <see cref="XmlException"/> to the finding it means.</summary>
    public static EdxmlFormatException Translate(XmlException ex)
    {
        var where = ex.LineNumber > 0 ? $"line {ex.LineNumber}, column {ex.LinePosition}" : "/";
        if (ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            return new EdxmlFormatException(EdxmlError.Create(ErrorCode.DtdProhibited, where), ex);
        }

        if (ex.Message.Contains("MaxCharactersInDocument", StringComparison.Ordinal)
            || ex.Message.Contains("exceeds the maximum", StringComparison.OrdinalIgnoreCase))
        {
            return new EdxmlFormatException(EdxmlError.Create(ErrorCode.TooLarge, where, "The package", "the package size limit"), ex);
        }

        return new EdxmlFormatException(EdxmlError.Create(ErrorCode.MalformedXml, where, ex.Message), ex);
    }

    /// <summary>Enforces depth, element and attribute limits while reading.</summary>
    private sealed class LimitingXmlReader(XmlReader inner, XmlLimits limits) : DelegatingXmlReader(inner)
    {
        private int _elements;

        public override bool Read()
        {
            var more = Guard(() => Inner.Read());
            if (more && Inner.NodeType == XmlNodeType.Element)
            {
                if (++_elements > limits.MaxElements)
                {
                    throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.TooManyElements, Where(), limits.MaxElements));
                }

                if (Inner.Depth >= limits.MaxDepth)
                {
                    throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.TooDeep, Where(), limits.MaxDepth));
                }

                if (Inner.AttributeCount > limits.MaxAttributesPerElement)
                {
                    throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.TooLarge, Where(), $"The attribute list of {Inner.Name}", limits.MaxAttributesPerElement));
                }
            }

            return more;
        }

        private string Where() => HasLineInfo() ? $"line {LineNumber}, column {LinePosition}" : "/";
    }
}
