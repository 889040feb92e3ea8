using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Lgsp.Edxml.Errors;

namespace Lgsp.Server.Inbound.Axis;

/// <summary>Writes the axis protocol's JSON answers (VXP.md §5): the <c>status</c>, <c>ErrorCode</c>,
/// <c>ErrorDesc</c> envelope first, then the operation's keys; compact, ASCII only (every other char as
/// <c>\uXXXX</c>, since <c>sendEdoc</c> answers are read as US-ASCII), never a JSON null.</summary>
/// <remarks>Thread safe (no state).</remarks>
public static class AxisResponse
{
    /// <summary>The content type of every JSON answer.</summary>
    public const string ContentType = "application/json; charset=utf-8";

    /// <summary>The time format of every time value: UTC, <c>yyyy-MM-dd HH:mm:ss</c>.</summary>
    public const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.Default, Indented = false };

    /// <summary>A success envelope followed by the keys <paramref name="body"/> writes.</summary>
    public static byte[] Ok(Action<Utf8JsonWriter>? body = null) => Write(w =>
    {
        Success(w);
        body?.Invoke(w);
    });

    /// <summary>A success envelope whose first key, <paramref name="key"/>, holds a string written
    /// later (a package's base64, streamed), followed by the keys <paramref name="after"/> writes: the
    /// bytes before that string's value (its opening quote included) and after it (its closing quote
    /// first). Head, value and tail together are what <see cref="Ok"/> writes with the value in place.</summary>
    public static (byte[] Head, byte[] Tail) OkAround(string key, Action<Utf8JsonWriter>? after = null)
    {
        using var buffer = new MemoryStream();
        int split;
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            Success(w);
            w.WritePropertyName(key);
            w.Flush();
            split = checked((int)buffer.Length) + 1;
            w.WriteStringValue("");
            after?.Invoke(w);
            w.WriteEndObject();
        }

        var all = buffer.ToArray();
        return (all[..split], all[split..]);
    }

    private static void Success(Utf8JsonWriter w)
    {
        w.WriteString("status", "OK");
        w.WriteString("ErrorCode", "0");
        w.WriteString("ErrorDesc", "Success");
    }

    /// <summary>A failure envelope: our machine code, <c>English | Vietnamese</c>, the field; plus
    /// <c>"DocId":""</c> for <c>sendEdoc</c>, whose SDK parser needs the key.</summary>
    public static byte[] Fail(EdxmlError error, bool withDocId) => Write(w =>
    {
        w.WriteString("status", "FAIL");
        w.WriteString("ErrorCode", error.Code);
        w.WriteString("ErrorDesc", error.Message + " | " + error.MessageVi);
        w.WriteString("ErrorField", error.Field);
        if (withDocId)
        {
            w.WriteString("DocId", "");
        }
    });

    /// <summary>The <c>serviceType</c> of every listed package.</summary>
    public const string ServiceType = "eDoc";

    /// <summary>A time as the protocol shows it.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>An id as the protocol shows it: a decimal string.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes a list as the <c>data</c> array, one object per item with the keys
    /// <paramref name="item"/> writes.</summary>
    public static void WriteData<T>(this Utf8JsonWriter w, IEnumerable<T> items, Action<Utf8JsonWriter, T> item)
    {
        w.WriteStartArray("data");
        foreach (var i in items)
        {
            w.WriteStartObject();
            item(w, i);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Writes a string property only when there is a value (the SDK loses a whole list over one null).</summary>
    public static void OptionalString(this Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
