namespace Lgsp.Server.Inbound.Soap;

/// <summary>The SOAP version of a request; the hub answers in the same version.</summary>
public enum SoapVersion
{
    /// <summary>SOAP 1.1: <c>text/xml</c> with a <c>SOAPAction</c> header.</summary>
    Soap11,

    /// <summary>SOAP 1.2: <c>application/soap+xml</c> with an <c>action</c> parameter.</summary>
    Soap12,
}

/// <summary>
/// What tells the SOAP versions apart: envelope namespaces, media types, and the detection of a
/// request's version and action from its HTTP headers.
/// </summary>
/// <remarks>Stateless and thread safe.</remarks>
public static class SoapVersions
{
    /// <summary>The SOAP 1.1 envelope namespace.</summary>
    public const string Soap11Namespace = "http://schemas.xmlsoap.org/soap/envelope/";

    /// <summary>The SOAP 1.2 envelope namespace.</summary>
    public const string Soap12Namespace = "http://www.w3.org/2003/05/soap-envelope";

    /// <summary>The SOAP 1.1 media type.</summary>
    public const string Soap11MediaType = "text/xml";

    /// <summary>The SOAP 1.2 media type.</summary>
    public const string Soap12MediaType = "application/soap+xml";

    /// <summary>The envelope namespace of <paramref name="version"/>.</summary>
    public static string EnvelopeNamespace(this SoapVersion version) =>
        version == SoapVersion.Soap12 ? Soap12Namespace : Soap11Namespace;

    /// <summary>The display name of <paramref name="version"/>: <c>SOAP 1.1</c> or <c>SOAP 1.2</c>.</summary>
    public static string DisplayName(this SoapVersion version) =>
        version == SoapVersion.Soap12 ? "SOAP 1.2" : "SOAP 1.1";

    /// <summary>
    /// Detects the version and the action of a request from its <c>Content-Type</c> and
    /// <c>SOAPAction</c> headers: <c>text/xml</c> is SOAP 1.1 and takes the action from
    /// <c>SOAPAction</c>; <c>application/soap+xml</c> is SOAP 1.2 and takes it from the
    /// <c>action</c> parameter. The charset parameter is left to the XML reader, which honours the
    /// byte-order mark and the XML declaration.
    /// </summary>
    /// <param name="contentType">The <c>Content-Type</c> header, or null when absent.</param>
    /// <param name="soapAction">The <c>SOAPAction</c> header, quoted or not, or null when absent.</param>
    /// <param name="action">The action without quotes; null when none or empty.</param>
    /// <returns>The version the content type names.</returns>
    /// <exception cref="SoapFaultException"><see cref="SoapErrors.UnsupportedMediaType"/>: absent
    /// or another media type (MTOM's <c>multipart/related</c> included).</exception>
    public static SoapVersion Detect(string? contentType, string? soapAction, out string? action)
    {
        var parts = (contentType ?? "").Split(';', StringSplitOptions.TrimEntries);
        var mediaType = parts[0];

        if (string.Equals(mediaType, Soap11MediaType, StringComparison.OrdinalIgnoreCase))
        {
            action = Unquote(soapAction);
            return SoapVersion.Soap11;
        }

        if (string.Equals(mediaType, Soap12MediaType, StringComparison.OrdinalIgnoreCase))
        {
            // Parameters are split by hand: real clients send action=urn:… unquoted, which is not
            // an RFC token and which strict media-type parsers refuse.
            action = null;
            foreach (var parameter in parts.Skip(1))
            {
                var equals = parameter.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && string.Equals(parameter[..equals].Trim(), "action", StringComparison.OrdinalIgnoreCase))
                {
                    action = Unquote(parameter[(equals + 1)..]);
                }
            }

            return SoapVersion.Soap12;
        }

        throw SoapErrors.Fault(SoapErrors.UnsupportedMediaType, "Content-Type", contentType ?? "");
    }

    /// <summary>
    /// The version to answer in when <see cref="Detect"/> or the reader failed: SOAP 1.2 when the
    /// content type mentions <c>application/soap+xml</c>, SOAP 1.1 otherwise.
    /// </summary>
    public static SoapVersion ReplyVersion(string? contentType) =>
        contentType is not null && contentType.Contains(Soap12MediaType, StringComparison.OrdinalIgnoreCase)
            ? SoapVersion.Soap12
            : SoapVersion.Soap11;

    private static string? Unquote(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"')
        {
            trimmed = trimmed[1..^1].Trim();
        }

        return trimmed.Length == 0 ? null : trimmed;
    }
}
