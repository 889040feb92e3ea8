using System.Text.Json;
using System.Text.Json.Serialization;
using Lgsp.Edxml.Errors;

namespace Lgsp.Cli.Output;

/// <summary>How findings are printed: <c>code field message</c> lines, or JSON.</summary>
internal static class Findings
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>One line per finding; warnings are prefixed so that error lines stay <c>code field message</c>.</summary>
    public static void Print(TextWriter output, IEnumerable<EdxmlError> findings, bool vietnamese, bool withWarnings)
    {
        foreach (var f in findings)
        {
            if (!f.IsError && !withWarnings)
            {
                continue;
            }

            var message = vietnamese ? f.MessageVi : f.Message;
            output.WriteLine(f.IsError ? $"{f.Code} {f.Field} {message}" : $"warning {f.Code} {f.Field} {message}");
        }
    }

    public static object ToJson(EdxmlError f) => new
    {
        code = f.Code,
        field = f.Field,
        severity = f.Severity,
        message = f.Message,
        messageVi = f.MessageVi,
    };

    public static void WriteJson(TextWriter output, object value) => output.WriteLine(JsonSerializer.Serialize(value, Json));
}
