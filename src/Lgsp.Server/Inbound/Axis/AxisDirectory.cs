using System.Text.Unicode;
using System.Text.Json;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Storage;

namespace Lgsp.Server.Inbound.Axis;

/// <summary>The directory operations' inputs (<c>registerAgency</c>'s JSON body and
/// <c>getAgenciesListQD20</c>'s <c>level</c>), the keys every listed agency has, and the refusals of a
/// change a client system asked for.</summary>
/// <remarks>Thread safe (no state).</remarks>
public static class AxisDirectory
{
    /// <summary>Writes the keys every agency list shares: <c>id</c>, <c>pid</c> (<c>""</c> at the top),
    /// <c>code</c>, <c>name</c>, <c>mail</c> (<c>""</c> when unknown).</summary>
    public static void WriteAgency(this Utf8JsonWriter w, AxisAgency agency)
    {
        w.WriteString("id", AxisResponse.Number(agency.Id));
        w.WriteString("pid", agency.ParentId is { } parent ? AxisResponse.Number(parent) : "");
        w.WriteString("code", agency.Code);
        w.WriteString("name", agency.Name);
        w.WriteString("mail", agency.Mail ?? "");
    }

    /// <summary>Throws the refusal of a directory change that was not done.</summary>
    /// <param name="result">What the store did.</param>
    /// <param name="caller">The client system that asked.</param>
    /// <param name="code">The agency code it named.</param>
    /// <param name="field">The parameter that named it.</param>
    /// <param name="parentCode">The parent code it named, if any.</param>
    /// <exception cref="ExchangeException"><see cref="HubErrorCode.NotFound"/> (the agency or, field
    /// <c>pcode</c>, its parent) or <see cref="HubErrorCode.Forbidden"/> (another owns it).</exception>
    public static void ThrowUnlessDone(AgencyChange result, ClientSystem caller, string code, string field, string? parentCode)
    {
        switch (result)
        {
            case AgencyChange.NotFound:
                throw ExchangeException.Of(HubErrorCode.NotFound, field, field, code);
            case AgencyChange.NotOwner:
                throw ExchangeException.Of(HubErrorCode.Forbidden, field, caller.Id, code);
            case AgencyChange.ParentNotFound:
                throw ExchangeException.Of(HubErrorCode.NotFound, "pcode", "pcode", parentCode);
        }
    }

    /// <summary>The tiers of a QĐ 20/2020 level: 1 central bodies and provinces, 2 departments and
    /// districts, 3 communes, 4 everything else; null (no filter) when the level is absent, and no tier
    /// for an unknown level.</summary>
    public static IReadOnlySet<string>? TiersOfLevel(string? level) => level?.Trim() switch
    {
        null or "" => null,
        "1" => new HashSet<string> { AgencyTier.Central, AgencyTier.Province },
        "2" => new HashSet<string> { AgencyTier.Department, AgencyTier.District },
        "3" => new HashSet<string> { AgencyTier.Commune },
        "4" => new HashSet<string> { AgencyTier.Other },
        _ => new HashSet<string>(),
    };

    /// <summary>Reads a <c>registerAgency</c> body (UTF-8 JSON: <c>code</c>, <c>name</c>, <c>pcode</c>,
    /// <c>mail</c>; other keys ignored).</summary>
    /// <exception cref="ExchangeException">The body is not UTF-8 or not a JSON object, or <c>code</c> or <c>name</c> is missing.</exception>
    public static AgencyRegistration ParseRegistration(byte[] body)
    {
        // JsonDocument checks a string's UTF-8 only when it is read, and then throws InvalidOperationException.
        if (!Utf8.IsValid(body))
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "body", "the body is not UTF-8");
        }

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            throw ExchangeException.Of(HubErrorCode.InvalidRequest, "body", $"the body is not valid JSON ({ex.Message})");
        }

        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ExchangeException.Of(HubErrorCode.InvalidRequest, "body", "the body must be a JSON object");
            }

            string? Text(string name) => json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                && value.GetString()!.Trim() is { Length: > 0 } text ? text : null;

            try
            {
                return new AgencyRegistration(
                    Text("code") ?? throw ExchangeException.Of(HubErrorCode.InvalidRequest, "code", "code is required"),
                    Text("name") ?? throw ExchangeException.Of(HubErrorCode.InvalidRequest, "name", "name is required"),
                    Text("pcode"),
                    Text("mail"));
            }
            catch (InvalidOperationException)
            {
                // A string escaping half a surrogate pair ("\ud800"), found only when read.
                throw ExchangeException.Of(HubErrorCode.InvalidRequest, "body", "the body holds a string that is not valid Unicode");
            }
        }
    }
}

/// <summary>A <c>registerAgency</c> request.</summary>
/// <param name="Code">The agency code.</param>
/// <param name="Name">Its name.</param>
/// <param name="ParentCode">The parent's code, if any.</param>
/// <param name="Mail">Its mail address, if any.</param>
public sealed record AgencyRegistration(string Code, string Name, string? ParentCode, string? Mail);
