using System.Globalization;

namespace Lgsp.Edxml.Model;

/// <summary>The standard's DocumentId form: <c>{senderOrganId},{yyyy/MM/dd},{CodeNumber}/{CodeNotation}</c>.
/// Readers must treat DocumentIds as opaque (producers also send UUIDs); writers use this form.</summary>
public static class DocumentIds
{
    /// <summary>Composes a DocumentId in the standard's form.</summary>
    public static string Compose(string senderOrganId, DateOnly promulgationDate, string codeNumber, string? codeNotation) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{senderOrganId},{promulgationDate:yyyy/MM/dd},{codeNumber}{(string.IsNullOrEmpty(codeNotation) ? "" : "/" + codeNotation)}");
}
