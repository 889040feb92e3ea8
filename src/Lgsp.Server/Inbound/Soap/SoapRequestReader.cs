using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Spooling;

namespace Lgsp.Server.Inbound.Soap;

/// <summary>
/// Reads a SOAP 1.1 or 1.2 request of the <c>urn:lgsp:edoc:1</c> service from a stream, safely
/// and in one forward pass: no DTD, no resolver, bounded size, depth and field lengths; the package
/// is decoded from base64 in chunks, never as one giant string.
/// </summary>
/// <remarks>
/// Thread safe: every call has its own state. Reads only asynchronously, so it can be given an
/// ASP.NET Core request body directly (which forbids synchronous reads).
/// </remarks>
// This file is the entry point and the reader settings; the parser walks the envelope in
// SoapRequestReader.Parser.cs and reads the operation's fields in SoapRequestReader.Parser.Operation.cs;
// the stream that holds the body to its byte limit is in SoapRequestReader.BoundedReadStream.cs.
public static partial class SoapRequestReader
{
    private const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";
    private const int ChunkSize = 1024 * 1024;

    /// <summary>Reads and checks one request.</summary>
    /// <param name="body">The request body, positioned at its first byte; not closed.</param>
    /// <param name="contentType">The <c>Content-Type</c> header.</param>
    /// <param name="soapAction">The <c>SOAPAction</c> header (SOAP 1.1), or null.</param>
    /// <param name="limits">The bounds to enforce.</param>
    /// <param name="cancellationToken">Cancels reading the body.</param>
    /// <param name="spools">Makes the spool the package is decoded into; null: <see cref="PackageSpool.Create"/>'s defaults.</param>
    /// <returns>The request, with every value checked against <see cref="EdocContract"/>; the caller disposes it.</returns>
    /// <exception cref="SoapFaultException">The request is refused; always a client fault. Codes:
    /// <see cref="SoapErrors.UnsupportedMediaType"/>, <see cref="ErrorCode.TooLarge"/>,
    /// <see cref="ErrorCode.MalformedXml"/>, <see cref="ErrorCode.DtdProhibited"/>,
    /// <see cref="ErrorCode.TooDeep"/>, <see cref="SoapErrors.MalformedSoap"/>,
    /// <see cref="SoapErrors.UnknownOperation"/>, <see cref="SoapErrors.MustUnderstand"/>,
    /// <see cref="ErrorCode.MissingField"/>, <see cref="ErrorCode.DuplicateField"/>,
    /// <see cref="ErrorCode.InvalidNumber"/>, <see cref="ErrorCode.InvalidDate"/>,
    /// <see cref="SoapErrors.InvalidValue"/>.</exception>
    public static async Task<SoapRequest> ReadAsync(Stream body, string? contentType, string? soapAction, SoapLimits limits, CancellationToken cancellationToken = default,
        Func<PackageSpool>? spools = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(limits);

        var version = SoapVersions.Detect(contentType, soapAction, out var action);
        var bounded = new BoundedReadStream(body, limits.MaxBodyBytes, cancellationToken);
        try
        {
            using var xml = XmlReader.Create(new Lgsp.Edxml.Xml.TagLengthLimitStream(bounded, limits.MaxTagBytes), Settings(limits));
            var parser = new Parser(xml, version, action, limits, spools ?? (() => PackageSpool.Create()));
            try
            {
                return await parser.ReadAsync().ConfigureAwait(false);
            }
            catch
            {
                parser.Abandon();
                throw;
            }
        }
        catch (XmlException ex)
        {
            throw Translate(ex, limits);
        }
        catch (EdxmlFormatException ex)
        {
            // A tag over MaxTagBytes, refused by the stream before the reader buffered it.
            throw new SoapFaultException(ex.Error, true, ex);
        }
    }

    /// <summary>The settings of every request read.</summary>
    private static XmlReaderSettings Settings(SoapLimits limits) => new()
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = limits.MaxBodyBytes,
        MaxCharactersFromEntities = 1024,
        IgnoreWhitespace = true,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CheckCharacters = true,
        CloseInput = false,
    };

    private static SoapFaultException Translate(XmlException ex, SoapLimits limits)
    {
        var where = ex.LineNumber > 0 ? $"line {ex.LineNumber}, column {ex.LinePosition}" : "/";
        if (ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            return new SoapFaultException(SoapErrors.Create(ErrorCode.DtdProhibited, where), true, ex);
        }

        if (ex.Message.Contains("MaxCharactersInDocument", StringComparison.Ordinal))
        {
            return new SoapFaultException(SoapErrors.Create(ErrorCode.TooLarge, where, "The request body", $"{limits.MaxBodyBytes} characters"), true, ex);
        }

        return new SoapFaultException(SoapErrors.Create(ErrorCode.MalformedXml, where, ex.Message), true, ex);
    }

    private static SoapFaultException Malformed(string field, string why) => SoapErrors.Fault(SoapErrors.MalformedSoap, field, why);
}
