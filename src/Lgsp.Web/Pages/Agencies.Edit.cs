using Lgsp.Edxml.Agencies;
using Lgsp.Exchange.Directory;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.People;
using Microsoft.AspNetCore.Mvc;

namespace Lgsp.Web.Pages;

// Adding, editing and retiring one agency, through the directory store (one ledger entry each).
public sealed partial class AgenciesModel
{
    /// <summary>The add/edit form.</summary>
    [BindProperty]
    public AgencyForm Form { get; set; } = new();

    /// <summary>Adds the agency, or updates the one with that code (its serving hub and exception flag kept).</summary>
    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (!Can(ConsoleRight.EditDirectory))
        {
            return Forbid();
        }

        var agencies = (await directory.ListAgenciesAsync(ct: ct)).ToDictionary(a => a.Code, StringComparer.Ordinal);
        if (Checked(agencies) is not { } agency)
        {
            return await PageAsync(ct);
        }

        try
        {
            await directory.SaveAgencyAsync(agency, Actor, ct);
            var added = !agencies.ContainsKey(agency.Code);
            Done = added ? text[$"Đã thêm cơ quan {agency.Code}.", $"Added {agency.Code}."] : text[$"Đã cập nhật cơ quan {agency.Code}.", $"Updated {agency.Code}."];
            Form = new AgencyForm();
            ModelState.Clear();
        }
        catch (ExchangeException refused)
        {
            Refused = text[refused.Error.MessageVi, refused.Error.Message];
        }

        return await PageAsync(ct);
    }

    /// <summary>Retires an agency; what is addressed to it goes to its successor.</summary>
    public async Task<IActionResult> OnPostRetireAsync(string code, string successor, CancellationToken ct)
    {
        if (!Can(ConsoleRight.EditDirectory))
        {
            return Forbid();
        }

        try
        {
            await directory.RetireAgencyAsync(code ?? "", (successor ?? "").Trim(), Actor, ct);
            Done = text[$"Đã ngừng cơ quan {code}; văn bản gửi đến sẽ chuyển cho {successor}.", $"Retired {code}; what is addressed to it goes to {successor}."];
        }
        catch (ExchangeException refused)
        {
            Refused = text[refused.Error.MessageVi, refused.Error.Message];
        }

        return await PageAsync(ct);
    }

    // The form's values as an agency, or null with Refused set; the checks are the CLI's (agencies add).
    private Agency? Checked(IReadOnlyDictionary<string, Agency> agencies)
    {
        var codeText = (Form.Code ?? "").Trim();
        var current = agencies.GetValueOrDefault(codeText);
        string code;
        if (current is not null)
        {
            code = current.Code;
        }
        else if (AgencyCode.Check(codeText, "Code") is { } invalid)
        {
            Refused = text[invalid.MessageVi, invalid.Message];
            return null;
        }
        else
        {
            code = AgencyCode.Parse(codeText).Value;
        }

        var name = (Form.Name ?? "").Trim();
        var tier = (Form.Tier ?? "").Trim().ToLowerInvariant();
        var parent = string.IsNullOrWhiteSpace(Form.Parent) ? null : Form.Parent.Trim();
        var pushText = (Form.Push ?? "").Trim();
        var push = pushText.Length == 0 ? null : AgencyImport.PushEndpoint(pushText);
        Refused = name.Length == 0 ? text["Tên cơ quan trống.", "The name is empty."]
            : !AgencyTier.IsKnown(tier) ? text["Hãy chọn cấp của cơ quan.", "Choose the agency's tier."]
            : parent is not null && !agencies.ContainsKey(parent) ? text[$"Không có cơ quan cha {parent} trong danh bạ.", $"There is no parent {parent} in the directory."]
            : parent == code ? text["Cơ quan không thể là cơ quan cha của chính nó.", "An agency cannot be its own parent."]
            : AgencyImport.LoopsBack(code, parent, c => agencies.GetValueOrDefault(c)?.ParentCode)
                ? text[$"Chuỗi cơ quan cha từ {parent} quay lại {code}.", $"The chain of parents from {parent} leads back to {code}."]
            : pushText.Length > 0 && push is null ? text[$"'{pushText}' không phải là địa chỉ http hoặc https đầy đủ.", $"'{pushText}' is not an absolute http or https URL."]
            : null;
        if (Refused is not null)
        {
            return null;
        }

        return new Agency(code, name, parent, tier, true, null, push, clock.GetUtcNow())
        {
            ServedBy = current?.ServedBy,
            NonStandard = current?.NonStandard ?? false,
        };
    }

    /// <summary>The add/edit form's fields.</summary>
    public sealed class AgencyForm
    {
        /// <summary>The agency code (mã định danh).</summary>
        public string? Code { get; set; }

        /// <summary>Its name.</summary>
        public string? Name { get; set; }

        /// <summary>Its parent's code; empty for none.</summary>
        public string? Parent { get; set; }

        /// <summary>One of <see cref="AgencyTier.All"/>.</summary>
        public string? Tier { get; set; }

        /// <summary>The push endpoint; empty when the agency pulls.</summary>
        public string? Push { get; set; }

        /// <summary>The form filled with an agency's values.</summary>
        public static AgencyForm Of(Agency agency) => new()
        {
            Code = agency.Code, Name = agency.Name, Parent = agency.ParentCode, Tier = agency.Tier, Push = agency.PushEndpoint?.ToString(),
        };
    }
}
