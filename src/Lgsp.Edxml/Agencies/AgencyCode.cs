using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Lgsp.Edxml.Errors;

namespace Lgsp.Edxml.Agencies;

/// <summary>
/// An agency identifier (mã định danh), syntactically valid in one of the two forms the axis uses
/// (<see cref="AgencyCodeForm"/>). It knows its groups and its syntactic parent; it does not know the
/// agency's tier (department, district, commune): that comes from the directory, never from digits.
/// </summary>
/// <remarks>
/// <para>Accepted forms, after trimming and upper-casing ASCII letters:</para>
/// <list type="bullet">
/// <item><b>QCVN 102:2016</b> <c>LLL.LL.LL.XNN</c>, read right to left (<c>L4.L3.L2.L1</c>): exactly
/// 3 digits, 2 digits, 2 digits, then one letter and 2 digits. The parent zeroes the most specific
/// non-zero group: <c>000.21.31.H53</c> → <c>000.00.31.H53</c> → <c>000.00.00.H53</c> (no parent).</item>
/// <item><b>Decision 20/2020</b>: at most 35 characters of <c>A–Z 0–9 .</c>, groups growing left to
/// right, the first (level-1) group one letter followed by digits: <c>G12.18.112.001</c>. The parent
/// drops the last group; a single group has no parent.</item>
/// </list>
/// <para>Anything else is refused with a precise reason, e.g. the national SDK's sample
/// <c>28.22.H17</c> (three groups). Equality, hashing and ordering are ordinal on <see cref="Value"/>.
/// Instances are immutable and thread safe.</para>
/// </remarks>
public sealed class AgencyCode : IEquatable<AgencyCode>, IComparable<AgencyCode>
{
    /// <summary>The longest identifier accepted (Decision 20/2020).</summary>
    public const int MaxLength = 35;

    private readonly string[] _groupsInWrittenOrder;
    private AgencyCode? _parent;
    private bool _parentComputed;

    private AgencyCode(string value, AgencyCodeForm form, string[] groupsInWrittenOrder)
    {
        Value = value;
        Form = form;
        _groupsInWrittenOrder = groupsInWrittenOrder;
        Groups = form == AgencyCodeForm.Qcvn102
            ? Array.AsReadOnly(groupsInWrittenOrder.Reverse().ToArray())
            : Array.AsReadOnly(groupsInWrittenOrder);
    }

    /// <summary>The normalised identifier: trimmed, ASCII letters upper-cased.</summary>
    public string Value { get; }

    /// <summary>Which of the two written forms this identifier uses.</summary>
    public AgencyCodeForm Form { get; }

    /// <summary>The groups, most general first (the level-1 group first) whatever the written order:
    /// <c>000.21.31.H53</c> gives <c>H53, 31, 21, 000</c>; <c>G12.18.112</c> gives <c>G12, 18, 112</c>.</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <summary>The level-1 group, e.g. <c>H56</c> (a provincial People's Committee) or <c>G22</c>.</summary>
    public string Level1 => Groups[0];

    /// <summary>The syntactic parent (see the type remarks), or null for a level-1 identifier.
    /// Whether that parent exists as an agency is for the directory to say.</summary>
    public AgencyCode? Parent
    {
        get
        {
            // Benign race: two threads may both compute the same immutable value.
            if (!_parentComputed)
            {
                _parent = ComputeParent();
                _parentComputed = true;
            }

            return _parent;
        }
    }

    /// <summary>Reads an identifier without throwing.</summary>
    /// <param name="text">The identifier as written; surrounding whitespace and lower-case letters are tolerated.</param>
    /// <param name="code">The identifier when valid, else null.</param>
    /// <param name="reason">Why it is invalid (an English clause), else null.</param>
    /// <returns>True when <paramref name="text"/> is a valid identifier.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out AgencyCode? code, out string? reason)
    {
        var result = Read(text);
        code = result.Code;
        reason = result.Reason?.En;
        return code is not null;
    }

    /// <summary>Reads an identifier.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="text"/> is not a valid identifier; the message says why.</exception>
    public static AgencyCode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = Read(text);
        return result.Code ?? throw new FormatException($"'{text}' is not a valid agency identifier: {result.Reason!.En}");
    }

    /// <summary>Checks a field holding an identifier.</summary>
    /// <param name="text">The field's value.</param>
    /// <param name="field">The field path to report, e.g. <c>MessageHeader/To[1]/OrganId</c>.</param>
    /// <returns>An <see cref="ErrorCode.InvalidAgencyCode"/> error naming the reason (in English and
    /// Vietnamese), or null when the value is valid.</returns>
    public static EdxmlError? Check(string? text, string field)
    {
        var result = Read(text);
        if (result.Code is not null)
        {
            return null;
        }

        var shown = text ?? string.Empty;
        var en = EdxmlError.Create(ErrorCode.InvalidAgencyCode, field, shown, result.Reason!.En);
        var vi = EdxmlError.Create(ErrorCode.InvalidAgencyCode, field, shown, result.Reason.Vi);
        return en with { MessageVi = vi.MessageVi };
    }

    /// <summary>The longest code <see cref="IsNonStandard"/> accepts.</summary>
    public const int NonStandardMaxLength = 64;

    /// <summary>True when <paramref name="text"/> follows neither form but is a plain token a directory can
    /// hold as an exception: after trimming, 1 to <see cref="NonStandardMaxLength"/> ASCII letters, digits,
    /// <c>.</c>, <c>-</c> or <c>_</c>. The national axis issues such codes (<c>vxp.test.07</c>) and
    /// producers write others (<c>02.03.G09</c>, <c>TT5</c>, <c>null</c>).</summary>
    /// <param name="text">The code as written.</param>
    /// <param name="code">The code trimmed and otherwise exactly as written (no form says how to normalise
    /// it, so it is compared ordinally), else null.</param>
    /// <returns>False for a valid identifier (see <see cref="TryParse"/>) and for anything that is not such a token.</returns>
    public static bool IsNonStandard(string? text, [NotNullWhen(true)] out string? code)
    {
        code = null;
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > NonStandardMaxLength
            || trimmed.AsSpan().ContainsAnyExcept(NonStandardCharacters)
            || Read(trimmed).Code is not null)
        {
            return false;
        }

        code = trimmed;
        return true;
    }

    /// <summary>Checks a code an administrator adds to a directory as a non-standard exception.</summary>
    /// <param name="text">The code as given.</param>
    /// <param name="field">The field path to report.</param>
    /// <returns>An <see cref="ErrorCode.InvalidAgencyCode"/> error when the code is a valid identifier (it
    /// needs no exception) or not a plain token (<see cref="IsNonStandard"/>); null when it may be added.</returns>
    public static EdxmlError? CheckNonStandard(string? text, string field)
    {
        if (IsNonStandard(text, out _))
        {
            return null;
        }

        var (en, vi) = Read(text).Code is not null
            ? ("it follows a standard form, so it needs no exception", "mã đúng dạng chuẩn nên không cần ngoại lệ")
            : ($"a non-standard code is 1 to {NonStandardMaxLength} ASCII letters, digits, '.', '-' or '_'",
                $"mã ngoài chuẩn gồm 1 đến {NonStandardMaxLength} chữ cái ASCII, chữ số, '.', '-' hoặc '_'");
        var shown = text ?? string.Empty;
        return EdxmlError.Create(ErrorCode.InvalidAgencyCode, field, shown, en) with
        {
            MessageVi = EdxmlError.Create(ErrorCode.InvalidAgencyCode, field, shown, vi).MessageVi,
        };
    }

    /// <summary>True when this identifier is a strict ancestor of <paramref name="other"/> (its parent,
    /// its parent's parent, ... up to level 1). An identifier is not its own ancestor, and the two forms
    /// never relate to each other.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool IsAncestorOf(AgencyCode other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var p = other.Parent; p is not null; p = p.Parent)
        {
            if (Equals(p))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The normalised identifier (<see cref="Value"/>).</summary>
    public override string ToString() => Value;

    /// <summary>Ordinal equality of <see cref="Value"/>.</summary>
    public bool Equals(AgencyCode? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is AgencyCode other && Equals(other);

    /// <summary>A hash consistent with ordinal equality of <see cref="Value"/>.</summary>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Ordinal order of <see cref="Value"/>; null sorts first.</summary>
    public int CompareTo(AgencyCode? other) => other is null ? 1 : string.CompareOrdinal(Value, other.Value);

    /// <summary>Ordinal equality; two nulls are equal.</summary>
    public static bool operator ==(AgencyCode? left, AgencyCode? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Ordinal inequality.</summary>
    public static bool operator !=(AgencyCode? left, AgencyCode? right) => !(left == right);

    private AgencyCode? ComputeParent()
    {
        if (Form == AgencyCodeForm.Decision20)
        {
            return _groupsInWrittenOrder.Length == 1
                ? null
                : new AgencyCode(string.Join('.', _groupsInWrittenOrder[..^1]), Form, _groupsInWrittenOrder[..^1]);
        }

        // Written L4.L3.L2.L1: the most specific group is the leftmost.
        for (var i = 0; i < 3; i++)
        {
            if (_groupsInWrittenOrder[i].Any(c => c != '0'))
            {
                var groups = (string[])_groupsInWrittenOrder.Clone();
                groups[i] = new string('0', groups[i].Length);
                return new AgencyCode(string.Join('.', groups), Form, groups);
            }
        }

        return null;
    }

    private static readonly System.Buffers.SearchValues<char> NonStandardCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_");

    private sealed record Reason(string En, string Vi);

    private sealed record ReadResult(AgencyCode? Code, Reason? Reason);

    private static ReadResult Fail(string en, string vi) => new(null, new Reason(en, vi));

    private static ReadResult Read(string? text)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            return Fail("it is empty", "mã rỗng");
        }

        // Characters first: the position is the most useful thing to tell a clerk.
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            var position = (i + 1).ToString(CultureInfo.InvariantCulture);
            if (char.IsWhiteSpace(c))
            {
                return Fail($"it contains a space at position {position}", $"mã chứa khoảng trắng ở vị trí {position}");
            }

            if (!IsAsciiLetter(c) && !char.IsAsciiDigit(c) && c != '.')
            {
                var shown = char.IsControl(c) || char.IsSurrogate(c) || char.IsWhiteSpace(c)
                    ? $"U+{(int)c:X4}"
                    : c.ToString();
                return Fail(
                    $"it contains the character '{shown}' at position {position}; only A-Z, 0-9 and '.' are allowed",
                    $"mã chứa ký tự '{shown}' ở vị trí {position}; chỉ được dùng A-Z, 0-9 và dấu '.'");
            }
        }

        if (trimmed.Length > MaxLength)
        {
            var n = trimmed.Length.ToString(CultureInfo.InvariantCulture);
            return Fail($"it has {n} characters; at most {MaxLength} are allowed", $"mã dài {n} ký tự; tối đa {MaxLength} ký tự");
        }

        var value = trimmed.ToUpperInvariant();
        var groups = value.Split('.');
        for (var i = 0; i < groups.Length; i++)
        {
            if (groups[i].Length == 0)
            {
                var ordinal = (i + 1).ToString(CultureInfo.InvariantCulture);
                return Fail(
                    $"group {ordinal} is empty (a dot at the start or the end, or two dots together)",
                    $"nhóm thứ {ordinal} rỗng (dấu chấm ở đầu hoặc cuối, hoặc hai dấu chấm liền nhau)");
            }
        }

        // A Decision 20 identifier starts with its level-1 group (a letter); a QCVN 102 one with digits.
        return IsAsciiLetter(value[0]) ? ReadDecision20(value, groups) : ReadQcvn102(value, groups);
    }

    private static ReadResult ReadDecision20(string value, string[] groups)
    {
        var level1 = groups[0];
        if (level1.Length < 2 || level1.AsSpan(1).ContainsAnyExcept("0123456789"))
        {
            return Fail(
                $"the level-1 group '{level1}' must be one letter followed by digits (e.g. G12, H56)",
                $"nhóm cấp 1 '{level1}' phải gồm một chữ cái và theo sau là các chữ số (ví dụ G12, H56)");
        }

        return new ReadResult(new AgencyCode(value, AgencyCodeForm.Decision20, groups), null);
    }

    private static ReadResult ReadQcvn102(string value, string[] groups)
    {
        if (groups.Length != 4)
        {
            var n = groups.Length.ToString(CultureInfo.InvariantCulture);
            return Fail(
                $"it has {n} group(s); the QCVN 102:2016 form LLL.LL.LL.XNN has 4, and a Decision 20/2020 identifier starts with a letter",
                $"mã có {n} nhóm; dạng QCVN 102:2016 LLL.LL.LL.XNN có 4 nhóm, còn mã theo Quyết định 20/2020 bắt đầu bằng chữ cái");
        }

        (int Digits, string LevelEn, string LevelVi)[] numeric = [(3, "level-4", "cấp 4"), (2, "level-3", "cấp 3"), (2, "level-2", "cấp 2")];
        for (var i = 0; i < 3; i++)
        {
            var g = groups[i];
            var (digits, en, vi) = numeric[i];
            if (g.Length != digits || g.AsSpan().ContainsAnyExcept("0123456789"))
            {
                return Fail(
                    $"the {en} group '{g}' must be exactly {digits} digits (LLL.LL.LL.XNN)",
                    $"nhóm {vi} '{g}' phải gồm đúng {digits} chữ số (LLL.LL.LL.XNN)");
            }
        }

        var level1 = groups[3];
        if (level1.Length != 3 || !IsAsciiLetter(level1[0]) || !char.IsAsciiDigit(level1[1]) || !char.IsAsciiDigit(level1[2]))
        {
            return Fail(
                $"the level-1 group '{level1}' must be one letter followed by exactly 2 digits (LLL.LL.LL.XNN)",
                $"nhóm cấp 1 '{level1}' phải gồm một chữ cái và đúng 2 chữ số (LLL.LL.LL.XNN)");
        }

        return new ReadResult(new AgencyCode(value, AgencyCodeForm.Qcvn102, groups), null);
    }

    private static bool IsAsciiLetter(char c) => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z';
}
