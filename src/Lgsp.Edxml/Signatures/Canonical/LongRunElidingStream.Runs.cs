namespace Lgsp.Edxml.Signatures.Canonical;

// Runs: held while shorter than the threshold, recorded and replaced by a placeholder once longer.
internal sealed partial class LongRunElidingStream
{
    private void OpenRun(byte b, bool cdata)
    {
        _afterCdata = cdata;
        _runStart = _offset;
        _runLength = 0;
        _pendingLength = 0;
        ExtendRun([b]);
    }

    private void ExtendRun(ReadOnlySpan<byte> bytes)
    {
        if (_runLength < _minRun)
        {
            var held = (int)Math.Min(bytes.Length, _minRun - _runLength);
            bytes[..held].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += held;
        }

        _runLength += bytes.Length;
    }

    private void CloseRun()
    {
        if (_runStart < 0)
        {
            return;
        }

        if (_runLength >= _minRun)
        {
            var index = _runs.Add(_runStart, _runLength);
            EmitPlaceholder(index);
        }
        else
        {
            Room(_pendingLength);
            _pending.AsSpan(0, _pendingLength).CopyTo(_out.AsSpan(_outEnd));
            _outEnd += _pendingLength;
        }

        _runStart = -1;
        _pendingLength = 0;
        _state = _afterCdata ? State.CData : State.Text;
        _count = 0;
    }

    private void EmitPlaceholder(int index)
    {
        Room(32);
        var span = _out.AsSpan(_outEnd);
        "\uE000"u8.CopyTo(span);
        _runs.Nonce.TryFormat(span[3..], out var nonce, provider: System.Globalization.CultureInfo.InvariantCulture);
        index.TryFormat(span[(3 + nonce)..], out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        "\uE001"u8.CopyTo(span[(3 + nonce + digits)..]);
        _outEnd += nonce + digits + 6;
    }

    private void Emit(byte b)
    {
        Room(1);
        _out[_outEnd++] = b;
    }

    // A block's output is at most the block, the held bytes of a run begun before it and placeholders;
    // with the short runs tests use, placeholders can outgrow the runs they stand for.
    private void Room(int bytes)
    {
        if (_outEnd + bytes > _out.Length)
        {
            Array.Resize(ref _out, Math.Max(_out.Length * 2, _outEnd + bytes));
        }
    }
}
