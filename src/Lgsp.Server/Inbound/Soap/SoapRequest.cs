using System.Globalization;
using System.Xml;
using Lgsp.Edxml.Spooling;

namespace Lgsp.Server.Inbound.Soap;

/// <summary>
/// A SOAP request as <see cref="SoapRequestReader"/> read it: the version to answer in, the
/// operation, the simple values of the request's child elements and the decoded package.
/// </summary>
/// <remarks>
/// The reader has already checked every value against <see cref="EdocContract"/>: required
/// elements are present, numbers, dates and outcomes are well-formed, so the typed getters below
/// do not fail on a request the reader returned. Dispose it when the request ends: that deletes the
/// package's spool.
/// </remarks>
public sealed class SoapRequest : IDisposable
{
    /// <summary>Creates a request; the reader is the usual source. The request owns the spool.</summary>
    public SoapRequest(SoapVersion version, string operation, IReadOnlyDictionary<string, string> fields, PackageSpool? package)
    {
        Version = version;
        Operation = operation;
        Fields = fields;
        Package = package;
    }

    /// <summary>The SOAP version of the request, and of the answer.</summary>
    public SoapVersion Version { get; }

    /// <summary>The operation: one of <see cref="EdocContract.Operations"/>.</summary>
    public string Operation { get; }

    /// <summary>The text of each simple child element given, by local name, trimmed. Elements
    /// absent or sent as <c>xsi:nil="true"</c> are not in the dictionary.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    /// <summary>The decoded bytes of the <c>Package</c> child, exactly as the sender encoded them,
    /// spooled (ADR 0016); null for operations without one.</summary>
    public PackageSpool? Package { get; }

    /// <summary>Deletes the package's spool.</summary>
    public void Dispose() => Package?.Dispose();

    /// <summary>The text of <paramref name="name"/>, or null when not given.</summary>
    public string? Get(string name) => Fields.TryGetValue(name, out var value) ? value : null;

    /// <summary>The value of an <c>xs:long</c> child (<c>Id</c>), or null when not given.</summary>
    public long? GetInt64(string name) =>
        Get(name) is { } text ? long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;

    /// <summary>The value of an <c>xs:int</c> child (<c>MaxCount</c>), or null when not given.</summary>
    public int? GetInt32(string name) =>
        Get(name) is { } text ? int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;

    /// <summary>The value of an <c>xs:dateTime</c> child (<c>ChangedSince</c>), or null when not
    /// given. A time without a zone is taken as UTC.</summary>
    public DateTimeOffset? GetDateTime(string name) => Get(name) is { } text ? ParseDateTime(text) : null;

    /// <summary>Parses an <c>xs:dateTime</c>; a value without a zone is UTC.</summary>
    /// <exception cref="FormatException">Not an <c>xs:dateTime</c>.</exception>
    internal static DateTimeOffset ParseDateTime(string text)
    {
        var value = XmlConvert.ToDateTime(text, XmlDateTimeSerializationMode.RoundtripKind);
        return value.Kind switch
        {
            DateTimeKind.Unspecified => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)),
            _ => new DateTimeOffset(value.ToUniversalTime()),
        };
    }
}
