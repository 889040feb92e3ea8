using static Lgsp.Edxml.Signatures.Canonical.LongRunElidingStream;

namespace Lgsp.Edxml.Signatures.Canonical;

// Text read through a LongRunElidingStream: each placeholder (U+E000, the pass's nonce and a run number,
// U+E001) is replaced
// by the run's bytes from the package; anything else that looks like one gives up.
internal sealed partial class StreamingCanonicalizer
{
    private const int NonceDigits = 9;

    private readonly ElidedRuns? _runs;
    private long _placeholder = -1; // the number read so far of an open placeholder, or -1
    private int _placeholderDigits;
    private char _lastText;

    private void TextPiece(ReadOnlySpan<char> text)
    {
        if (_runs is null)
        {
            _sink.Text(text);
            return;
        }

        while (!text.IsEmpty)
        {
            if (_placeholder >= 0)
            {
                var c = text[0];
                text = text[1..];
                if (c == PlaceholderEnd && _placeholderDigits > NonceDigits)
                {
                    // The nonce, then the run's number.
                    var scale = (long)Math.Pow(10, _placeholderDigits - NonceDigits);
                    if (_placeholder / scale != _runs.Nonce)
                    {
                        throw new ElisionAbandonedException("a placeholder without this pass's number");
                    }

                    _runs.CopyTo(_placeholder % scale, _sink);
                    _placeholder = -1;
                    _lastText = 'A';
                }
                else if (c is >= '0' and <= '9' && _placeholderDigits < NonceDigits + 9)
                {
                    _placeholder = (_placeholder * 10) + (c - '0');
                    _placeholderDigits++;
                }
                else
                {
                    throw new ElisionAbandonedException("a malformed placeholder");
                }

                continue;
            }

            var at = text.IndexOf(PlaceholderStart);
            var before = at < 0 ? text : text[..at];
            if (!before.IsEmpty)
            {
                _sink.Text(before); // refuses a stray U+E001
                _lastText = before[^1];
            }

            if (at < 0)
            {
                return;
            }

            if (char.IsHighSurrogate(_lastText))
            {
                // The reader never lets a surrogate pair be split by another character; the sink's encoder
                // would otherwise hold half a character while the run's bytes pass it.
                throw new ElisionAbandonedException("a placeholder inside a surrogate pair");
            }

            _placeholder = 0;
            _placeholderDigits = 0;
            text = text[(at + 1)..];
        }
    }

    private void EndOfText()
    {
        if (_placeholder >= 0)
        {
            throw new ElisionAbandonedException("a text node ended inside a placeholder");
        }

        _lastText = '\0';
    }
}
