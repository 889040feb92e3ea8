using System.Text;

namespace Lgsp.Edxml.Signatures.Canonical;

// The byte-level lexer: which bytes are character data or CDATA (where runs may be elided) and which are
// markup, references, comments or processing instructions (passed through unchanged).
internal sealed partial class LongRunElidingStream
{
    private void Lex(ReadOnlySpan<byte> block)
    {
        var i = 0;
        while (i < block.Length)
        {
            if (_runStart >= 0)
            {
                // Inside a run: its end, vectorised (the 50 MB of an attachment pass here).
                var rest = block[i..];
                var end = rest.IndexOfAnyExcept(RunBytes);
                var length = end < 0 ? rest.Length : end;
                ExtendRun(rest[..length]);
                i += length;
                _offset += length;
                if (length > 0)
                {
                    _previous = rest[length - 1];
                }

                if (end < 0)
                {
                    return;
                }

                CloseRun();
                continue;
            }

            var b = block[i];
            Step(b);
            i++;
            _offset++;
            _previous = b;
        }
    }

    private void Step(byte b)
    {
        if (b == 0 && _state != State.PassThrough)
        {
            // No UTF-8 XML holds NUL: UTF-16 or UTF-32 without a byte-order mark. Followed no further.
            _state = State.PassThrough;
        }

        switch (_state)
        {
            case State.Start:
                Emit(b);
                if (_count < 3 && _offset == _count && b == "\uFEFF"u8[_count])
                {
                    _count++; // the UTF-8 byte-order mark
                }
                else if (b == (byte)'<' && _count is 0 or 3)
                {
                    _state = State.TagOpened;
                    _declarationAt = _offset + 1;
                }
                else if (b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' && _count is 0 or 3)
                {
                    _state = State.Text; // no declaration can follow: UTF-8
                }
                else
                {
                    // Another byte-order mark or encoding: followed no further.
                    _state = State.PassThrough;
                }

                return;
            case State.Declaration:
                Emit(b);
                _declaration.Add(b);
                if (b == (byte)'>' && _previous == (byte)'?')
                {
                    _state = IsUtf8(_declaration) ? State.Text : State.PassThrough;
                }
                else if (_declaration.Count > MaxDeclarationBytes)
                {
                    _state = State.PassThrough;
                }

                return;
            case State.Text:
                if (b == (byte)'<')
                {
                    _state = State.TagOpened;
                }
                else if (b == (byte)'&')
                {
                    _state = State.Reference;
                    _referenceLength = 0;
                }
                else if (StartsRun(b))
                {
                    OpenRun(b, cdata: false);
                    return;
                }

                Emit(b);
                return;
            case State.Reference:
                Emit(b);
                Reference(b);
                return;
            case State.TagOpened:
                Emit(b);
                _count = 0;
                _state = b switch
                {
                    (byte)'!' => State.Bang,
                    (byte)'?' => State.ProcessingInstruction,
                    (byte)'>' => State.Text,
                    _ => State.InTag,
                };
                if (b == (byte)'?' && _offset == _declarationAt)
                {
                    // At the document's first byte: the XML declaration (or a PI), read whole to find its encoding.
                    _state = State.Declaration;
                    _declaration.Add((byte)'<');
                    _declaration.Add(b);
                }
                else if (_state == State.InTag)
                {
                    InTag(b);
                }

                return;
            case State.InTag:
                Emit(b);
                InTag(b);
                return;
            case State.InValue:
                Emit(b);
                if (b == _quote)
                {
                    _state = State.InTag;
                }

                return;
            case State.Bang:
                Emit(b);
                Bang(b);
                return;
            case State.Comment:
                Emit(b);
                if (b == (byte)'>' && _count >= 2)
                {
                    _state = State.Text;
                }

                _count = b == (byte)'-' ? _count + 1 : 0;
                return;
            case State.CData:
                if (b == (byte)'>' && _count >= 2)
                {
                    _state = State.Text;
                }
                else if (StartsRun(b))
                {
                    _count = 0;
                    OpenRun(b, cdata: true);
                    return;
                }

                Emit(b);
                _count = b == (byte)']' ? _count + 1 : 0;
                return;
            case State.ProcessingInstruction:
                Emit(b);
                if (b == (byte)'>' && _previous == (byte)'?' && _count > 0)
                {
                    _state = State.Text;
                }

                _count++;
                return;
            default:
                Emit(b);
                return;
        }
    }

    private bool StartsRun(byte b) => b < 0x80 && Base64.Contains(b) && _previous < 0x80;

    private void InTag(byte b)
    {
        if (b is (byte)'"' or (byte)'\'')
        {
            _state = State.InValue;
            _quote = b;
        }
        else if (b == (byte)'>')
        {
            _state = State.Text;
        }
    }

    // After "<!": "--" opens a comment, "[CDATA[" a CDATA section; anything else (a DOCTYPE, which the
    // reader refuses anyway) ends eliding.
    private void Bang(byte b)
    {
        if (_count == 0 && b == (byte)'-')
        {
            _count = -1;
            return;
        }

        if (_count == -1)
        {
            _state = b == (byte)'-' ? State.Comment : State.PassThrough;
            _count = 0;
            return;
        }

        var cdata = "[CDATA["u8;
        if (_count >= 0 && _count < cdata.Length && b == cdata[_count])
        {
            _count++;
            if (_count == cdata.Length)
            {
                _state = State.CData;
                _count = 0;
            }

            return;
        }

        _state = State.PassThrough;
    }

    // Inside "&...;": a numeric reference to U+E000 or U+E001 would put a placeholder character in the
    // text that no run stands behind, so the stream gives up on it (and on one too long to read).
    private void Reference(byte b)
    {
        if (b == (byte)';')
        {
            if (ReferencesPlaceholder(_reference.AsSpan(0, _referenceLength)))
            {
                throw new ElisionAbandonedException("the package refers to U+E000 or U+E001");
            }

            _state = State.Text;
        }
        else if (b == (byte)'<')
        {
            _state = State.TagOpened; // malformed: the reader refuses it
        }
        else if (b == (byte)'&')
        {
            _referenceLength = 0;
        }
        else if (b == (byte)'0' && _reference.AsSpan(0, _referenceLength) is [(byte)'#'] or [(byte)'#', (byte)'x' or (byte)'X'])
        {
            // A leading zero of a numeric reference: any number of them, same character.
        }
        else if (_referenceLength == _reference.Length)
        {
            throw new ElisionAbandonedException("a reference too long to follow");
        }
        else
        {
            _reference[_referenceLength++] = b;
        }
    }

    // True for a numeric reference to U+E000 or U+E001, and for any numeric reference it cannot read
    // (the reader refuses those, or they are a form this does not know: either way, give up).
    private static bool ReferencesPlaceholder(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name[0] != (byte)'#')
        {
            return false;
        }

        var hex = name.Length > 1 && name[1] is (byte)'x' or (byte)'X';
        var digits = name[(hex ? 2 : 1)..].TrimStart((byte)'0');
        if (digits.Length is 0 or > 8)
        {
            return true;
        }

        var value = 0L;
        foreach (var d in digits)
        {
            int digit = d switch
            {
                >= (byte)'0' and <= (byte)'9' => d - '0',
                >= (byte)'a' and <= (byte)'f' when hex => d - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' when hex => d - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return true;
            }

            value = (value * (hex ? 16 : 10)) + digit;
        }

        return value is PlaceholderStart or PlaceholderEnd;
    }

    // The XML declaration's encoding: none (UTF-8 by default) or UTF-8; any other is passed through.
    private static bool IsUtf8(List<byte> declaration)
    {
        var text = Encoding.ASCII.GetString([.. declaration]);
        if (!text.StartsWith("<?xml", StringComparison.Ordinal) || text.Length < 6)
        {
            return !text.StartsWith("<?xml", StringComparison.OrdinalIgnoreCase);
        }

        if (text[5] is not (' ' or '\t' or '\r' or '\n'))
        {
            // A processing instruction whose target begins with "xml" (xml-stylesheet): no declaration.
            return text[5] != '?';
        }

        var at = text.IndexOf("encoding", StringComparison.Ordinal);
        if (at < 0)
        {
            return true;
        }

        var rest = text[(at + "encoding".Length)..].TrimStart();
        if (!rest.StartsWith('='))
        {
            return false;
        }

        rest = rest[1..].TrimStart();
        if (rest.Length == 0 || rest[0] is not ('"' or '\''))
        {
            return false;
        }

        var close = rest.IndexOf(rest[0], 1);
        return close > 0 && rest[1..close].Equals("UTF-8", StringComparison.OrdinalIgnoreCase);
    }
}
